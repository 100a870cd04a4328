// The composition of the use cases behind chat and the CLI, over one database and one Autotask
// connection: the ChatServices implementation, the chat notifiers, and what the job worker needs
// from the app (the validate use case, the mapping lock of uploads, the Notifier over chat).
// main.ts composes it for the bot; the CLI bridge for one command. Uploads and schedules go
// through the job queue: an approval queues the upload job, which is the only place one runs.
import { artifactLinks, type ArtifactLinks } from '../artifacts/artifactLinks.js';
import { createChartPublisher } from './chartPublisher.js';
import type { AutotaskConnection } from '../autotask/autotaskConnection.js';
import { autotaskDatabaseKey } from '../autotask/autotaskDatabaseKey.js';
import type { ChatNotifier } from '../chat/chatNotifier.js';
import type { ChatServices } from '../chat/chatServices.js';
import { CommandRateLimiter } from '../chat/commandRateLimiter.js';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { UPLOAD_ACTOR } from '../audit/systemActors.js';
import type { Notifier } from '../jobs/notifier.js';
import type { Logger } from '../observability/logger.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { AutotaskDirectoryCache } from './autotaskDirectoryCache.js';
import { createChatServices, type ChatJobAccess } from './chatServices.js';
import { clientAutotaskDirectory } from './clientAutotaskDirectory.js';
import { chatJobsNotifier } from './jobsNotifier.js';
import { syncDependencies } from './syncDependencies.js';
import { NO_SOURCES, type SourceConnections } from './sourceConnections.js';
import { mappingLockForRun, type OnOperationDone } from './uploadMappingLock.js';
import type { WatchJobDependencies } from '../jobs/watchJobs.js';
import { summarizeReconciliation } from '../reconciliation/reconciliationSummary.js';
import { watchDrift } from '../useCases/watchDrift.js';
import type { OnProgress } from '../core/progress.js';

export interface AppServices {
  chat: ChatServices;
  /** the bot's per-person budget of expensive commands, shared by its adapters (the CLI has none) */
  commandLimiter: CommandRateLimiter | undefined;
  /** chat adapters add theirs once started (Slack, Teams, the playground feed) */
  notifiers: ChatNotifier[];
  /** the jobs' notices told to every chat adapter in `notifiers` */
  jobsNotifier: Notifier;
  /** what validation needs (mapping, Autotask reads, history checks); the jobs use it too */
  planning: ValidateDependencies;
  /** the upload job's hook: locks the mapping each line went out under */
  prepareUpload(runId: string): Promise<OnOperationDone | undefined>;
  /** the monthly reconciliation and the drift watch, as the job worker runs them */
  watch: WatchJobDependencies;
}

/** `jobs` is asked for late: the worker is made after the services, as it needs `planning`. */
export function composeAppServices(
  input: ChatJobAccess & {
    config: Config;
    prisma: PrismaClient;
    logger: Logger;
    autotask: AutotaskConnection;
    /** the bot limits each person's expensive commands (CHAT_RATE_LIMIT_*); the CLI does not */
    limitCommands?: boolean;
    /** names the Autotask database when the connection's own name is not it (the CLI on the bot's sandbox) */
    autotaskDatabaseKey?: string | undefined;
    /** the subscription sources (none: `source` commands answer SOURCE_NOT_CONFIGURED) */
    sources?: SourceConnections | undefined;
    /** how chart and export links are made (default: PUBLIC_URL, else HOST:PORT) */
    artifactLinks?: () => Promise<ArtifactLinks>;
    /** the CLI draws how far `validate` got (ChatServicesDependencies.onValidationProgress) */
    onValidationProgress?: OnProgress;
  },
): AppServices {
  const { config, prisma } = input;
  const client = input.autotask.client;
  const directory = clientAutotaskDirectory(client);
  // one per process: every adapter, command and person of the bot shares the listings' reads
  const directoryCache = new AutotaskDirectoryCache(directory, {
    ttlMs: config.autotask.directoryTtlSeconds * 1000,
  });
  const sync = syncDependencies({ prisma, client, directory, autotask: config.autotask });
  const notifiers: ChatNotifier[] = [];
  const chat = createChatServices({
    prisma,
    client,
    autotaskMode: config.autotask.mode,
    budgetShare: config.autotask.budgetShare,
    directory,
    directoryCache,
    sync,
    databaseKey: input.autotaskDatabaseKey ?? autotaskDatabaseKey(input.autotask.database),
    jobs: input.jobs,
    waitForUpload: input.waitForUpload,
    sources: input.sources ?? { ...NO_SOURCES, pullCron: config.sources.pullCron },
    onValidationProgress: input.onValidationProgress,
    charts: createChartPublisher({
      prisma,
      links: input.artifactLinks ?? (() => artifactLinks(prisma, config)),
      logger: input.logger,
    }),
  });
  return {
    chat,
    commandLimiter: input.limitCommands ? new CommandRateLimiter(config.chatRateLimits) : undefined,
    notifiers,
    jobsNotifier: chatJobsNotifier(prisma, notifiers),
    planning: sync,
    prepareUpload: mappingLockForRun({ prisma, directory }, UPLOAD_ACTOR),
    watch: {
      reconcileCron: config.watch.reconcileCron,
      driftCron: config.watch.driftCron,
      reconcile: async (month) => {
        const answer = await chat.reconcile({ target: { all: true }, scopeLabel: 'all customers', month });
        return answer.ok ? { ok: true, summary: summarizeReconciliation(answer.report, answer.csv) } : answer;
      },
      watchDrift: (tell) => watchDrift({ planning: sync, prisma }, tell),
    },
  };
}
