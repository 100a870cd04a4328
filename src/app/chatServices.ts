// The ChatServices port (src/chat/chatServices.ts) over the use cases of src/useCases: a thin
// adapter that calls them and builds the port's views from their answers. Roles and four eyes are
// the router's job. Approvals and retries queue an upload job (src/jobs): uploads run nowhere
// else. Listings read Autotask's directory through the process's cache; what may change a
// mapping reads fresh and drops it.
import { problem } from '../core/problem.js';
import { explainSubscription } from '../useCases/explainSubscription.js';
import { reconcileCustomers } from '../useCases/reconcileCustomers.js';
import { reconciliationCsv } from '../reconciliation/reconciliationCsv.js';
import { chartAltText } from '../chat/explainCard.js';
import type { ChartPublisher } from './chartPublisher.js';
import type { Actor } from '../audit/actor.js';
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import type { ChatServices, RunSummary, UploadRequestResult } from '../chat/chatServices.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { AutotaskDirectory } from '../mapping/autotaskDirectory.js';
import { mapCompany } from '../mapping/mapCompany.js';
import { mapProductService } from '../mapping/mapProductService.js';
import type { MappingDeps } from '../mapping/mappingDeps.js';
import { listUnmapped } from '../mapping/mappingState.js';
import { confirmAllSuggestions, confirmSuggestion } from '../mapping/suggestions.js';
import { runRefusalProblem, type RunOutcome } from '../sync/runStore.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { approveRun, type UploadQueue } from '../useCases/approveRun.js';
import { listCustomers } from '../useCases/listCustomers.js';
import { listRunIds } from '../useCases/listRuns.js';
import { listSchedules } from '../useCases/listSchedules.js';
import { mapContract } from '../useCases/mapContract.js';
import { mappingOf } from '../useCases/mappingOf.js';
import { rejectRun } from '../useCases/rejectRun.js';
import { requestCustomerUpload, requestUpload } from '../useCases/requestUpload.js';
import { retryRun } from '../useCases/retryRun.js';
import type { ScheduleQueue } from '../useCases/schedule.js';
import { createSchedule } from '../useCases/scheduleValidation.js';
import { searchServices } from '../useCases/searchServices.js';
import { apiBudget, testConnection } from '../useCases/testConnection.js';
import { removeSchedule } from '../useCases/unschedule.js';
import { checkWriteProbe, tenantFactsOf, verifyTenant } from '../useCases/verifyTenant.js';
import { validateCustomers } from '../useCases/validateCustomers.js';
import type { AutotaskDirectoryCache } from './autotaskDirectoryCache.js';
import { chatRecords } from './chatRecords.js';
import { cachedDirectory } from './clientAutotaskDirectory.js';
import { changeResult, mappingView, refusalResult, unmappedItem } from './mappingViews.js';
import { runDetail, runSummary, validationResult } from './runViews.js';
import { utcDateOf } from '../core/calendarDate.js';
import { pullSource } from '../useCases/pullSource.js';
import {
  addSource,
  listSources,
  removeSource,
  testSource,
  type SourceQueue,
  type SourceRegistryDependencies,
} from '../useCases/sourceRegistry.js';
import type { SourceConnections } from './sourceConnections.js';
import type { OnProgress } from '../core/progress.js';

/** What chat needs from the job queue: uploads and schedules (JobScheduler implements both). */
export type AppJobQueue = UploadQueue & ScheduleQueue & SourceQueue;

/** How the chat services reach the job queue, for the bot and the CLI alike. */
export interface ChatJobAccess {
  /** the job queue (JobScheduler); asked for only when a command needs it */
  jobs: () => Promise<AppJobQueue>;
  /** set by the CLI, where no bot may be running: waits until a queued upload has finished */
  waitForUpload?: (runId: string) => Promise<void>;
}

export interface ChatServicesDependencies extends ChatJobAccess {
  prisma: PrismaClient;
  client: AutotaskClient;
  autotaskMode: 'live' | 'sandbox';
  budgetShare: number;
  /** fresh reads: mapping changes, the mapping card, the automatic mapping before validating */
  directory: AutotaskDirectory;
  /** the listings' reads, shared by every command and person of the process */
  directoryCache: AutotaskDirectoryCache;
  sync: ValidateDependencies;
  /** the Autotask database the client points at (autotaskDatabaseKey): its tenant facts */
  databaseKey: string;
  /** the subscription sources this process can reach (src/app/sourceConnections.ts) */
  sources: SourceConnections;
  /** draws a chart and serves it at a signed, expiring URL (src/app/chartPublisher.ts) */
  charts: ChartPublisher;
  /** set by the CLI: customers validated so far while `validate` runs (drawn on the terminal) */
  onValidationProgress?: OnProgress | undefined;
  now?: () => Date;
}

/** Who applies automatic matches when a person opens a mapping card. */
const MAPPING_ACTOR: Actor = { id: 'system:mapping', name: 'automatic mapping' };

export function createChatServices(deps: ChatServicesDependencies): ChatServices {
  const { prisma, client } = deps;
  const now = deps.now ?? (() => new Date());
  // each use case reads the directory once, however many customers it touches; listings read
  // through the process's cache, anything that may change a mapping reads Autotask as it is now
  const over = (directory: AutotaskDirectory): MappingDeps => ({
    prisma,
    directory: cachedDirectory(directory),
    today: () => utcDateOf(now()),
  });
  const listing = (): MappingDeps => over(deps.directoryCache.directory);
  /** a fresh read for a use case that may change mappings; the listings read again after it */
  const changing = async <T>(work: (mapping: MappingDeps) => Promise<T>): Promise<T> => {
    try {
      return await work(over(deps.directory));
    } finally {
      deps.directoryCache.invalidate();
    }
  };
  const summaryOrThrow = async (runId: string): Promise<RunSummary> => {
    const run = await runSummary(prisma, runId);
    if (!run) throw new Error(`RUN_NOT_FOUND: run ${runId} vanished`);
    return run;
  };
  /** a run use case's answer as chat shows it: the run as it stands, or the refusal */
  const answered = async (outcome: RunOutcome, runId: string | null): Promise<UploadRequestResult> => {
    if (outcome.ok) return { ok: true, run: await summaryOrThrow(outcome.run.id) };
    const run = runId && outcome.code !== 'RUN_NOT_FOUND' ? await runSummary(prisma, runId) : null;
    return { ok: false, run, error: runRefusalProblem(outcome) };
  };
  /** after an upload was queued: the CLI first waits for it, so the run shows how it ended */
  const queued = async (outcome: RunOutcome, runId: string) => {
    if (outcome.ok) await deps.waitForUpload?.(runId);
    return answered(outcome, runId);
  };
  const queue = async () => ({ prisma, queue: await deps.jobs() });
  const registry: SourceRegistryDependencies = {
    prisma,
    connectors: deps.sources.connectors,
    modes: deps.sources.modes,
    pullCron: deps.sources.pullCron,
    queue: deps.jobs,
  };
  const verifying = { prisma, client, databaseKey: deps.databaseKey, budgetShare: deps.budgetShare, now };

  return {
    ...chatRecords(prisma),

    testConnection: () => testConnection({ client, mode: deps.autotaskMode, budgetShare: deps.budgetShare }),

    apiBudget: () => apiBudget(client),

    verifyTenant: ({ actor, writeProbe }) => verifyTenant(verifying, { actor, writeProbe }),

    checkWriteProbe: (request) => checkWriteProbe(verifying, request),

    tenantFacts: () => tenantFactsOf(verifying),

    listCustomers: ({ filter }) => listCustomers(listing(), filter),

    mappingOf: ({ customerId }) =>
      changing(async (m) => {
        const { card, services } = await mappingOf(m, customerId, MAPPING_ACTOR);
        return mappingView(card, services);
      }),

    // typed into a card's searchable select, a keystroke at a time: the cache's job
    searchServices: ({ query, limit }) => searchServices(listing(), query, limit),

    async mapCompany({ customerId, company, actor }) {
      return changeResult(await changing((m) => mapCompany(m, { customerId, company }, actor)));
    },

    async mapContract({ customerId, billingCycle, contract, isDefault, actor }) {
      return changeResult(
        await changing((m) => mapContract(m, { customerId, billingCycle, contract, isDefault }, actor)),
      );
    },

    async mapProduct({ customerId, product, billingCycle, service, actor }) {
      return changeResult(
        await changing((m) =>
          mapProductService(
            m,
            { customerId, productName: product, ...(billingCycle ? { billingCycle } : {}), service },
            actor,
          ),
        ),
      );
    },

    async confirmSuggestion({ suggestionId, actor }) {
      return changeResult(await changing((m) => confirmSuggestion(m, suggestionId, actor)));
    },

    async confirmAll({ customerId, actor }) {
      const report = await changing((m) => confirmAllSuggestions(m, customerId, actor));
      if (!report.ok) return refusalResult(report);
      return {
        ok: report.refused.length === 0 && (report.confirmed.length > 0 || report.skipped.length === 0),
        changes: report.confirmed,
        errors: [
          ...report.refused.map((r) => ({ code: r.code, message: r.message, hint: r.hint })),
          ...report.skipped.map((s) => ({
            code: 'SUGGESTION_CHOICE',
            message: s,
            hint: 'open the mapping card and pick one of the candidates',
          })),
        ],
      };
    },

    async listUnmapped({ customerId }) {
      const items = await listUnmapped(listing(), customerId ? { customerId } : {});
      return items.map(unmappedItem);
    },

    async validate({ target, actor, correct }) {
      const scope = target.all ? 'all' : target.customerId;
      const { outcome, plan } = await changing((mapping) =>
        validateCustomers(
          { planning: deps.sync, mapping, mappingActor: MAPPING_ACTOR },
          actor,
          scope,
          deps.onValidationProgress,
          { correct: correct === true },
        ),
      );
      if (!outcome.ok || !plan)
        throw new Error(
          `${outcome.ok ? 'VALIDATION_FAILED' : outcome.code}: ${outcome.ok ? '' : outcome.message}`,
        );
      return validationResult(prisma, outcome.run.id, plan.customers, outcome.run.createdAt);
    },

    async requestUpload(input) {
      if ('runId' in input)
        return answered(await requestUpload(deps.sync, input.actor, input.runId), input.runId);
      // `upload <customer>`: a fresh plan of that customer, requested at once
      return answered(await requestCustomerUpload(deps.sync, input.actor, input.customerId), null);
    },

    getRun: ({ runId }) => runSummary(prisma, runId),

    async approve({ runId, actor }) {
      const outcome = await approveRun({ planning: deps.sync, queue: await deps.jobs() }, actor, runId);
      return queued(outcome, runId);
    },

    async reject({ runId, actor, reason }) {
      return answered(await rejectRun({ prisma, now }, actor, runId, reason ?? undefined), runId);
    },

    async retry({ runId, actor }) {
      return queued(await retryRun(await queue(), { runId, actor }), runId);
    },

    async explain(input) {
      const outcome = await explainSubscription({ prisma, client, now }, input);
      if (!outcome.ok) return outcome;
      const altText = chartAltText(outcome.view);
      try {
        const published = await deps.charts.publish(outcome.view.story.chart, 'explain.png');
        return { ...outcome, chart: { ...published, altText }, chartProblem: null };
      } catch (error) {
        deps.charts.failed(error);
        return {
          ...outcome,
          chart: null,
          chartProblem: problem(
            'CHART_UNAVAILABLE',
            'The chart could not be drawn or published; the story below is complete',
            'the bot log says why; explain again once it is fixed',
          ),
        };
      }
    },
    async reconcile({ target, scopeLabel, month }) {
      const outcome = await reconcileCustomers(
        { planning: deps.sync, client, now },
        { scope: target.all ? 'all' : target.customerId, scopeLabel, month },
      );
      if (!outcome.ok) return outcome;
      const fileName = `reconciliation-${outcome.report.month.month}.csv`;
      const bytes = Buffer.from(reconciliationCsv(outcome.report), 'utf8');
      try {
        const { url } = await deps.charts.publishFile({ bytes, contentType: 'text/csv', fileName });
        return { ...outcome, csv: { fileName, bytes, url, problem: null } };
      } catch (error) {
        deps.charts.failed(error);
        return {
          ...outcome,
          csv: {
            fileName,
            bytes,
            url: null,
            problem: problem(
              'EXPORT_UNAVAILABLE',
              'the CSV could not be published',
              'the bot log says why; the terminal writes it with `--csv <file>`',
            ),
          },
        };
      }
    },
    async listRuns({ customerId, limit }) {
      const ids = await listRunIds(prisma, { customerId, limit });
      const runs = await Promise.all(ids.map((id) => runSummary(prisma, id)));
      return runs.filter((r): r is RunSummary => r !== null);
    },

    runDetail: ({ runId }) => runDetail(prisma, runId),

    async schedule({ target, cadence, actor }) {
      const outcome = await createSchedule({ ...(await queue()), now }, { target, cadence, actor });
      if (!outcome.ok)
        return { ok: false, error: { code: outcome.code, message: outcome.message, hint: outcome.hint } };
      const { cron: _cron, ...view } = outcome.schedule;
      return { ok: true, schedule: view };
    },

    async listSchedules() {
      const schedules = await listSchedules(await queue());
      return schedules.map(({ cron: _cron, ...view }) => view);
    },

    unschedule: async ({ id, actor }) => removeSchedule(await queue(), { id, actor }),

    listSources: () => listSources(registry),

    addSource: (input) => addSource(registry, input),

    removeSource: (input) => removeSource(registry, input),

    testSource: (input) => testSource(registry, input),

    syncSource: ({ source, customerId, actor }) =>
      pullSource(
        { prisma, connectors: deps.sources.connectors, limits: deps.sources.limits, now },
        { source, customerId: customerId ?? undefined, actor, onProgress: deps.sources.onProgress },
      ),
  };
}
