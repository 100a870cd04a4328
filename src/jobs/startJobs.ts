// Builds the job worker from the bot's configuration: the jobs backend (the bot's PostgreSQL
// unless JOBS_DATABASE_URL says otherwise), the Autotask gateway and the key of the Autotask
// database for the upload lock, and the notifier (console until a chat part passes its own).
import type { AutotaskConnection } from '../autotask/autotaskConnection.js';
import { sandboxCredentials } from '../autotask/autotaskConnection.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { clientAutotaskGateway } from '../sync/clientAutotaskGateway.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { autotaskDatabaseKey } from './autotaskDatabaseLock.js';
import { ConsoleNotifier } from './consoleNotifier.js';
import { JobScheduler } from './jobScheduler.js';
import { chooseJobsBackend } from './jobsBackend.js';
import type { Notifier } from './notifier.js';

/** The Autotask database the bot writes to, as the upload lock names it. */
export function configuredAutotaskKey(config: Config['autotask'], autotask: AutotaskConnection): string {
  if (autotask.sandbox)
    return autotaskDatabaseKey({
      zoneUrl: autotask.sandbox.zoneUrl,
      username: sandboxCredentials(config).username,
    });
  return autotaskDatabaseKey({ zoneUrl: config.baseUrl ?? config.zoneUrl, username: config.username ?? '' });
}

export async function startJobs(input: {
  config: Config;
  database: Database;
  autotask: AutotaskConnection;
  logger: Logger;
  notifier?: Notifier;
  planning?: ValidateDependencies;
}): Promise<JobScheduler> {
  const { config, database, autotask, logger } = input;
  const jobs = await JobScheduler.create({
    prisma: database.prisma,
    logger,
    notifier: input.notifier ?? new ConsoleNotifier((line) => logger.info({ notice: line }, line)),
    backend: chooseJobsBackend({ jobsDatabaseUrl: config.jobsDatabaseUrl, databaseUrl: database.url }),
    databaseUrl: database.url,
    autotask: {
      gateway: clientAutotaskGateway(autotask.client),
      databaseKey: configuredAutotaskKey(config.autotask, autotask),
    },
    planning: input.planning,
  });
  await jobs.start();
  return jobs;
}
