// Opens the bot's database for one CLI command (attaching to the running embedded server when the
// bot is up) with a quiet logger on stderr, and always closes it. The command's work gets the
// configuration and that logger too, for whatever else it opens.
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { createLogger, type Logger } from '../observability/logger.js';
import type { CliContext } from './cliCommand.js';

export async function withCliDatabase<T>(
  context: CliContext,
  work: (database: Database, command: { config: Config; logger: Logger }) => Promise<T>,
): Promise<T> {
  const config = context.config();
  const logger = createLogger({
    level: 'warn',
    format: 'json',
    secrets: config.secrets,
    destination: process.stderr,
  });
  const database = await openDatabase(config, logger);
  try {
    return await work(database, { config, logger });
  } finally {
    await database.close();
  }
}
