// Opens the database the configuration points at (or the embedded one), migrates it as the owner,
// grants the bot's own role its rights, checks that role, and hands back a Prisma client on it
// plus a close() that undoes everything this process started.
import { processSecrets } from '../observability/secretScrubber.js';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { guardServiceRole } from './databaseRoleGuard.js';
import { startEmbeddedPostgres } from './embeddedPostgres.js';
import { applyMigrations } from './migrate.js';
import { createPrismaClient, type PrismaClient } from './prismaClient.js';
import { grantServiceRole, inspectServiceRole } from './serviceRole.js';

export interface Database {
  prisma: PrismaClient;
  /** the bot's own login (not the migration owner's) */
  url: string;
  kind: 'embedded' | 'external';
  /** true when this process started the embedded server */
  ownsServer: boolean;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDatabase(
  config: Pick<
    Config,
    | 'databaseUrl'
    | 'databaseMigrationUrl'
    | 'dataDir'
    | 'embeddedPgPort'
    | 'env'
    | 'allowSuperuserDatabase'
    | 'secrets'
  >,
  logger: Logger,
): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, logger });
  // the embedded logins' passwords join the secrets the logger scrubs
  if (embedded)
    for (const login of [embedded.serviceUrl, embedded.migrationUrl, embedded.superuserUrl]) {
      const password = decodeURIComponent(new URL(login).password);
      if (!config.secrets.includes(password)) config.secrets.push(password);
      processSecrets.add(password); // the logger was made before these were known
    }
  const url = embedded?.serviceUrl ?? config.databaseUrl!;
  const migrationUrl = embedded?.migrationUrl ?? config.databaseMigrationUrl ?? url;
  try {
    const migrations = await applyMigrations(migrationUrl);
    if (migrations.applied.length > 0)
      logger.info({ applied: migrations.applied }, 'database migrations applied');
    const role = await inspectServiceRole(url);
    // A CLI attached to the running bot's embedded server: that bot granted at its start and no
    // migration ran now, so there is nothing new to grant (saves a login and a transaction on
    // every command; docs/cli.md, "Start-up time").
    const grantedByRunningBot = embedded !== undefined && !embedded.owned && migrations.applied.length === 0;
    if (!grantedByRunningBot) await grantServiceRole(migrationUrl, role.role);
    guardServiceRole(role, config, logger);
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
