// `upload <run>` and `upload <customer>`: a validated run is put before the approvers, its plan
// checked fresh first; for a customer, a fresh plan is validated and requested at once.
import type { Actor } from '../audit/actor.js';
import {
  getRun,
  requestUpload as requestRunUpload,
  runRefusal,
  type FreshnessCheck,
  type RunOutcome,
} from '../sync/runStore.js';
import { validateRun, type ValidateDependencies } from '../sync/validateRun.js';
import { planFreshness } from './planFreshness.js';

export async function requestUpload(
  planning: ValidateDependencies,
  actor: Actor,
  runId: string,
  /** a check made a moment ago (the scheduled job has just validated); else the plan is computed again */
  check?: FreshnessCheck,
): Promise<RunOutcome> {
  const run = await getRun(planning.prisma, runId);
  if (!run) return runRefusal('RUN_NOT_FOUND', `there is no run ${runId}`);
  return requestRunUpload(planning.prisma, runId, actor, check ?? (await planFreshness(planning, run)));
}

/** `upload <customer>`: validate that customer now and request the run it makes. */
export async function requestCustomerUpload(
  planning: ValidateDependencies,
  actor: Actor,
  customerId: string,
): Promise<RunOutcome> {
  const { outcome, plan } = await validateRun(planning, actor, customerId);
  if (!outcome.ok) return outcome;
  if (!plan) return runRefusal('RUN_NOT_FOUND', 'validation failed');
  return requestUpload(planning, actor, outcome.run.id);
}
