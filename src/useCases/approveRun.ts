// `approve <run>` (a person, or the auto-approve policy of the scheduled job): the decision is
// stored with four eyes and a fresh-plan check, then the upload is queued — uploads run only as
// jobs (src/jobs/uploadJob.ts).
import type { Actor } from '../audit/actor.js';
import {
  approveRun as approveStoredRun,
  getRun,
  runRefusal,
  type FreshnessCheck,
  type RunOutcome,
} from '../sync/runStore.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { planFreshness } from './planFreshness.js';

/** What the run use cases need from the job queue (JobScheduler implements it). */
export interface UploadQueue {
  enqueueUpload(runId: string, retryBy?: Actor): Promise<void>;
}

export async function approveRun(
  deps: { planning: ValidateDependencies; queue: UploadQueue },
  actor: Actor,
  runId: string,
  /** a check made a moment ago (the scheduled job has just validated); else the plan is computed again */
  check?: FreshnessCheck,
): Promise<RunOutcome> {
  const { prisma } = deps.planning;
  const run = await getRun(prisma, runId);
  if (!run) return runRefusal('RUN_NOT_FOUND', `there is no run ${runId}`);
  const fresh = check ?? (await planFreshness(deps.planning, run));
  const approved = await approveStoredRun(prisma, runId, actor, fresh);
  if (!approved.ok) return approved;
  await deps.queue.enqueueUpload(runId);
  return approved;
}
