// The run use cases a chat command, the CLI or a job calls: request, approve, reject, upload and
// retry. Each re-computes the plan of the run's scope so a stale plan is refused, reads the
// approval policy from the settings, and answers with a run or a coded refusal.
import type { Actor } from '../audit/actor.js';
import type { AutotaskGateway } from './autotaskGateway.js';
import { executeUpload, type UploadDependencies, type UploadReport } from './executeUpload.js';
import { readRunPolicy } from './runPolicy.js';
import {
  approveRun,
  getRun,
  rejectRun,
  requestUpload,
  startUpload,
  type FreshnessCheck,
  type RunOutcome,
  type RunRefusal,
  type RunView,
} from './runStore.js';
import { computePlan, type ValidateDependencies } from './validateRun.js';

export interface SyncServices extends ValidateDependencies {
  gateway: AutotaskGateway;
  /** runs inside the transaction that marks an operation done (the mapping part locks its mapping) */
  onOperationDone?: UploadDependencies['onOperationDone'];
}

async function freshness(services: SyncServices, run: RunView): Promise<FreshnessCheck> {
  const computed = await computePlan(services, run.scope);
  return {
    // a customer that disappeared makes every plan for it stale
    currentPlanHash: computed.ok ? computed.plan.planHash : `gone:${run.scope}`,
    now: services.now?.() ?? new Date(),
    policy: await readRunPolicy(services.prisma),
  };
}

const notFound = (runId: string): RunRefusal => ({
  ok: false,
  code: 'RUN_NOT_FOUND',
  message: `there is no run ${runId} — list runs with \`runs\``,
});

export async function requestRunUpload(
  services: SyncServices,
  actor: Actor,
  runId: string,
): Promise<RunOutcome> {
  const run = await getRun(services.prisma, runId);
  if (!run) return notFound(runId);
  return requestUpload(services.prisma, runId, actor, await freshness(services, run));
}

export async function approveRunUpload(
  services: SyncServices,
  actor: Actor,
  runId: string,
): Promise<RunOutcome> {
  const run = await getRun(services.prisma, runId);
  if (!run) return notFound(runId);
  return approveRun(services.prisma, runId, actor, await freshness(services, run));
}

export async function rejectRunUpload(
  services: SyncServices,
  actor: Actor,
  runId: string,
  reason?: string,
): Promise<RunOutcome> {
  return rejectRun(services.prisma, runId, actor, { now: services.now?.() ?? new Date(), reason });
}

/**
 * Starts (or, after a partial failure, retries) the upload of an approved run and runs it to the
 * end in this process — what the upload job does, and what the CLI does when no bot runs.
 */
export async function uploadApprovedRun(
  services: SyncServices,
  actor: Actor,
  runId: string,
): Promise<UploadReport | RunRefusal> {
  const run = await getRun(services.prisma, runId);
  if (!run) return notFound(runId);
  if (run.state !== 'uploading') {
    const started = await startUpload(services.prisma, runId, actor, await freshness(services, run));
    if (!started.ok) return started;
  }
  return executeUpload(
    {
      prisma: services.prisma,
      gateway: services.gateway,
      actor,
      now: services.now,
      inFlight: services.budget.inFlight,
      onOperationDone: services.onOperationDone,
    },
    runId,
  );
}
