// Phase 1: operations left `sending` (a crash, an unknown outcome) are resolved from what
// Autotask holds: done when it arrived; otherwise they are sent again with the rest.
import type { LedgerOperation } from '../operationLedger.js';
import { appliedInAutotask } from './lineResolution.js';
import type { UploadSession } from './uploadSession.js';

/** False when another execution moved an operation: this one then sends nothing. */
export async function resolveSending(
  session: UploadSession,
  pending: readonly LedgerOperation[],
): Promise<boolean> {
  for (const op of pending.filter((o) => o.status === 'sending')) {
    const found = appliedInAutotask(op, session.view, session.lineIdByKey, session.claimedIds());
    if (!found.applied) continue;
    if (
      !(await session.confirmDone(op, {
        contractServiceId: found.contractServiceId,
        how: 'found in Autotask',
      }))
    ) {
      session.lose(op);
      return false;
    }
  }
  return true;
}
