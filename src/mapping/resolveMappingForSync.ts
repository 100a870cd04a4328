// The read the sync part uses before validating a customer: the Autotask targets of each pushed
// product, or coded findings (docs/billing-semantics.md §5) that block the customer's upload.
import type { Contract, Service } from '../autotask/entities.js';
import type { Db } from '../db/prismaClient.js';
import type {
  CustomerContractMapping,
  CustomerProductOverride,
  ProductServiceRule,
} from '../db/generated/prisma/client.js';
import { isPushed, listCustomerProducts, type CustomerProduct } from './customerProducts.js';
import type { MappingDeps } from './mappingDeps.js';
import { todayOf } from './mappingDeps.js';
import { finding, type MappingFinding } from './mappingFinding.js';
import { loadSnapshot, type DirectorySnapshot } from './directorySnapshot.js';
import { isBillingCycle, type BillingCycle } from '../core/billingCycle.js';
import { contractProblem, selectContract, type ContractContext, type ContractVia } from './selectContract.js';
import { serviceLabel } from './servicePeriod.js';

export interface ProductTarget {
  productName: string;
  productSku: string;
  billingCycle: BillingCycle;
  service: Service;
  /** where the service mapping comes from */
  serviceScope: 'customer' | 'global';
  contract: Contract;
  contractVia: 'pin' | ContractVia;
}

export interface MappingResolution {
  customer: { id: string; name: string };
  company: { id: number; name: string } | null;
  contracts: Partial<Record<BillingCycle, Contract>>;
  products: ProductTarget[];
  findings: MappingFinding[];
}

export type SyncMapping =
  | ({ ok: true } & MappingResolution)
  | ({ ok: false } & MappingResolution)
  | { ok: false; customer: null; findings: MappingFinding[] };

export interface MappingRows {
  customer: { id: string; name: string };
  company: { companyId: number; companyName: string; firstUploadedAt: Date | null } | null;
  contracts: CustomerContractMapping[];
  overrides: CustomerProductOverride[];
  rules: ProductServiceRule[];
  products: CustomerProduct[];
  /** pending company suggestions, best first */
  pendingCompanySuggestions: PendingSuggestion[];
  /** pending service suggestions for the customer's products, best first */
  pendingServiceSuggestions: Array<PendingSuggestion & { productName: string; productSku: string }>;
}

export interface PendingSuggestion {
  id: string;
  candidateId: number;
  candidateName: string;
  confidence: number;
  reason: string;
  /** service suggestions: monthly | annual | any */
  billingCycle: string;
  note: string | null;
}

/**
 * "confirm <id> (company 12 "Acme", 0.9)" — for a service (`services` given) the target is named
 * in full (id · name · period · SKU · price) so two services of one name can be told apart.
 */
function offerText(offered: PendingSuggestion[], services?: DirectorySnapshot): string {
  return offered
    .map((s) => {
      const service = services?.services.get(s.candidateId);
      const target = service
        ? `service ${serviceLabel(service, services!.picklists)}`
        : `${services ? 'service' : 'company'} ${s.candidateId} "${s.candidateName}"`;
      return `confirm ${s.id} (${target}, ${s.confidence})`;
    })
    .join(' or ');
}

/** The service suggestions that answer one product in one billing cycle. */
export function suggestionsFor(
  offered: MappingRows['pendingServiceSuggestions'],
  product: { productName: string; productSku: string },
  cycle: string,
) {
  return offered.filter(
    (s) =>
      s.productName === product.productName &&
      s.productSku === product.productSku &&
      (s.billingCycle === cycle || s.billingCycle === 'any'),
  );
}

export async function loadMappingRows(db: Db, customerId: string): Promise<MappingRows | null> {
  return (await loadMappingRowsOf(db, [customerId])).get(customerId) ?? null;
}

/**
 * The mapping rows of many customers in a fixed number of queries (one per table), grouped in
 * memory: validating 200 customers read them one customer at a time before, ~1,600 round trips.
 * Customers that do not exist are absent from the map.
 */
export async function loadMappingRowsOf(
  db: Db,
  customerIds: readonly string[],
): Promise<Map<string, MappingRows>> {
  const ids = [...new Set(customerIds)];
  const result = new Map<string, MappingRows>();
  if (ids.length === 0) return result;
  const [customers, products, companies, contracts, overrides, pendingCompany] = await Promise.all([
    db.customer.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
    listCustomerProducts(db, ids),
    db.customerCompanyMapping.findMany({ where: { customerId: { in: ids } } }),
    db.customerContractMapping.findMany({
      where: { customerId: { in: ids } },
      orderBy: { decidedAt: 'asc' },
    }),
    db.customerProductOverride.findMany({ where: { customerId: { in: ids } } }),
    db.mappingSuggestion.findMany({
      where: { kind: 'company', customerId: { in: ids }, status: 'pending' },
      orderBy: { confidence: 'desc' },
    }),
  ]);
  // exact (null stays null), as the OR filter of the query matches
  const productKey = (p: { productName: string | null; productSku: string | null }) =>
    JSON.stringify([p.productName, p.productSku]);
  const productKeys = [
    ...new Map(
      products.map((p) => [productKey(p), { productName: p.productName, productSku: p.productSku }]),
    ).values(),
  ];
  // rules and service suggestions are per product, not per customer: read once for every
  // product any of these customers has, then handed to each customer for its own products
  const [rules, pendingService] =
    productKeys.length === 0
      ? [[], []]
      : await Promise.all([
          db.productServiceRule.findMany({ where: { OR: productKeys } }),
          db.mappingSuggestion.findMany({
            where: { kind: 'service', status: 'pending', OR: productKeys },
            orderBy: { confidence: 'desc' },
          }),
        ]);
  const pending = (s: (typeof pendingCompany)[number]): PendingSuggestion => ({
    id: s.id,
    candidateId: s.candidateId,
    candidateName: s.candidateName,
    confidence: Number(s.confidence),
    reason: s.reason,
    billingCycle: s.billingCycle,
    note: s.note,
  });
  const byCustomer = <T extends { customerId: string | null }>(rows: T[]) => {
    const grouped = new Map<string, T[]>();
    for (const row of rows) {
      const key = row.customerId ?? '';
      const list = grouped.get(key);
      if (list) list.push(row);
      else grouped.set(key, [row]);
    }
    return (customerId: string) => grouped.get(customerId) ?? [];
  };
  const productsOf = byCustomer(products);
  const contractsOf = byCustomer(contracts);
  const overridesOf = byCustomer(overrides);
  const pendingCompanyOf = byCustomer(pendingCompany);
  const companyOf = new Map(companies.map((c) => [c.customerId, c]));
  for (const customer of customers) {
    const own = productsOf(customer.id);
    const keys = new Set(own.map(productKey));
    result.set(customer.id, {
      customer,
      company: companyOf.get(customer.id) ?? null,
      contracts: contractsOf(customer.id),
      overrides: overridesOf(customer.id),
      rules: rules.filter((r) => keys.has(productKey(r))),
      products: own,
      pendingCompanySuggestions: pendingCompanyOf(customer.id).map(pending),
      pendingServiceSuggestions: pendingService
        .filter((s) => keys.has(productKey(s)))
        .map((s) => ({
          ...pending(s),
          productName: s.productName ?? '',
          productSku: s.productSku ?? '',
        })),
    });
  }
  return result;
}

/** The service rule in force: override for the cycle > override for any > rule for the cycle > rule for any. */
export function serviceMappingFor(
  rows: Pick<MappingRows, 'overrides' | 'rules'>,
  product: { productName: string; productSku: string },
  cycle: string,
): { scope: 'customer'; row: CustomerProductOverride } | { scope: 'global'; row: ProductServiceRule } | null {
  const same = (r: { productName: string; productSku: string }) =>
    r.productName === product.productName && r.productSku === product.productSku;
  const override =
    rows.overrides.find((o) => same(o) && o.billingCycle === cycle) ??
    rows.overrides.find((o) => same(o) && o.billingCycle === 'any');
  if (override) return { scope: 'customer', row: override };
  const rule =
    rows.rules.find((r) => same(r) && r.billingCycle === cycle) ??
    rows.rules.find((r) => same(r) && r.billingCycle === 'any');
  return rule ? { scope: 'global', row: rule } : null;
}

export function defaultContractRow(rows: Pick<MappingRows, 'contracts'>, cycle: BillingCycle) {
  return rows.contracts.find((c) => c.billingCycle === cycle && c.isDefault) ?? null;
}

/** Pure: rows + Autotask snapshot → targets and findings. */
export function resolveMapping(
  rows: MappingRows,
  snapshot: DirectorySnapshot,
  today: string,
): MappingResolution {
  const { customer } = rows;
  const about = { customerId: customer.id };
  const result: MappingResolution = { customer, company: null, contracts: {}, products: [], findings: [] };
  const pushed = rows.products.filter(isPushed);
  if (!rows.company) {
    const offered = rows.pendingCompanySuggestions;
    const ambiguous =
      offered.some((s) => s.reason === 'ambiguous') ||
      (offered.length > 1 && offered[0]!.confidence === offered[1]!.confidence);
    result.findings.push(
      ambiguous
        ? finding(
            'CUSTOMER_AMBIGUOUS',
            `${customer.name} matches several Autotask companies equally well`,
            `choose one: ${offerText(offered)}`,
            about,
          )
        : finding(
            'CUSTOMER_UNMAPPED',
            `${customer.name} is not mapped to an Autotask company`,
            offered.length > 0
              ? `${offerText(offered)}, or map it: map ${customer.name} company <id or name>`
              : `map it: map ${customer.name} company <id or name>`,
            about,
          ),
    );
    return result;
  }
  const company = snapshot.companies.get(rows.company.companyId);
  result.company = { id: rows.company.companyId, name: company?.companyName ?? rows.company.companyName };
  if (!company || !company.isActive) {
    result.findings.push(
      finding(
        'COMPANY_INACTIVE',
        `${customer.name} is mapped to Autotask company ${rows.company.companyId} "${rows.company.companyName}", which is ${company ? 'inactive' : 'no longer in Autotask'}`,
        `reactivate it in Autotask or map another: map ${customer.name} company <id or name> (with force if data was uploaded)`,
        about,
      ),
    );
    return result;
  }
  const contracts = snapshot.contracts.get(company.id) ?? [];
  const cycles = [...new Set(pushed.map((p) => p.billingCycle))].filter(isBillingCycle).sort();
  const via: Partial<Record<BillingCycle, ContractVia>> = {};
  const contextFor = (cycle: BillingCycle): ContractContext => ({
    customerId: customer.id,
    customerName: customer.name,
    cycle,
    picklists: snapshot.picklists,
    today,
  });
  for (const cycle of cycles) {
    const selection = selectContract(
      contracts,
      defaultContractRow(rows, cycle)?.contractId ?? null,
      contextFor(cycle),
    );
    if (selection.ok) {
      result.contracts[cycle] = selection.contract;
      via[cycle] = selection.via;
    } else result.findings.push(selection.finding);
  }
  for (const product of pushed) {
    const cycle = product.billingCycle as BillingCycle;
    const productAbout = { ...about, productName: product.productName, billingCycle: cycle };
    const mapping = serviceMappingFor(rows, product, cycle);
    if (!mapping) {
      const offered = suggestionsFor(rows.pendingServiceSuggestions, product, cycle);
      const why = offered.find((s) => s.note)?.note;
      result.findings.push(
        finding(
          'SERVICE_UNMAPPED',
          `${product.productName} (${cycle}) of ${customer.name} has no Autotask service${why ? ` (${why})` : ''}`,
          [
            offerText(offered, snapshot),
            `map it: map ${customer.name} product "${product.productName}" ${cycle} service <id or name>`,
          ]
            .filter(Boolean)
            .join(', or '),
          productAbout,
        ),
      );
      continue;
    }
    const service = snapshot.services.get(mapping.row.serviceId);
    if (!service || !service.isActive) {
      result.findings.push(
        finding(
          'SERVICE_INACTIVE',
          `${product.productName} is mapped to Autotask service ${mapping.row.serviceId} "${mapping.row.serviceName}", which is ${service ? 'inactive' : 'no longer in Autotask'}`,
          `reactivate it in Autotask or map another: map ${customer.name} product "${product.productName}" ${cycle} service <id or name>`,
          productAbout,
        ),
      );
      continue;
    }
    const pin = mapping.scope === 'customer' ? mapping.row.contractId : null;
    let contract = result.contracts[cycle];
    let contractVia: ProductTarget['contractVia'] = via[cycle] ?? 'only-candidate';
    if (pin !== null) {
      const pinned = contracts.find((c) => c.id === pin);
      const problem = pinned
        ? contractProblem(pinned, contextFor(cycle))
        : finding(
            'CONTRACT_MISSING',
            `${product.productName} is pinned to contract ${pin}, which is not among ${company.companyName}'s contracts`,
            `pin it to another: map ${customer.name} product "${product.productName}" service <id> contract <id>`,
            productAbout,
          );
      if (problem) {
        result.findings.push({ ...problem, productName: product.productName });
        continue;
      }
      contract = pinned;
      contractVia = 'pin';
    }
    if (!contract) continue; // the cycle's contract finding is already reported
    result.products.push({
      productName: product.productName,
      productSku: product.productSku,
      billingCycle: cycle,
      service,
      serviceScope: mapping.scope,
      contract,
      contractVia,
    });
  }
  // One product → one contract: guaranteed by the tables, checked again because billing twice is
  // the worst outcome this part can produce.
  const seen = new Map<string, number>();
  for (const t of result.products) {
    const key = `${t.productName}\u0000${t.productSku}\u0000${t.billingCycle}`;
    const other = seen.get(key);
    if (other !== undefined && other !== t.contract.id)
      result.findings.push(
        finding(
          'PRODUCT_MULTI_CONTRACT',
          `${t.productName} would be pushed to contracts ${other} and ${t.contract.id}`,
          `keep one: map ${customer.name} product "${t.productName}" service <id> contract <id>`,
          { ...about, productName: t.productName, billingCycle: t.billingCycle },
        ),
      );
    seen.set(key, t.contract.id);
  }
  return result;
}

/** For the sync part: the targets of every pushed product, or the findings that block the customer. */
export async function resolveMappingForSync(deps: MappingDeps, customerId: string): Promise<SyncMapping> {
  return syncMappingFromRows(deps, customerId, await loadMappingRows(deps.prisma, customerId));
}

/** The same, from rows already loaded (loadMappingRowsOf for many customers at once). */
export async function syncMappingFromRows(
  deps: MappingDeps,
  customerId: string,
  rows: MappingRows | null,
): Promise<SyncMapping> {
  if (!rows)
    return {
      ok: false,
      customer: null,
      findings: [
        finding(
          'CUSTOMER_UNMAPPED',
          `there is no customer with id ${customerId}`,
          'check the customer list',
          {
            customerId,
          },
        ),
      ],
    };
  const snapshot = await loadSnapshot(deps.directory, rows.company ? [rows.company.companyId] : []);
  const resolution = resolveMapping(rows, snapshot, todayOf(deps));
  return { ok: resolution.findings.length === 0, ...resolution };
}
