// Builds the job worker from the bot's configuration: the jobs backend (the bot's PostgreSQL
// unless JOBS_DATABASE_URL says otherwise), the Autotask gateway and the key of the Autotask
// database for the upload lock, and the notifier (a log line per notice, plus chat's when given).
import type { AutotaskConnection } from '../autotask/autotaskConnection.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { clientAutotaskGateway } from '../sync/clientAutotaskGateway.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { autotaskDatabaseKey } from '../autotask/autotaskDatabaseKey.js';
import { ConsoleNotifier } from './consoleNotifier.js';
import { JobScheduler, type JobSchedulerOptions } from './jobScheduler.js';
import { chooseJobsBackend } from './jobsBackend.js';
import { combineNotifiers, type Notifier } from './notifier.js';

/** The Autotask database the bot writes to, as the upload lock names it. */
export function configuredAutotaskKey(autotask: AutotaskConnection): string {
  return autotaskDatabaseKey(autotask.database);
}

export interface JobsInput {
  config: Config;
  database: Pick<Database, 'prisma' | 'url'>;
  autotask: AutotaskConnection;
  logger: Logger;
  /** the chat adapters' Notifier (src/app/jobsNotifier.ts); a log line per notice is always kept */
  notifier?: Notifier;
  planning?: ValidateDependencies;
  prepareUpload?: JobSchedulerOptions['prepareUpload'];
  /** which jobs this process takes (all by default) */
  kinds?: JobSchedulerOptions['kinds'];
  processEveryMs?: number;
  /** how often, at most, a running upload tells chat its progress (2 s by default) */
  progressEveryMs?: number;
  /** overrides the key of the upload lock (the CLI on a sandbox another process runs) */
  autotaskDatabaseKey?: string;
  /** the scheduled pulls of the subscription sources (the bot's; the CLI takes none) */
  sources?: JobSchedulerOptions['sources'];
  /** the monthly reconciliation and the daily drift watch (the bot's; the CLI takes none) */
  watch?: JobSchedulerOptions['watch'];
  /** where job runs and uploads are counted (the bot's GET /metrics) */
  metrics?: Metrics;
}

/** The job worker, not started: `start()` takes jobs, `connect()` only queues them. */
export async function createJobs(input: JobsInput): Promise<JobScheduler> {
  const { config, database, autotask, logger } = input;
  const logLines = new ConsoleNotifier((line) => logger.info({ notice: line }, line));
  return JobScheduler.create({
    prisma: database.prisma,
    logger,
    notifier: input.notifier ? combineNotifiers([logLines, input.notifier]) : logLines,
    backend: chooseJobsBackend({ jobsDatabaseUrl: config.jobsDatabaseUrl, databaseUrl: database.url }),
    databaseUrl: database.url,
    autotask: {
      gateway: clientAutotaskGateway(autotask.client),
      databaseKey: input.autotaskDatabaseKey ?? configuredAutotaskKey(autotask),
    },
    planning: input.planning,
    executor: { inFlight: config.autotask.maxInFlightPerEndpoint },
    prepareUpload: input.prepareUpload,
    kinds: input.kinds,
    processEveryMs: input.processEveryMs,
    progressEveryMs: input.progressEveryMs,
    sources: input.sources,
    watch: input.watch,
    metrics: input.metrics,
  });
}

export async function startJobs(input: JobsInput): Promise<JobScheduler> {
  const jobs = await createJobs(input);
  await jobs.start();
  return jobs;
}
