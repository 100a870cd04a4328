// `validate <customer>|all` (and the scheduled job): in automatic mode exact matches are applied
// first, so `validate all` right after an import needs a person only for what is not exact; then
// a new run is validated and its plan stored.
import type { Actor } from '../audit/actor.js';
import type { OnProgress } from '../core/progress.js';
import type { MappingDeps } from '../mapping/mappingDeps.js';
import { runAutomaticMapping } from '../mapping/runAutomaticMapping.js';
import type { RunOutcome } from '../sync/runStore.js';
import type { UploadPlan } from '../sync/planUpload.js';
import { validateRun, type PlanOptions, type ValidateDependencies } from '../sync/validateRun.js';

export async function validateCustomers(
  deps: {
    planning: ValidateDependencies;
    /** a fresh read of Autotask's directory (automatic mapping may change mappings) */
    mapping: MappingDeps;
    /** who applies the automatic matches */
    mappingActor: Actor;
  },
  actor: Actor,
  scope: string,
  /** customers validated of all in scope */
  onProgress?: OnProgress,
  /** `correct <customer>`: corrections of hand edits too (docs/drift-watch.md) */
  options: PlanOptions = {},
): Promise<{ outcome: RunOutcome; plan: UploadPlan | null }> {
  await runAutomaticMapping(deps.mapping, scope === 'all' ? {} : { customerId: scope }, deps.mappingActor);
  return validateRun(deps.planning, actor, scope, onProgress, options);
}
