// Manual product mapping: `map <customer> product "<product>" [monthly|annual] service <id or name>` (a
// per-customer override, optionally pinned to one of the customer's contracts), or a global rule
// when no customer is given. One product → one contract per billing cycle.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Service } from '../autotask/entities.js';
import type { Db } from '../db/prismaClient.js';
import { isPushed, listCustomerProducts, skuKey } from './customerProducts.js';
import { loadSnapshot } from './directorySnapshot.js';
import { endLinesFor } from './endLines.js';
import { findService } from './findTarget.js';
import { auditRefusal, writeOrRefuse, type MappingChange } from './mappingChange.js';
import { todayOf, type MappingDeps } from './mappingDeps.js';
import {
  MAP_PRODUCT_USAGE,
  MapProductInputSchema,
  parseInput,
  type MapProductInput,
} from './mappingInputs.js';
import { refusal, type MappingRefusal } from './mappingFinding.js';
import { normaliseServiceName } from './normaliseName.js';
import { loadMappingRows, serviceMappingFor, type MappingRows } from './resolveMappingForSync.js';
import { isBillingCycle, type BillingCycle } from '../core/billingCycle.js';
import { serviceLabel } from './servicePeriod.js';
import { allowForcedChange, lockedRefusal, type EndLineInstruction, CHECK_REFUSALS } from './uploadLock.js';

type Product = { productName: string; productSku: string };

async function findProduct(
  db: Db,
  input: MapProductInput,
): Promise<{ ok: true; product: Product } | MappingRefusal> {
  const products = await listCustomerProducts(db, input.customerId);
  const wanted = normaliseServiceName(input.productName);
  const named = products.filter((p) => normaliseServiceName(p.productName) === wanted);
  const skus = [
    ...new Set(
      named
        .filter((p) => input.productSku === undefined || p.productSku === skuKey(input.productSku))
        .map((p) => `${p.productName}\u0000${p.productSku}`),
    ),
  ];
  if (skus.length === 1) {
    const [productName, productSku] = skus[0]!.split('\u0000') as [string, string];
    return { ok: true, product: { productName, productSku } };
  }
  if (skus.length > 1)
    return refusal(
      'PRODUCT_NOT_FOUND',
      `several products are called "${input.productName}" (SKUs ${skus.map((k) => k.split('\u0000')[1] || 'none').join(', ')})`,
      'say which SKU',
    );
  return refusal(
    'PRODUCT_NOT_FOUND',
    `no subscription${input.customerId ? ' of this customer' : ''} has the product "${input.productName}"`,
    'use the product name as the mapping card shows it',
  );
}

interface Effect {
  lockedSince: Date | null;
  endLines: EndLineInstruction[];
}

/** What the change does to one customer's billing: whether it moves uploaded data, and what to end. */
function effectOn(
  rows: MappingRows,
  product: Product,
  cycle: string,
  service: Service,
  pin: number | null,
  from: string,
): Effect {
  const effect: Effect = { lockedSince: null, endLines: [] };
  const cycles = [
    ...new Set(
      rows.products
        .filter(isPushed)
        .filter((p) => p.productName === product.productName && p.productSku === product.productSku)
        .map((p) => p.billingCycle),
    ),
  ].filter((c) => cycle === 'any' || c === cycle);
  for (const c of cycles) {
    const before = serviceMappingFor(rows, product, c);
    if (!before) continue;
    // an 'any' change does not reach a cycle that has its own override
    if (cycle === 'any' && before.scope === 'customer' && before.row.billingCycle === c) continue;
    const beforePin = before.scope === 'customer' ? before.row.contractId : null;
    if (before.row.serviceId === service.id && beforePin === pin) continue;
    const uploaded = rows.contracts.filter((k) => k.billingCycle === c && k.firstUploadedAt);
    if (!before.row.firstUploadedAt || uploaded.length === 0) continue;
    effect.lockedSince ??= before.row.firstUploadedAt;
    effect.endLines.push(
      ...endLinesFor(
        rows,
        { product, serviceId: before.row.serviceId, contractIds: uploaded.map((k) => k.contractId) },
        from,
      ),
    );
  }
  return effect;
}

export async function mapProductService(
  deps: MappingDeps,
  raw: MapProductInput,
  actor: Actor,
  /** more writes for the same transaction (e.g. marking the suggestion that led here confirmed) */
  within?: (db: Db) => Promise<void>,
): Promise<MappingChange> {
  const { prisma } = deps;
  const parsed = parseInput(MapProductInputSchema, raw, MAP_PRODUCT_USAGE);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const cycle = input.billingCycle ?? 'any';
  if (cycle !== 'any' && !isBillingCycle(cycle))
    return refusal(
      'BILLING_CYCLE_UNSUPPORTED',
      `"${cycle}" is not a billing cycle that is pushed`,
      'use monthly, annual or leave it out',
    );
  const pin = input.contractId ?? null;
  if (pin !== null && !input.customerId)
    return refusal('PRODUCT_MULTI_CONTRACT', 'a contract pin is per customer', 'name the customer');
  if (pin !== null && cycle === 'any')
    return refusal(
      'PRODUCT_MULTI_CONTRACT',
      'a contract has one period, so a pinned product needs its billing cycle',
      'say monthly or annual',
    );
  const customerRows = input.customerId ? await loadMappingRows(prisma, input.customerId) : null;
  if (input.customerId && !customerRows)
    return refusal('CUSTOMER_NOT_FOUND', `there is no customer ${input.customerId}`, 'see: customers');
  if (pin !== null && !customerRows!.contracts.some((k) => k.contractId === pin && k.billingCycle === cycle))
    return refusal(
      'CONTRACT_NOT_FOUND',
      `contract ${pin} is not mapped for ${customerRows!.customer.name}'s ${cycle} subscriptions`,
      `map it first: map ${customerRows!.customer.name} contract ${cycle} ${pin}`,
    );
  const found = await findProduct(prisma, input);
  if (!found.ok) return found;
  const { product } = found;
  const snapshot = await loadSnapshot(deps.directory, []);
  const target = findService(
    input.service,
    snapshot.services.values(),
    cycle === 'any' ? undefined : { cycle: cycle as BillingCycle, picklists: snapshot.picklists },
  );
  if (!target.ok) return target;
  const { service } = target;
  if (!service.isActive)
    return refusal(
      'SERVICE_INACTIVE',
      `Autotask service ${service.id} "${service.name}" is inactive`,
      'reactivate it in Autotask or choose another service',
    );
  const from = input.force?.effectiveFrom ?? todayOf(deps);
  const affected: MappingRows[] = [];
  if (customerRows) affected.push(customerRows);
  else
    for (const customerId of new Set(
      (await listCustomerProducts(prisma))
        .filter((p) => p.productName === product.productName)
        .map((p) => p.customerId),
    ))
      affected.push((await loadMappingRows(prisma, customerId))!);
  const effects = affected.map((rows) => effectOn(rows, product, cycle, service, pin, from));
  const lockedSince = effects.find((e) => e.lockedSince)?.lockedSince ?? null;
  const endLines = effects.flatMap((e) => e.endLines);
  const what = `${product.productName}${product.productSku ? ` (${product.productSku})` : ''}`;
  if (lockedSince && !input.force)
    return auditRefusal(
      prisma,
      actor,
      'mapping.product.refused',
      input.customerId,
      lockedRefusal(`the service mapping of ${what}`, lockedSince),
      { product, cycle, to: service.id, pin },
    );
  const key = { productName: product.productName, productSku: product.productSku, billingCycle: cycle };
  return writeOrRefuse(async () => {
    const changed = await prisma.$transaction(async (db) => {
      if (input.force) await allowForcedChange(db, input.force.reason);
      const common = {
        serviceId: service.id,
        serviceName: service.name,
        decidedBy: actor.id,
        decidedAt: new Date(),
      };
      let before: { serviceId: number; contractId?: number | null } | null;
      if (input.customerId) {
        const where = {
          customerId_productName_productSku_billingCycle: { customerId: input.customerId, ...key },
        };
        before = await db.customerProductOverride.findUnique({ where });
        if (before && before.serviceId === service.id && before.contractId === pin) {
          if (within) await within(db);
          return false;
        }
        await db.customerProductOverride.upsert({
          where,
          create: { customerId: input.customerId, ...key, ...common, contractId: pin, source: 'manual' },
          update: { ...common, contractId: pin, source: 'manual', firstUploadedAt: null },
        });
      } else {
        const where = { productName_productSku_billingCycle: key };
        before = await db.productServiceRule.findUnique({ where });
        if (before && before.serviceId === service.id) {
          if (within) await within(db);
          return false;
        }
        await db.productServiceRule.upsert({
          where,
          create: { ...key, ...common, source: 'manual' },
          update: { ...common, source: 'manual', firstUploadedAt: null },
        });
      }
      await db.mappingSuggestion.updateMany({
        where: {
          kind: 'service',
          productName: product.productName,
          productSku: product.productSku,
          // a mapping for one cycle answers that cycle's suggestions (and those for every cycle)
          ...(cycle === 'any' ? {} : { billingCycle: { in: [cycle, 'any'] } }),
          status: 'pending',
          ...(input.customerId ? { customerId: input.customerId } : {}),
        },
        data: { status: 'superseded', decidedBy: actor.id, decidedAt: new Date() },
      });
      if (within) await within(db);
      await recordAudit(db, {
        actor,
        action: 'mapping.product.mapped',
        customerId: input.customerId,
        details: {
          scope: input.customerId ? 'customer' : 'global',
          product,
          cycle,
          from: before ? { serviceId: before.serviceId, contractId: before.contractId ?? null } : null,
          to: { serviceId: service.id, serviceName: service.name, contractId: pin },
          ...(input.force ? { forced: true, reason: input.force.reason, endLines } : {}),
        },
      });
      return true;
    });
    return {
      ok: true,
      changed,
      message: `${what}${cycle === 'any' ? '' : ` (${cycle})`}${input.customerId ? ` for ${customerRows!.customer.name}` : ' (all customers)'} → service ${service.id} "${service.name}" (${serviceLabel(service, snapshot.picklists).split(' · ').slice(2).join(' · ')})${pin !== null ? ` on contract ${pin}` : ''}`,
      endLines: changed ? endLines : [],
    };
  }, CHECK_REFUSALS.productPin);
}
