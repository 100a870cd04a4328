// What chat calls to get uploads going: `approve <run>` (after the approval is stored, queue its
// upload) and `retry <run>` — the Retry button of a failure notification — which queues a
// re-attempt that sends only what is not done yet.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { getRun } from '../sync/runStore.js';
import { describeState } from '../sync/runStateMachine.js';

export interface UploadQueue {
  enqueueUpload(runId: string, retryBy?: Actor): Promise<void>;
}

export type QueueOutcome =
  | { ok: true; runId: string; message: string }
  | { ok: false; code: 'RUN_NOT_FOUND' | 'RUN_STATE'; message: string };

/** After `approve <run>` succeeded: the upload runs in the background. */
export async function queueApprovedUpload(
  deps: { prisma: PrismaClient; queue: UploadQueue },
  runId: string,
): Promise<QueueOutcome> {
  const run = await getRun(deps.prisma, runId);
  if (!run) return { ok: false, code: 'RUN_NOT_FOUND', message: `there is no run ${runId}` };
  if (run.state !== 'approved')
    return {
      ok: false,
      code: 'RUN_STATE',
      message: `run ${runId} is ${describeState(run.state)}, not approved`,
    };
  await deps.queue.enqueueUpload(runId);
  return { ok: true, runId, message: `run ${runId} is queued for upload` };
}

/** `retry <run>`: re-attempt a failed or partially failed upload. Audited. */
export async function retryRun(
  deps: { prisma: PrismaClient; queue: UploadQueue },
  input: { runId: string; actor: Actor },
): Promise<QueueOutcome> {
  const run = await getRun(deps.prisma, input.runId);
  if (!run) return { ok: false, code: 'RUN_NOT_FOUND', message: `there is no run ${input.runId}` };
  // an approved run whose upload job gave up (say, Autotask was down for hours) is queued again too
  if (run.state !== 'failed' && run.state !== 'partially_failed' && run.state !== 'approved') {
    const message = `run ${run.id} is ${describeState(run.state)}; only a failed, partially failed or approved upload can be retried`;
    await recordAudit(deps.prisma, {
      actor: input.actor,
      action: 'upload.retry',
      runId: run.id,
      outcome: 'denied',
      details: { code: 'RUN_STATE', message },
    });
    return { ok: false, code: 'RUN_STATE', message };
  }
  await recordAudit(deps.prisma, {
    actor: input.actor,
    action: 'upload.retry_requested',
    runId: run.id,
    details: { from: run.state },
  });
  await deps.queue.enqueueUpload(run.id, input.actor);
  return {
    ok: true,
    runId: run.id,
    message: `run ${run.id} is queued for a retry; only what is not done is sent`,
  };
}
