// Opens the database the configuration points at (or the embedded one), migrates it, and
// hands back a Prisma client plus a close() that undoes everything this process started.
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { startEmbeddedPostgres } from './embeddedPostgres.js';
import { applyMigrations } from './migrate.js';
import { createPrismaClient, type PrismaClient } from './prismaClient.js';

export interface Database {
  prisma: PrismaClient;
  url: string;
  kind: 'embedded' | 'external';
  /** true when this process started the embedded server */
  ownsServer: boolean;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort'>,
  logger: Logger,
): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, logger });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const migrations = await applyMigrations(url);
    if (migrations.applied.length > 0)
      logger.info({ applied: migrations.applied }, 'database migrations applied');
    const prisma = createPrismaClient(url);
    await prisma.$connect();
    return {
      prisma,
      url,
      kind: embedded ? 'embedded' : 'external',
      ownsServer: embedded?.owned ?? false,
      ping: async () => {
        try {
          await prisma.$queryRaw`SELECT 1`;
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        await prisma.$disconnect().catch(() => undefined);
        if (embedded?.owned) await embedded.stop();
      },
    };
  } catch (error) {
    if (embedded?.owned) await embedded.stop();
    throw error;
  }
}
