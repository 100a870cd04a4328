// What a run's next step is checked against: a plan computed again from today's inputs (a stale
// plan is refused), the clock, and the approval policy from the settings.
import { readRunPolicy } from '../sync/runPolicy.js';
import type { FreshnessCheck, RunView } from '../sync/runStore.js';
import { computePlan, type ValidateDependencies } from '../sync/validateRun.js';

export async function planFreshness(planning: ValidateDependencies, run: RunView): Promise<FreshnessCheck> {
  const computed = await computePlan(planning, run.scope);
  return {
    // a customer that disappeared makes every plan for it stale
    currentPlanHash: computed.ok ? computed.plan.planHash : `gone:${run.scope}`,
    now: planning.now?.() ?? new Date(),
    policy: await readRunPolicy(planning.prisma),
  };
}
