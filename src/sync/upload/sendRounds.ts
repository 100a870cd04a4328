// Phase 3: send, in plan order, in rounds. An operation on a repeat line whose id is not known yet
// (opened earlier in this run), or one that would open a repeat line before the service's base
// line exists, waits, with the rest of its subscription, for the next batched read.
//
// Up to `inFlight` operations are sent at once: a round's operations are split into independent
// chains (independentChains.ts), each sent in plan order. Everything a decision reads belongs to
// one chain, so each operation is decided exactly as if sent alone in plan order; only a FATAL
// failure reaches across chains (the others stop at their next operation).
import type { Problem } from '../../core/problem.js';
import { runLanes, type LaneActivity } from '../../concurrency/runLanes.js';
import { independentChains } from '../independentChains.js';
import type { LedgerOperation } from '../operationLedger.js';
import { operationProblem } from '../operationProblem.js';
import { mergeView, readContracts } from './autotaskView.js';
import { needsUnknownRepeatLine, opensBeforeBaseLine } from './lineResolution.js';
import { sendOperation } from './sendOperation.js';
import type { UploadSession } from './uploadSession.js';

const MAX_ROUNDS = 10;

type WaitsFor = 'line' | 'base';

export async function sendRounds(
  session: UploadSession,
  queue: LedgerOperation[],
  options: { inFlight: number; lanes?: LaneActivity },
): Promise<void> {
  const holdsBack = (op: LedgerOperation): WaitsFor | null =>
    needsUnknownRepeatLine(op, session.lineIdByKey)
      ? 'line'
      : opensBeforeBaseLine(op, session.view.lines)
        ? 'base'
        : null;
  for (let round = 1; queue.length > 0; round++) {
    session.stage = 2 * round - 1;
    const deferred: LedgerOperation[] = [];
    /** per deferred subscription, what its first deferred operation waits for */
    const heldBack = new Map<string, { op: LedgerOperation; waitsFor: WaitsFor }>();
    /** a FATAL failure stops every chain: the rest of the round only notes why it waits */
    const stop: { fatal: Problem | null } = { fatal: null };
    await runLanes(
      independentChains(queue),
      options.inFlight,
      async (chain, stopped) => {
        // a subscription lies within one chain, so its deferral is the chain's own business
        const deferredSubscriptions = new Set<string>();
        for (const op of chain) {
          if (stopped.aborted) return;
          if (op.status === 'done' || op.status === 'skipped') continue;
          const reason = stop.fatal ?? session.blocked.get(op.subscriptionId);
          if (reason) {
            await session.wait(op, reason);
            continue;
          }
          const waitsFor = deferredSubscriptions.has(op.subscriptionId) ? null : holdsBack(op);
          if (deferredSubscriptions.has(op.subscriptionId) || waitsFor !== null) {
            if (waitsFor !== null) heldBack.set(op.subscriptionId, { op, waitsFor });
            deferred.push(op);
            deferredSubscriptions.add(op.subscriptionId);
            continue;
          }
          const outcome = await sendOperation(session, op);
          if (outcome.kind === 'blocked')
            session.blocked.set(
              op.subscriptionId,
              operationProblem(
                'WAITS_FOR_EARLIER',
                `waits for ${op.key} (${outcome.reason.code}: ${outcome.reason.message})`,
              ),
            );
          else if (outcome.kind === 'fatal') stop.fatal = outcome.reason;
        }
      },
      options.lanes,
    );
    deferred.sort((a, b) => a.seq - b.seq);
    session.stage = 2 * round;
    if (deferred.length === 0 || stop.fatal) return;
    const reread = await readContracts(session.gateway, [...new Set(deferred.map((o) => o.contractId))]);
    if (reread.ok) {
      mergeView(session.view, reread.view);
      await session.learnRepeatLines();
    }
    const progress = [...heldBack.values()].some(({ op }) => holdsBack(op) === null);
    if (!reread.ok || round >= MAX_ROUNDS || !progress) {
      // nothing learned: do not loop; a retry reads Autotask again
      for (const op of deferred)
        await session.wait(
          op,
          reread.ok ? heldBackProblem(heldBack.get(op.subscriptionId)) : readFailed(reread.problem),
        );
      return;
    }
    queue = deferred;
  }
}

/** The read of the contracts failed: what waits says so. */
export const readFailed = (cause: Problem): Problem =>
  operationProblem('AUTOTASK_READ_FAILED', cause.message);

function heldBackProblem(held: { op: LedgerOperation; waitsFor: WaitsFor } | undefined): Problem {
  if (held?.waitsFor === 'base')
    return operationProblem(
      'BASE_LINE_MISSING',
      `contract ${held.op.contractId} has no line for service ${held.op.serviceId} yet, so no second (repeat) line can be opened for ${held.op.subscriptionId}`,
    );
  return operationProblem('LINE_UNKNOWN', 'the repeat line this change belongs to was not found in Autotask');
}
