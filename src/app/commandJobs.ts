// The job queue of a process that runs one command (the CLI): connected only when a command
// needs it, without taking jobs — except that an upload queued by this command is run here, by
// a worker that takes upload jobs only, and waited for. With no bot running the approval still
// completes; with one running, whichever worker takes the job runs it (Agenda's job lock and the
// upload lock keep it to one) and this process waits all the same.
import type { AutotaskConnection } from '../autotask/autotaskConnection.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { JobScheduler } from '../jobs/jobScheduler.js';
import { createJobs } from '../jobs/startJobs.js';
import type { Logger } from '../observability/logger.js';
import type { AppServices } from './appServices.js';
import type { OnProgress } from '../core/progress.js';

/** An upload that has not finished after this long is left to the bot's worker. */
const UPLOAD_WAIT_MS = 30 * 60_000;

export interface CommandJobs {
  queue(): Promise<JobScheduler>;
  /** onProgress: operations done of all, and failed, as the upload job tells chat */
  waitForUpload(runId: string, onProgress?: OnProgress): Promise<void>;
  close(): Promise<void>;
}

export function commandJobs(input: {
  config: Config;
  database: Pick<Database, 'prisma' | 'url'>;
  autotask: AutotaskConnection;
  logger: Logger;
  /** the services this queue serves (made after it: they take `queue` as an argument) */
  services: () => AppServices;
  autotaskDatabaseKey?: string;
  uploadWaitMs?: number;
}): CommandJobs {
  let connected: Promise<JobScheduler> | undefined;
  let working = false;
  const queue = () =>
    (connected ??= (async () => {
      const services = input.services();
      const jobs = await createJobs({
        config: input.config,
        database: input.database,
        autotask: input.autotask,
        logger: input.logger,
        planning: services.planning,
        prepareUpload: (runId) => services.prepareUpload(runId),
        kinds: ['upload'],
        processEveryMs: 500,
        autotaskDatabaseKey: input.autotaskDatabaseKey,
      });
      await jobs.connect();
      return jobs;
    })());
  return {
    queue,
    async waitForUpload(runId, onProgress) {
      const jobs = await queue();
      if (!working) {
        working = true;
        await jobs.start();
      }
      const finished = await jobs.waitForUpload(
        runId,
        input.uploadWaitMs ?? UPLOAD_WAIT_MS,
        undefined,
        onProgress,
      );
      if (!finished)
        input.logger.warn(
          { runId },
          'the upload is still running; the bot finishes it, `run <run>` shows it',
        );
    },
    async close() {
      if (connected) await (await connected).stop();
    },
  };
}
