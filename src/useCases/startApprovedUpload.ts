// The one way an upload starts: an approved run (after its plan is checked fresh and its approval
// unexpired), a failed one a person asked to retry, or one a crash left `uploading` (resumed as
// it is) moves to `uploading`. The upload job calls it before executing; uploadApprovedRun runs
// both steps in this process.
import type { Actor } from '../audit/actor.js';
import { problem, type Problem } from '../core/problem.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { readRunPolicy } from '../sync/runPolicy.js';
import { getRun, runRefusal, startUpload, type RunRefusal, type RunView } from '../sync/runStore.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { planFreshness } from './planFreshness.js';

export type StartOutcome =
  /** the run is `uploading` now: moved there, or resumed */
  | { kind: 'started'; run: RunView }
  /** nothing to start (no such run, or a state no upload starts from); not audited */
  | { kind: 'skipped'; refusal: RunRefusal }
  /** the store refused the start (stale plan, expired approval, …); audited, tell someone */
  | { kind: 'refused'; run: RunView; refusal: RunRefusal }
  /** an approved plan cannot be checked here: the caller was built without the validate use case */
  | { kind: 'unplannable'; run: RunView; problem: Problem };

export async function startApprovedUpload(
  deps: {
    prisma: PrismaClient;
    /** the validate use case, to check an approved plan is still fresh (none: an approved run cannot start here) */
    planning: ValidateDependencies | undefined;
    now: () => Date;
  },
  input: {
    runId: string;
    actor: Actor;
    /** a person asked for a re-attempt (`retry <run>`): a failed upload may start again */
    retry: boolean;
  },
): Promise<StartOutcome> {
  const run = await getRun(deps.prisma, input.runId);
  if (!run)
    return { kind: 'skipped', refusal: runRefusal('RUN_NOT_FOUND', `there is no run ${input.runId}`) };
  if (run.state === 'uploading') return { kind: 'started', run };
  const retrying = (run.state === 'failed' || run.state === 'partially_failed') && input.retry;
  if (run.state !== 'approved' && !retrying)
    return {
      kind: 'skipped',
      refusal: runRefusal('RUN_STATE', `run ${run.id} is ${run.state}; nothing to upload`),
    };
  const fresh = retrying
    ? // a retry relies on the executor's drift check (the first attempt changed the ledger, part of
      // the plan's inputs): no plan is computed, and the store checks no hash for it
      { currentPlanHash: run.planHash, now: deps.now(), policy: await readRunPolicy(deps.prisma) }
    : deps.planning && { ...(await planFreshness(deps.planning, run)), now: deps.now() };
  if (!fresh)
    return {
      kind: 'unplannable',
      run,
      problem: problem(
        'JOBS_PLANNING_UNAVAILABLE',
        `run ${run.id} is approved, but this worker cannot re-check its plan (the validate use case is not wired)`,
        'start the bot with mapping configured',
      ),
    };
  const started = await startUpload(deps.prisma, run.id, input.actor, fresh);
  return started.ok ? { kind: 'started', run: started.run } : { kind: 'refused', run, refusal: started };
}
