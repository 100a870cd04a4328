// The upload job body: sends a run's operations to Autotask exactly once.
//
// - The ledger row is written before (sending) and after (done | failed) every call.
// - Phases (src/sync/upload/): skip what another run did (skipDoneElsewhere); resolve what a crash
//   or an unknown outcome left `sending` from the units timeline (resolveSending); compare each
//   subscription's known lines with the ledger, a difference being DRIFT: nothing is sent for that
//   subscription (checkDrift); send in rounds (sendRounds, sendOperation).
// - A business-rule refusal fails that operation; later operations of the same subscription wait,
//   other subscriptions go on. A re-attempt sends only what is not done.
// - One retry layer: the Autotask client sends again what was refused before processing; this
//   executor sends each operation at most once per execution. An outcome the client cannot know is
//   looked up in the units timeline; if it did not arrive, the operation stays `sending` and the
//   next attempt resolves it before sending anything.
// - Calls: one batched read of lines and units, one call per operation, one read per unknown
//   outcome, and — only when an operation must address a repeat line opened earlier in the same
//   run — one more batched read per round to learn those lines' ids.
// - A repeat line is never opened before the service's base line exists on the contract: it would
//   become the first line, and the base line's creation would then be refused.
// - Before anything is sent, the tenant facts of the database (verify-tenant) are read: a behaviour
//   the engine relies on that the tenant contradicts stops the upload, every operation waiting.
// - One live execution per run (uploadExecution.ts), whatever the tenant lock does: a second
//   executor answers RUN_BUSY. Every ledger move is a compare-and-set; one that finds its row moved
//   on means another execution has the run now: this one sends nothing more, and leaves the run's
//   outcome to it.
import type { LaneActivity } from '../concurrency/runLanes.js';
import { formatProblem } from '../core/problem.js';
import { loadPushed, loadRunOperations, type LedgerOperation, type LedgerStatus } from './operationLedger.js';
import { finishUpload, getRun, runRefusal, type RunRefusal } from './runStore.js';
import { readContracts } from './upload/autotaskView.js';
import { checkDrift } from './upload/checkDrift.js';
import { resolveSending } from './upload/resolveSending.js';
import { readFailed, sendRounds } from './upload/sendRounds.js';
import { skipDoneElsewhere } from './upload/skipDoneElsewhere.js';
import { tenantContradiction } from './tenantFacts.js';
import { UploadSession, type UploadSessionDependencies } from './upload/uploadSession.js';
import { claimExecution, type UploadExecution } from './uploadExecution.js';

export { appliedInAutotask } from './upload/lineResolution.js';

export interface UploadDependencies extends UploadSessionDependencies {
  now?: () => Date;
  /**
   * operations sent at the same time (AUTOTASK_MAX_IN_FLIGHT, default 2): every write goes to one
   * Autotask endpoint (Contracts), whose thread limit is 3
   */
  inFlight?: number;
  /** told when a lane of concurrent sends opens and closes (the upload job's shutdown safe point) */
  lanes?: LaneActivity;
  /**
   * the Autotask database written to (autotaskDatabaseKey): its tenant facts are read before
   * anything is sent, and a contradicted behaviour the engine relies on stops the upload. The
   * upload job always names it; only in-process test drivers leave it out.
   */
  databaseKey?: string;
}

export interface UploadReport {
  ok: true;
  runId: string;
  outcome: 'succeeded' | 'partially_failed' | 'failed';
  counts: Record<LedgerStatus, number>;
  /** Autotask calls made by this execution (reads and writes) */
  calls: number;
  drift: { subscriptionId: string; message: string }[];
  waiting: { key: string; reason: string }[];
}

const PENDING: readonly LedgerStatus[] = ['planned', 'sending', 'failed'];
const DEFAULT_IN_FLIGHT = 2;

export async function executeUpload(
  deps: UploadDependencies,
  runId: string,
): Promise<UploadReport | RunRefusal> {
  const run = await getRun(deps.prisma, runId);
  if (!run) return runRefusal('RUN_NOT_FOUND', `there is no run ${runId}`);
  if (run.state !== 'uploading')
    return runRefusal('RUN_STATE', `run ${runId} is ${run.state}, not uploading`);
  const claim = await claimExecution(deps.prisma, runId);
  if (!claim.ok) return runRefusal(claim.code, claim.message);
  try {
    const session = new UploadSession(deps, runId, claim.execution);
    await sendWhatIsPending(session, deps);
    return await finish(session, deps, claim.execution);
  } finally {
    await claim.execution.end();
  }
}

async function sendWhatIsPending(session: UploadSession, deps: UploadDependencies): Promise<void> {
  const ops = await loadRunOperations(session.prisma, session.runId);
  await skipDoneElsewhere(session, ops);
  const pending = ops.filter((o) => PENDING.includes(o.status));
  if (pending.length === 0 || session.lostTo) return;

  // a tenant verify-tenant found to behave otherwise than the engine relies on: nothing is sent
  const contradiction = deps.databaseKey ? await tenantContradiction(session.prisma, deps.databaseKey) : null;
  if (contradiction) {
    for (const op of pending) await session.wait(op, contradiction);
    return;
  }

  session.customerIds = [...new Set(pending.map((o) => o.customerId))];
  const { knownLines } = await loadPushed(session.prisma, session.customerIds);
  for (const l of knownLines) session.lineIdByKey.set(l.lineKey, l.contractServiceId);

  // One batched read of every line and every units row on the contracts this run touches, and on
  // the contracts of every line these subscriptions already have (all of them are drift-checked).
  const pendingSubscriptions = new Set(pending.map((o) => o.subscriptionId));
  const contractIds = new Set([
    ...pending.map((o) => o.contractId),
    ...knownLines.filter((l) => pendingSubscriptions.has(l.subscriptionId)).map((l) => l.contractId),
  ]);
  const first = await readContracts(session.gateway, [...contractIds]);
  if (!first.ok) {
    for (const op of pending) await session.wait(op, readFailed(first.problem));
    return;
  }
  session.view = first.view;
  await session.learnRepeatLines();

  if (!(await resolveSending(session, pending))) return;
  await checkDrift(session, pending);
  await sendRounds(
    session,
    pending.filter((o) => o.status !== 'done'),
    { inFlight: deps.inFlight ?? DEFAULT_IN_FLIGHT, lanes: deps.lanes },
  );
}

async function finish(
  session: UploadSession,
  deps: UploadDependencies,
  execution: UploadExecution,
): Promise<UploadReport | RunRefusal> {
  const final = await loadRunOperations(session.prisma, session.runId);
  const counts = countStatuses(final);
  const complete = counts.planned + counts.sending + counts.failed === 0;
  const outcome = complete ? 'succeeded' : counts.done + counts.skipped > 0 ? 'partially_failed' : 'failed';
  const finished = await finishUpload(session.prisma, session.runId, session.actor, {
    outcome,
    counts: { ...counts, calls: session.calls },
    now: (deps.now ?? (() => new Date()))(),
    executionId: execution.id,
  });
  if (!finished.ok) return finished;
  if (session.lostTo) return runRefusal('RUN_BUSY', formatProblem(session.lostTo));
  return {
    ok: true,
    runId: session.runId,
    outcome,
    counts,
    calls: session.calls,
    drift: session.drift,
    waiting: session.waiting(),
  };
}

function countStatuses(ops: readonly LedgerOperation[]): Record<LedgerStatus, number> {
  const counts: Record<LedgerStatus, number> = { planned: 0, sending: 0, done: 0, failed: 0, skipped: 0 };
  for (const op of ops) counts[op.status] += 1;
  return counts;
}
