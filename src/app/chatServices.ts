// The ChatServices port (src/chat/chatServices.ts) over the real use cases: Autotask connectivity,
// customers, mapping, validate/upload/approve, runs and schedules. Roles and four eyes are the
// router's job; this file only translates between chat's shapes and the parts' own. Approvals and
// retries queue an upload job (src/jobs): uploads run nowhere else. Listings read Autotask's
// directory through the process's cache; what may change a mapping reads fresh and drops it.
import type { Actor } from '../audit/actor.js';
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { testConnectivity } from '../autotask/connectivityTest.js';
import { clientAutotaskGateway } from '../sync/clientAutotaskGateway.js';
import type {
  ChatServices,
  CustomerMappingSummary,
  MappingState,
  RunSummary,
  UploadRequestResult,
  WiredChatServices,
} from '../chat/chatServices.js';
import type { CommandRateLimiter } from '../chat/commandRateLimiter.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { AutotaskDirectory } from '../mapping/autotaskDirectory.js';
import { mapCompany } from '../mapping/mapCompany.js';
import { mapContract } from '../mapping/mapContract.js';
import { mapProductService } from '../mapping/mapProductService.js';
import type { MappingDeps } from '../mapping/mappingDeps.js';
import { getMappingCard, listUnmapped } from '../mapping/mappingState.js';
import { runAutomaticMapping } from '../mapping/runAutomaticMapping.js';
import { searchServices } from '../mapping/searchTargets.js';
import { serviceLabel } from '../mapping/servicePeriod.js';
import { confirmAllSuggestions, confirmSuggestion } from '../mapping/suggestions.js';
import { listCustomers } from '../subscriptions/customerList.js';
import {
  approveRunUpload,
  rejectRunUpload,
  requestRunUpload,
  type SyncServices,
} from '../sync/runCommands.js';
import type { RunRefusal } from '../sync/runStore.js';
import { validateRun, type ValidateDependencies } from '../sync/validateRun.js';
import type { AutotaskDirectoryCache } from './autotaskDirectoryCache.js';
import { cachedDirectory } from './clientAutotaskDirectory.js';
import { changeResult, mappingView, refusalResult, unmappedItem } from './mappingViews.js';
import { runDetail, runSummary, validationResult } from './runViews.js';
import {
  createSchedule,
  listSchedules,
  removeSchedule,
  type ScheduleQueue,
} from '../jobs/scheduleUseCases.js';
import {
  queueApprovedUpload,
  retryRun,
  type QueueOutcome,
  type UploadQueue,
} from '../jobs/uploadCommands.js';

export interface ChatServicesDependencies {
  prisma: PrismaClient;
  client: AutotaskClient;
  autotaskMode: 'live' | 'sandbox';
  budgetShare: number;
  /** fresh reads: mapping changes, the mapping card, the automatic mapping before validating */
  directory: AutotaskDirectory;
  /** the listings' reads, shared by every command and person of the process */
  directoryCache: AutotaskDirectoryCache;
  /** the per-person budget of expensive commands the router applies (none: unlimited) */
  commandLimiter?: CommandRateLimiter;
  sync: ValidateDependencies;
  /** the job queue (JobScheduler); asked for only when a command needs it */
  jobs: () => Promise<AppJobQueue>;
  /** set by the CLI, where no bot may be running: waits until a queued upload has finished */
  waitForUpload?: (runId: string) => Promise<void>;
  now?: () => Date;
}

/** What chat needs from the job queue: uploads and schedules (JobScheduler implements both). */
export type AppJobQueue = UploadQueue & ScheduleQueue;

/** Who applies automatic matches when a person opens a mapping card. */
const MAPPING_ACTOR: Actor = { id: 'system:mapping', name: 'automatic mapping' };

export function createChatServices(
  deps: ChatServicesDependencies,
): ChatServices & Pick<WiredChatServices, 'commandLimiter'> {
  const { prisma, client } = deps;
  const now = deps.now ?? (() => new Date());
  // each use case reads the directory once, however many customers it touches; listings read
  // through the process's cache, anything that may change a mapping reads Autotask as it is now
  const over = (directory: AutotaskDirectory): MappingDeps => ({
    prisma,
    directory: cachedDirectory(directory),
    today: () => now().toISOString().slice(0, 10),
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
  const refused = async (refusal: RunRefusal, runId: string | null) => ({
    ok: false as const,
    run: runId ? await runSummary(prisma, runId) : null,
    error: { code: refusal.code, message: refusal.message, hint: '' /* PLACEHOLDER_HINT */ },
  });
  // the sync part's run use cases (request, approve, reject); uploads themselves are jobs
  const runs: SyncServices = { ...deps.sync, gateway: clientAutotaskGateway(client) };
  /** after an upload was queued: the run as it stands (the CLI first waits for the upload) */
  const queued = async (outcome: QueueOutcome, runId: string) => {
    if (!outcome.ok) return refused(outcome, outcome.code === 'RUN_NOT_FOUND' ? null : runId);
    await deps.waitForUpload?.(runId);
    return { ok: true as const, run: await summaryOrThrow(runId) };
  };
  const requestRun = async (runId: string, actor: Actor): Promise<UploadRequestResult> => {
    const outcome = await requestRunUpload(runs, actor, runId);
    if (!outcome.ok) return refused(outcome, outcome.code === 'RUN_NOT_FOUND' ? null : runId);
    return { ok: true, run: await summaryOrThrow(runId) };
  };

  return {
    ...(deps.commandLimiter ? { commandLimiter: deps.commandLimiter } : {}),

    async testConnection() {
      const report = await testConnectivity(client, { budgetShare: deps.budgetShare });
      return {
        ok: report.ok,
        mode: deps.autotaskMode,
        zoneUrl: report.zone?.url ?? null,
        authenticated: report.authenticated,
        permissions: report.permissions.map((p) => ({
          entity: p.entity,
          read: p.canQuery,
          create: p.canCreate,
          update: false,
        })),
        latencyMs: report.roundTripMs,
        apiBudget: {
          used: report.budget?.used ?? 0,
          limit: report.budget?.threshold ?? 0,
          windowMinutes: 60,
        },
        errors: [
          ...(report.error
            ? [{ code: report.error.code, message: report.error.message, hint: report.error.hint }]
            : []),
          ...report.problems
            .filter((p) => !report.error || !p.includes(report.error.code))
            .map((p) => ({ code: 'AUTOTASK_PERMISSION', message: p, hint: '' /* PLACEHOLDER_HINT */ })),
        ],
      };
    },

    async apiBudget() {
      const t = await client.threshold();
      return {
        used: t.currentTimeframeRequestCount,
        limit: t.externalRequestThreshold,
        windowMinutes: t.requestThresholdTimeframe,
      };
    },

    async listCustomers({ filter }) {
      const customers = await listCustomers(prisma, filter ?? undefined);
      if (customers.length === 0) return [];
      const ids = customers.map((c) => c.id);
      const [companies, suggestions, findings] = await Promise.all([
        prisma.customerCompanyMapping.findMany({
          where: { customerId: { in: ids } },
          select: { customerId: true },
        }),
        prisma.mappingSuggestion.findMany({
          where: { customerId: { in: ids }, kind: 'company', status: 'pending' },
          select: { customerId: true },
        }),
        // one Autotask read for every customer
        customers.length === 1
          ? listUnmapped(listing(), { customerId: customers[0]!.id })
          : listUnmapped(listing()),
      ]);
      const mapped = new Set(companies.map((c) => c.customerId));
      const suggested = new Set(suggestions.map((s) => s.customerId));
      return customers.map((c): CustomerMappingSummary => {
        const own = findings.filter((f) => f.customerId === c.id).map((f) => f.finding.code);
        const company: MappingState = mapped.has(c.id)
          ? 'mapped'
          : own.includes('CUSTOMER_AMBIGUOUS')
            ? 'ambiguous'
            : suggested.has(c.id)
              ? 'suggested'
              : 'missing';
        const contracts: MappingState = own.includes('CONTRACT_AMBIGUOUS')
          ? 'ambiguous'
          : company !== 'mapped' || own.some((code) => code.startsWith('CONTRACT_'))
            ? 'missing'
            : 'mapped';
        return {
          customerId: c.id,
          name: c.name,
          company,
          contracts,
          unmappedProducts: own.filter((code) => code === 'SERVICE_UNMAPPED').length,
        };
      });
    },

    mappingOf: ({ customerId }) =>
      // opening the card runs automatic mapping: exact matches applied (auto mode), the rest suggested
      changing(async (m) => {
        await runAutomaticMapping(m, { customerId }, MAPPING_ACTOR);
        const data = await getMappingCard(m, customerId);
        if (!data.ok) throw new Error(`${data.code}: ${data.message}`);
        const picklists = await m.directory.picklists();
        const services = (await m.directory.listServices())
          .filter((s) => s.isActive)
          .map((s) => ({ serviceId: s.id, name: s.name, label: serviceLabel(s, picklists) }))
          .sort((a, b) => a.name.localeCompare(b.name) || a.serviceId - b.serviceId);
        return mappingView(data, services);
      }),

    // typed into a card's searchable select, a keystroke at a time: the cache's job
    async searchServices({ query, limit }) {
      const m = listing();
      const [options, all, picklists] = await Promise.all([
        searchServices(m, query, limit),
        m.directory.listServices(),
        m.directory.picklists(),
      ]);
      const byId = new Map(all.map((s) => [s.id, s]));
      return options.map((o) => ({
        serviceId: o.id,
        name: o.name,
        label: serviceLabel(byId.get(o.id) ?? { id: o.id, name: o.name, unitPrice: null }, picklists),
      }));
    },

    async mapCompany({ customerId, company, actor }) {
      return changeResult(await changing((m) => mapCompany(m, { customerId, company }, actor)));
    },

    async mapContract({ customerId, billingCycle, contract, isDefault, actor }) {
      if (!/^\d{1,9}$/.test(contract.trim()))
        return refusalResult({
          ok: false,
          code: 'INVALID_INPUT',
          message: `"${contract.slice(0, 60)}" is not a contract id`,
          hint: `give the Autotask contract id, e.g. map <customer> contract ${billingCycle} 500 — the mapping card lists the candidates`,
        });
      return changeResult(
        await changing((m) =>
          mapContract(m, { customerId, billingCycle, contractId: Number(contract.trim()), isDefault }, actor),
        ),
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
            hint: '' /* PLACEHOLDER_HINT */,
          })),
        ],
      };
    },

    async listUnmapped({ customerId }) {
      const items = await listUnmapped(listing(), customerId ? { customerId } : {});
      return items.map(unmappedItem);
    },

    async validate({ target, actor }) {
      const scope = target.all ? 'all' : target.customerId;
      // in auto mode exact matches are applied before validating, so `validate all` right after an
      // import needs a person only for what is not exact
      await changing((m) =>
        runAutomaticMapping(m, target.all ? {} : { customerId: target.customerId }, MAPPING_ACTOR),
      );
      const { outcome, plan } = await validateRun(deps.sync, actor, scope);
      if (!outcome.ok || !plan)
        throw new Error(
          `${outcome.ok ? 'VALIDATION_FAILED' : outcome.code}: ${outcome.ok ? '' : outcome.message}`,
        );
      return validationResult(prisma, outcome.run.id, plan.customers, outcome.run.createdAt);
    },

    async requestUpload(input) {
      if ('runId' in input) return requestRun(input.runId, input.actor);
      // `upload <customer>`: a fresh plan of that customer, requested at once
      const { outcome, plan } = await validateRun(deps.sync, input.actor, input.customerId);
      if (!outcome.ok || !plan)
        return refused(
          outcome.ok ? { ok: false, code: 'RUN_NOT_FOUND', message: 'validation failed' } : outcome,
          null,
        );
      return requestRun(outcome.run.id, input.actor);
    },

    getRun: ({ runId }) => runSummary(prisma, runId),

    async approve({ runId, actor }) {
      const outcome = await approveRunUpload(runs, actor, runId);
      if (!outcome.ok) return refused(outcome, outcome.code === 'RUN_NOT_FOUND' ? null : runId);
      return queued(await queueApprovedUpload({ prisma, queue: await deps.jobs() }, runId), runId);
    },

    async reject({ runId, actor, reason }) {
      const outcome = await rejectRunUpload(runs, actor, runId, reason ?? undefined);
      if (!outcome.ok) return refused(outcome, outcome.code === 'RUN_NOT_FOUND' ? null : runId);
      return { ok: true, run: await summaryOrThrow(runId) };
    },

    async retry({ runId, actor }) {
      return queued(await retryRun({ prisma, queue: await deps.jobs() }, { runId, actor }), runId);
    },

    async listRuns({ customerId, limit }) {
      const rows = await prisma.syncRun.findMany({
        where: customerId ? { OR: [{ scope: customerId }, { operations: { some: { customerId } } }] } : {},
        orderBy: { createdAt: 'desc' },
        take: Math.min(Math.max(limit, 1), 200),
        select: { id: true },
      });
      const runs = await Promise.all(rows.map((r) => runSummary(prisma, r.id)));
      return runs.filter((r): r is RunSummary => r !== null);
    },

    runDetail: ({ runId }) => runDetail(prisma, runId),

    async schedule({ target, cadence, actor }) {
      const outcome = await createSchedule(
        { prisma, queue: await deps.jobs(), now },
        { target, cadence, actor },
      );
      // the refusal's message already says what to do (the cadences allowed, `customers`)
      if (!outcome.ok)
        return {
          ok: false,
          error: { code: outcome.code, message: outcome.message, hint: '' /* PLACEHOLDER_HINT */ },
        };
      const { cron: _cron, ...view } = outcome.schedule;
      return { ok: true, schedule: view };
    },

    async listSchedules() {
      const schedules = await listSchedules({ prisma, queue: await deps.jobs() });
      return schedules.map(({ cron: _cron, ...view }) => view);
    },

    unschedule: async ({ id, actor }) => removeSchedule({ prisma, queue: await deps.jobs() }, { id, actor }),
  };
}
