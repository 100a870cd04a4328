// Locks the mapping a line was uploaded under (the mapping part's recordUploadUnderMapping), in
// the same transaction as the ledger marks the operation done. The targets are resolved once per
// upload, before the first call, because a transaction must not wait on Autotask.
import type { Actor } from '../audit/actor.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import type { AutotaskDirectory } from '../mapping/autotaskDirectory.js';
import { recordUploadUnderMapping } from '../mapping/recordUpload.js';
import type { LedgerOperation } from '../sync/operationLedger.js';
import { resolveMappingsForSync, type ResolvedForSync } from './syncMappingResolver.js';

export type OnOperationDone = (tx: Db, op: LedgerOperation) => Promise<void>;

export function mappingLockOnDone(
  resolved: ReadonlyMap<string, ResolvedForSync>,
  actor: Actor,
): OnOperationDone {
  return async (tx, op) => {
    const mapping = resolved.get(op.customerId);
    const target = mapping?.products.find(
      (p) =>
        p.productName === op.productName &&
        p.billingCycle === op.billingCycle &&
        p.service.id === op.serviceId &&
        p.contract.id === op.contractId,
    );
    // a mapping changed since validation is caught by the stale-plan check; nothing to lock then
    if (!mapping || mapping.companyId === null || !target) return;
    await recordUploadUnderMapping(
      tx,
      { customerId: op.customerId, companyId: mapping.companyId, target },
      actor,
    );
  };
}

/**
 * What the upload job calls before an attempt's first Autotask call: resolves the mappings of the
 * customers with operations still to send, and answers the hook that locks them as lines go out.
 */
export function mappingLockForRun(
  deps: { prisma: PrismaClient; directory: AutotaskDirectory },
  actor: Actor,
): (runId: string) => Promise<OnOperationDone | undefined> {
  return async (runId) => {
    const customers = await deps.prisma.syncOperationRecord.findMany({
      where: { runId, status: { in: ['planned', 'sending', 'failed'] } },
      distinct: ['customerId'],
      select: { customerId: true },
    });
    if (customers.length === 0) return undefined;
    const resolved = await resolveMappingsForSync(
      deps,
      customers.map((c) => c.customerId),
    );
    return mappingLockOnDone(resolved, actor);
  };
}
