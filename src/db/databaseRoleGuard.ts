// The bot refuses, in production, to serve as a role that could rewrite the audit log: a
// superuser, or the owner of audit_log (either may switch its triggers off). Elsewhere it warns.
// ALLOW_SUPERUSER_DATABASE=true lets it run anyway, with a warning at every start.
import { ConfigError, type Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { ServiceRoleFacts } from './serviceRole.js';

export function guardServiceRole(
  facts: ServiceRoleFacts,
  config: Pick<Config, 'env' | 'allowSuperuserDatabase'>,
  logger: Logger,
): void {
  const what = [
    facts.superuser ? 'a superuser' : undefined,
    facts.ownsAuditLog ? 'the owner of the audit_log table' : undefined,
  ].filter(Boolean);
  if (what.length === 0) return;
  const risk = `DATABASE_URL connects as "${facts.role}", ${what.join(' and ')}: this process could switch off the audit log's protections and rewrite it`;
  const fix =
    'point DATABASE_URL at a role that may only INSERT and SELECT on audit_log and DATABASE_MIGRATION_URL at the owner (README "Database")';
  if (config.allowSuperuserDatabase) {
    logger.warn({ role: facts.role, allowSuperuserDatabase: true }, `ALLOW_SUPERUSER_DATABASE=true: ${risk}`);
    return;
  }
  if (config.env === 'production')
    throw new ConfigError([
      {
        variable: 'DATABASE_URL',
        message: `${risk}. Refused in production: ${fix}, or set ALLOW_SUPERUSER_DATABASE=true to run anyway`,
      },
    ]);
  logger.warn({ role: facts.role }, `${risk}; in production this is refused — ${fix}`);
}
