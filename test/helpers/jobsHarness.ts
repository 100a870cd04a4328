// A job worker on a test database, with retry delays in milliseconds and a fast poll, so the
// job tests finish in seconds. Everything is real: Agenda on PostgreSQL, the upload lock, the
// sandbox over HTTP; only the chat side is a RecordingNotifier.
import type { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { autotaskDatabaseKey } from '../../src/autotask/autotaskDatabaseKey.js';
import { JobScheduler, type JobSchedulerOptions } from '../../src/jobs/jobScheduler.js';
import { chooseJobsBackend } from '../../src/jobs/jobsBackend.js';
import type { JobRetryPolicy } from '../../src/jobs/jobRetryPolicy.js';
import type { Notifier } from '../../src/jobs/notifier.js';
import { createLogger } from '../../src/observability/logger.js';
import { clientAutotaskGateway } from '../../src/sync/clientAutotaskGateway.js';
import type { ValidateDependencies } from '../../src/sync/validateRun.js';
import { TEST_CREDENTIALS } from './autotaskSandbox.js';

export const FAST_RETRY: JobRetryPolicy = { maxAttempts: 3, delayMs: 50, maxDelayMs: 200 };

export async function startTestScheduler(input: {
  databaseUrl: string;
  prisma: JobSchedulerOptions['prisma'];
  notifier: Notifier;
  client?: AutotaskClient;
  zoneUrl?: string;
  planning?: ValidateDependencies;
  workerName?: string;
  retry?: JobSchedulerOptions['retry'];
  now?: () => Date;
  /** default: silent (JOBS_TEST_LOG=1 logs at debug) */
  logger?: JobSchedulerOptions['logger'];
  sources?: JobSchedulerOptions['sources'];
  watch?: JobSchedulerOptions['watch'];
}): Promise<JobScheduler> {
  const jobs = await JobScheduler.create({
    prisma: input.prisma,
    logger:
      input.logger ??
      createLogger({
        level: process.env.JOBS_TEST_LOG ? 'debug' : 'silent',
        format: 'json',
        secrets: [],
      }),
    notifier: input.notifier,
    backend: chooseJobsBackend({ jobsDatabaseUrl: undefined, databaseUrl: input.databaseUrl }),
    databaseUrl: input.databaseUrl,
    autotask:
      input.client && input.zoneUrl
        ? {
            gateway: clientAutotaskGateway(input.client),
            databaseKey: autotaskDatabaseKey({ zoneUrl: input.zoneUrl, username: TEST_CREDENTIALS.username }),
          }
        : undefined,
    planning: input.planning,
    workerName: input.workerName ?? 'test-worker',
    retry: {
      validate: FAST_RETRY,
      upload: FAST_RETRY,
      notification: FAST_RETRY,
      source: FAST_RETRY,
      watch: FAST_RETRY,
      ...input.retry,
    },
    processEveryMs: 200,
    lockLifetimeMs: 3_000,
    now: input.now,
    sources: input.sources,
    watch: input.watch,
  });
  await jobs.start();
  return jobs;
}
