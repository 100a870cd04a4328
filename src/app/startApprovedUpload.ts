// The one place an approved (or retried) run becomes an upload. Until the jobs part schedules it
// on Agenda, the bot runs it in its own process in the background and the CLI runs it and waits,
// so an approval from a terminal completes with no bot running. Replace this function to move
// uploads onto jobs; nothing else starts one.
import type { Actor } from '../audit/actor.js';
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import type { Logger } from '../observability/logger.js';
import { clientAutotaskGateway } from '../sync/clientAutotaskGateway.js';
import type { UploadReport } from '../sync/executeUpload.js';
import { uploadApprovedRun } from '../sync/runCommands.js';
import { readRunPolicy } from '../sync/runPolicy.js';
import { getRun, startUpload, type RunRefusal } from '../sync/runStore.js';
import { computePlan, type ValidateDependencies } from '../sync/validateRun.js';
import { resolveMappingsForSync } from './syncMappingResolver.js';
import { mappingLockOnDone } from './uploadMappingLock.js';

export const UPLOAD_ACTOR: Actor = { id: 'system:upload', name: 'upload' };

export interface UploadStarterDependencies {
  sync: ValidateDependencies;
  client: AutotaskClient;
  directory: Parameters<typeof resolveMappingsForSync>[0]['directory'];
  logger: Pick<Logger, 'info' | 'error'>;
  /** true: return once the upload has finished (the CLI); false: return once it has started (the bot) */
  wait: boolean;
  /** told when an upload ends (chat rewrites the approval card, or posts a failure) */
  onFinished?: (runId: string, report: UploadReport | RunRefusal) => Promise<void>;
}

export type UploadStart = { ok: true; finished: Promise<UploadReport | RunRefusal> } | RunRefusal;

export interface UploadStarter {
  startApprovedUpload(runId: string, actor: Actor): Promise<UploadStart>;
  /** uploads this process still runs (the bot waits for them on shutdown) */
  inFlight(): Promise<unknown>[];
}

export function createUploadStarter(deps: UploadStarterDependencies): UploadStarter {
  const running = new Set<Promise<unknown>>();
  return {
    inFlight: () => [...running],
    async startApprovedUpload(runId, actor) {
      const { prisma } = deps.sync;
      const now = deps.sync.now?.() ?? new Date();
      const run = await getRun(prisma, runId);
      if (!run) return { ok: false, code: 'RUN_NOT_FOUND', message: `there is no run ${runId}` };
      // a first upload must still match its approved plan; a retry is checked for drift instead
      let currentPlanHash = run.planHash;
      if (run.state === 'approved') {
        const computed = await computePlan(deps.sync, run.scope);
        if (!computed.ok) return { ok: false, code: 'RUN_NOT_FOUND', message: computed.message };
        currentPlanHash = computed.plan.planHash;
      }
      const policy = await readRunPolicy(prisma);
      const started = await startUpload(prisma, runId, actor, { currentPlanHash, now, policy });
      if (!started.ok) return started;

      const execute = async (): Promise<UploadReport | RunRefusal> => {
        const customers = await prisma.syncOperationRecord.findMany({
          where: { runId, status: { in: ['planned', 'sending', 'failed'] } },
          distinct: ['customerId'],
          select: { customerId: true },
        });
        const resolved = customers.length
          ? await resolveMappingsForSync(
              { prisma, directory: deps.directory },
              customers.map((c) => c.customerId),
            )
          : new Map();
        // the run is `uploading` now, so the sync part's use case goes straight to sending
        const report = await uploadApprovedRun(
          {
            ...deps.sync,
            gateway: clientAutotaskGateway(deps.client),
            onOperationDone: mappingLockOnDone(resolved, UPLOAD_ACTOR),
          },
          UPLOAD_ACTOR,
          runId,
        );
        deps.logger.info({ runId, report }, 'upload finished');
        await deps.onFinished?.(runId, report);
        return report;
      };
      const finished = execute().catch(async (error: unknown) => {
        deps.logger.error({ err: error, runId }, 'upload stopped by an error');
        const refusal: RunRefusal = {
          ok: false,
          code: 'RUN_STATE',
          message: `the upload of run ${runId} stopped: ${error instanceof Error ? error.message : String(error)} — retry ${runId}`,
        };
        await deps.onFinished?.(runId, refusal).catch(() => undefined);
        return refusal;
      });
      running.add(finished);
      void finished.finally(() => running.delete(finished));
      if (deps.wait) await finished;
      return { ok: true, finished };
    },
  };
}
