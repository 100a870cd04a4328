// `retry <run>` — the Retry button of a failure notice: queues a re-attempt of a failed or
// partially failed upload that sends only what is not done yet (or an approved run whose upload
// job gave up). Audited, refused or not.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { getRun, runRefusal, type RunOutcome } from '../sync/runStore.js';
import { describeState } from '../sync/runStateMachine.js';
import type { UploadQueue } from './approveRun.js';

export async function retryRun(
  deps: { prisma: PrismaClient; queue: UploadQueue },
  input: { runId: string; actor: Actor },
): Promise<RunOutcome> {
  const run = await getRun(deps.prisma, input.runId);
  if (!run) return runRefusal('RUN_NOT_FOUND', `there is no run ${input.runId}`);
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
    return runRefusal('RUN_STATE', message);
  }
  await recordAudit(deps.prisma, {
    actor: input.actor,
    action: 'upload.retry_requested',
    runId: run.id,
    details: { from: run.state },
  });
  await deps.queue.enqueueUpload(run.id, input.actor);
  return { ok: true, run };
}
