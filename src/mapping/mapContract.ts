// Manual contract mapping: `map <customer> contract monthly|annual <id> [default]`. Only active
// Recurring Service contracts of the mapped company whose period matches the cycle; one default
// per customer and cycle; a contract belongs to one customer and cycle.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import { loadSnapshot } from './directorySnapshot.js';
import { endLinesFor } from './endLines.js';
import { auditRefusal, writeOrRefuse, type MappingChange } from './mappingChange.js';
import { todayOf, type MappingDeps } from './mappingDeps.js';
import {
  MAP_CONTRACT_USAGE,
  MapContractInputSchema,
  parseInput,
  type MapContractInput,
} from './mappingInputs.js';
import { refusal } from './mappingFinding.js';
import { defaultContractRow, loadMappingRows } from './resolveMappingForSync.js';
import { isBillingCycle } from '../core/billingCycle.js';
import { contractProblem, periodFor } from './selectContract.js';
import { allowForcedChange, lockedRefusal, CHECK_REFUSALS } from './uploadLock.js';

export async function mapContract(
  deps: MappingDeps,
  raw: MapContractInput,
  actor: Actor,
): Promise<MappingChange> {
  const { prisma } = deps;
  const parsed = parseInput(MapContractInputSchema, raw, MAP_CONTRACT_USAGE);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const cycle = input.billingCycle;
  if (!isBillingCycle(cycle))
    return refusal(
      'BILLING_CYCLE_UNSUPPORTED',
      `"${cycle}" is not a billing cycle that is pushed to Autotask`,
      'use monthly or annual',
    );
  const rows = await loadMappingRows(prisma, input.customerId);
  if (!rows)
    return refusal('CUSTOMER_NOT_FOUND', `there is no customer ${input.customerId}`, 'see: customers');
  const { customer } = rows;
  if (!rows.company)
    return refusal(
      'CUSTOMER_UNMAPPED',
      `${customer.name} is not mapped to an Autotask company yet`,
      `map the company first: map ${customer.name} company <id or name>`,
    );
  const snapshot = await loadSnapshot(deps.directory, [rows.company.companyId]);
  const contract = (snapshot.contracts.get(rows.company.companyId) ?? []).find(
    (c) => c.id === input.contractId,
  );
  if (!contract)
    return refusal(
      'CONTRACT_OTHER_COMPANY',
      `contract ${input.contractId} is not a contract of ${customer.name}'s company ${rows.company.companyId} "${rows.company.companyName}"`,
      'use a contract id from the mapping card',
    );
  const problem = contractProblem(contract, {
    customerId: customer.id,
    customerName: customer.name,
    cycle,
    picklists: snapshot.picklists,
    today: todayOf(deps),
  });
  if (problem) return refusal(problem.code, problem.message, problem.hint);
  const existing = rows.contracts.find((c) => c.contractId === contract.id);
  if (existing && existing.billingCycle !== cycle)
    return refusal(
      'CONTRACT_TAKEN',
      `contract ${contract.id} is already mapped for ${existing.billingCycle} subscriptions`,
      'a contract has one period: use another contract',
    );
  const otherCustomer = await prisma.customerContractMapping.findUnique({
    where: { contractId: contract.id },
  });
  if (otherCustomer && otherCustomer.customerId !== customer.id)
    return refusal(
      'CONTRACT_TAKEN',
      `contract ${contract.id} is mapped to another customer`,
      'use another contract',
    );
  const oldDefault = defaultContractRow(rows, cycle);
  const makeDefault = input.isDefault === true && oldDefault?.contractId !== contract.id;
  if (existing && !makeDefault)
    return { ok: true, changed: false, message: `contract ${contract.id} already is mapped`, endLines: [] };
  if (makeDefault && oldDefault?.firstUploadedAt && !input.force)
    return auditRefusal(
      prisma,
      actor,
      'mapping.contract.refused',
      customer.id,
      lockedRefusal(
        `the default ${cycle} contract ${oldDefault.contractId} "${oldDefault.contractName}" of ${customer.name}`,
        oldDefault.firstUploadedAt,
      ),
      { cycle, from: oldDefault.contractId, to: contract.id },
    );
  const from = input.force?.effectiveFrom ?? todayOf(deps);
  const endLines =
    makeDefault && oldDefault ? endLinesFor(rows, { contractIds: [oldDefault.contractId] }, from) : [];
  return writeOrRefuse(async () => {
    await prisma.$transaction(async (db) => {
      if (input.force) await allowForcedChange(db, input.force.reason);
      if (makeDefault && oldDefault)
        await db.customerContractMapping.update({ where: { id: oldDefault.id }, data: { isDefault: false } });
      if (existing)
        await db.customerContractMapping.update({
          where: { id: existing.id },
          data: { isDefault: true, decidedBy: actor.id, decidedAt: new Date(), source: 'manual' },
        });
      else
        await db.customerContractMapping.create({
          data: {
            customerId: customer.id,
            billingCycle: cycle,
            companyId: rows.company!.companyId,
            contractId: contract.id,
            contractName: contract.contractName,
            contractPeriod: periodFor(cycle),
            isDefault: makeDefault,
            source: 'manual',
            decidedBy: actor.id,
          },
        });
      await recordAudit(db, {
        actor,
        action: 'mapping.contract.mapped',
        customerId: customer.id,
        details: {
          cycle,
          contract: { id: contract.id, name: contract.contractName },
          isDefault: makeDefault || existing?.isDefault === true,
          previousDefault: makeDefault && oldDefault ? oldDefault.contractId : null,
          ...(input.force ? { forced: true, reason: input.force.reason, endLines } : {}),
        },
      });
    });
    return {
      ok: true,
      changed: true,
      message:
        `${customer.name} ${cycle} → contract ${contract.id} "${contract.contractName}"` +
        (makeDefault ? ' (default)' : ''),
      endLines,
    };
  }, CHECK_REFUSALS.contract);
}
