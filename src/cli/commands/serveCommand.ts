import { takeOverShutdownSignals } from '../../db/embeddedPostgres.js';
import { startBot } from '../../main.js';
import type { CliCommand } from '../cliCommand.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

const SHUTDOWN_LIMIT_MS = 10_000;

export const serveCommand: CliCommand = {
  ...CLI_COMMAND_INFO.serve,
  async run(context) {
    const bot = await startBot(context.config());
    context.io.out(bot.banner);
    await new Promise<void>((resolve) => {
      const shutdown = (signal: NodeJS.Signals) => {
        bot.logger.info({ signal }, 'shutting down');
        // A hard limit so a stuck dependency can never keep the process alive.
        setTimeout(() => {
          bot.logger.error('shutdown took longer than 10 s; exiting anyway');
          process.exit(1);
        }, SHUTDOWN_LIMIT_MS).unref();
        void bot.stop().then(resolve);
      };
      takeOverShutdownSignals();
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    });
    return 0;
  },
};
