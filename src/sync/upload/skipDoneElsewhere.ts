// Phase 0: operations another run already did are skipped before anything is read, so a second
// upload of the same plan makes no Autotask call at all.
import { loadKeysDoneElsewhere, markSkipped, type LedgerOperation } from '../operationLedger.js';
import { operationProblem } from '../operationProblem.js';
import type { UploadSession } from './uploadSession.js';

export async function skipDoneElsewhere(
  session: UploadSession,
  ops: readonly LedgerOperation[],
): Promise<void> {
  const doneElsewhere = await loadKeysDoneElsewhere(
    session.prisma,
    session.runId,
    ops.map((o) => o.key),
  );
  for (const op of ops.filter((o) => o.status === 'planned' && doneElsewhere.has(o.key))) {
    const reason = operationProblem('ALREADY_DONE', 'already done by an earlier run');
    if (await markSkipped(session.prisma, op, session.actor, reason)) op.status = 'skipped';
    else session.lose(op);
  }
}
