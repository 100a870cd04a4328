import { describeConfig } from '../../config.js';
import { listSettings } from '../../settings/settingsStore.js';
import { tenantFactsSummary } from '../../chat/statusCard.js';
import { listVerifiedDatabases, loadTenantFacts } from '../../sync/tenantFacts.js';
import type { CliCommand } from '../cliCommand.js';
import { withCliDatabase } from '../cliDatabase.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

export const statusCommand: CliCommand = {
  ...CLI_COMMAND_INFO.status,
  async run(context) {
    const config = context.config();
    return withCliDatabase(context, async (database) => {
      const [auditRecords, settings, migrations, verified] = await Promise.all([
        database.prisma.auditRecord.count(),
        listSettings(database.prisma),
        database.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM schema_migrations`,
        listVerifiedDatabases(database.prisma),
      ]);
      // every Autotask database verify-tenant has checked (this host may not know its sandbox's key)
      const tenants = await Promise.all(
        verified.map(async (key) => ({
          databaseKey: key,
          facts: await loadTenantFacts(database.prisma, key),
        })),
      );
      const described = describeConfig(config);
      const status = {
        database: {
          kind: database.kind,
          location: described.databaseUrl,
          migrationsApplied: Number(migrations[0]?.n ?? 0),
          sharedWithRunningBot: database.kind === 'embedded' && !database.ownsServer,
        },
        autotask: { mode: config.autotask.mode },
        auditRecords,
        settings,
        tenants,
      };
      if (context.flags.json) {
        context.io.out(JSON.stringify(status, null, 2));
      } else {
        context.io.out(
          [
            `Database:   ${status.database.kind === 'embedded' ? '' : 'external PostgreSQL '}${status.database.location}`,
            `            ${status.database.migrationsApplied} migrations applied${status.database.sharedWithRunningBot ? '; shared with the running bot' : ''}`,
            `Autotask:   ${status.autotask.mode}${status.autotask.mode === 'sandbox' ? ' (built-in sandbox; set AUTOTASK_USERNAME, AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE for a real tenant)' : ''}`,
            ...(tenants.length === 0
              ? [`Tenant:     ${tenantFactsSummary([])}`]
              : tenants.map((t) => `Tenant:     ${t.databaseKey}: ${tenantFactsSummary(t.facts)}`)),
            `Audit log:  ${auditRecords} records`,
            `Settings:   ${Object.keys(settings).length === 0 ? '(defaults)' : JSON.stringify(settings)}`,
          ].join('\n'),
        );
      }
      return 0;
    });
  },
};
