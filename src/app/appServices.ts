// The composition of the use cases behind chat and the CLI, over one database and one Autotask
// connection: the ChatServices implementation, the upload starter and the chat notifiers that
// hear how uploads end. main.ts composes it for the bot; the CLI bridge for one command.
import type { AutotaskConnection } from '../autotask/autotaskConnection.js';
import type { ChatNotifier } from '../chat/chatNotifier.js';
import type { WiredChatServices } from '../chat/chatServices.js';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';
import { createChatServices } from './chatServices.js';
import { clientAutotaskDirectory } from './clientAutotaskDirectory.js';
import { runSummary } from './runViews.js';
import { createUploadStarter, type UploadStarter } from './startApprovedUpload.js';
import { syncDependencies } from './syncDependencies.js';
import type { ValidateDependencies } from '../sync/validateRun.js';

export interface AppServices {
  chat: WiredChatServices;
  uploads: UploadStarter;
  /** chat adapters add theirs once started (Slack, Teams) */
  notifiers: ChatNotifier[];
  /** what validation needs (mapping, Autotask reads, history checks); the jobs use it too */
  planning: ValidateDependencies;
  /** waits (up to `ms`) for uploads this process still runs */
  drain(ms: number): Promise<void>;
}

export function composeAppServices(input: {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  autotask: AutotaskConnection;
  /** the CLI waits for an approved upload to finish; the bot runs it in the background */
  waitForUploads: boolean;
}): AppServices {
  const { config, prisma, logger } = input;
  const client = input.autotask.client;
  const directory = clientAutotaskDirectory(client);
  const sync = syncDependencies({ prisma, client, directory, autotask: config.autotask });
  const notifiers: ChatNotifier[] = [];
  const uploads = createUploadStarter({
    sync,
    client,
    directory,
    logger,
    wait: input.waitForUploads,
    onFinished: async (runId, report) => {
      const run = await runSummary(prisma, runId);
      if (!run) return;
      const failed = !report.ok || report.outcome !== 'succeeded';
      await Promise.allSettled(
        notifiers.flatMap((n) => [
          n.runChanged(run),
          ...(failed
            ? [
                n.runFailed({
                  runId,
                  customerName: run.customerNames.join(', ') || 'all customers',
                  what: report.ok
                    ? `the upload ${report.outcome.replace('_', ' ')}: ${report.counts.failed} operations failed`
                    : report.message,
                  errors: report.ok ? [] : [{ code: report.code, message: report.message }],
                }),
              ]
            : []),
        ]),
      );
    },
  });
  const chat = createChatServices({
    prisma,
    client,
    autotaskMode: config.autotask.mode,
    budgetShare: config.autotask.budgetShare,
    directory,
    sync,
    uploads,
  });
  return {
    chat,
    uploads,
    notifiers,
    planning: sync,
    async drain(ms) {
      const running = uploads.inFlight();
      if (running.length === 0) return;
      await Promise.race([Promise.allSettled(running), new Promise((r) => setTimeout(r, ms).unref())]);
    },
  };
}
