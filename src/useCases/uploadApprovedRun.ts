// Starts (or, after a partial failure, retries) the upload of an approved run and runs it to the
// end in this process, without the job queue: what the benches and the sync tests drive. The bot
// and the CLI run uploads as jobs (src/jobs/uploadJob.ts) through the same startApprovedUpload.
import type { Actor } from '../audit/actor.js';
import type { AutotaskGateway } from '../sync/autotaskGateway.js';
import { executeUpload, type UploadDependencies, type UploadReport } from '../sync/executeUpload.js';
import type { RunRefusal } from '../sync/runStore.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { startApprovedUpload } from './startApprovedUpload.js';

export interface InProcessUploadDependencies extends ValidateDependencies {
  gateway: AutotaskGateway;
  /** runs inside the transaction that marks an operation done (the mapping part locks its mapping) */
  onOperationDone?: UploadDependencies['onOperationDone'];
}

export async function uploadApprovedRun(
  deps: InProcessUploadDependencies,
  actor: Actor,
  runId: string,
): Promise<UploadReport | RunRefusal> {
  const now = deps.now ?? (() => new Date());
  // a person runs this: a failed upload is retried
  const start = await startApprovedUpload(
    { prisma: deps.prisma, planning: deps, now },
    { runId, actor, retry: true },
  );
  if (start.kind === 'skipped' || start.kind === 'refused') return start.refusal;
  if (start.kind === 'unplannable') throw new Error(start.problem.message);
  return executeUpload(
    {
      prisma: deps.prisma,
      gateway: deps.gateway,
      actor,
      now: deps.now,
      inFlight: deps.budget.inFlight,
      onOperationDone: deps.onOperationDone,
    },
    runId,
  );
}
