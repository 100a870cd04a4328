// Locks the mapping a line was uploaded under (the mapping part's recordUploadUnderMapping), in
// the same transaction as the ledger marks the operation done. The targets are resolved once per
// upload, before the first call, because a transaction must not wait on Autotask.
import type { Actor } from '../audit/actor.js';
import type { Db } from '../db/prismaClient.js';
import { recordUploadUnderMapping } from '../mapping/recordUpload.js';
import type { LedgerOperation } from '../sync/operationLedger.js';
import type { ResolvedForSync } from './syncMappingResolver.js';

export function mappingLockOnDone(
  resolved: ReadonlyMap<string, ResolvedForSync>,
  actor: Actor,
): (tx: Db, op: LedgerOperation) => Promise<void> {
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
