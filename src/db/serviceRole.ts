// The bot's own login role: what it is (inspected through its own connection) and what it may do
// (granted by the migration role after every migration run). It gets full DML on the bot's
// tables, but only INSERT and SELECT on audit_log and only SELECT on schema_migrations; ALTER,
// trigger control and TRUNCATE stay with the owner, so the bot cannot switch off the audit log's
// protections. Default privileges cover the tables later migrations add.
import pg from 'pg';
import { MIGRATION_LOCK_KEY } from './migrate.js';

export interface ServiceRoleFacts {
  role: string;
  superuser: boolean;
  /** owns audit_log, or is a member of the role that does (and so may ALTER it) */
  ownsAuditLog: boolean;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function inspectServiceRole(serviceUrl: string): Promise<ServiceRoleFacts> {
  return withClient(serviceUrl, async (client) => {
    const { rows } = await client.query<{ role: string; superuser: boolean; owns: boolean | null }>(
      `SELECT current_user AS role,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              (SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c
                WHERE c.oid = to_regclass('public.audit_log')) AS owns`,
    );
    const row = rows[0]!;
    return { role: row.role, superuser: row.superuser, ownsAuditLog: row.owns === true };
  });
}

/**
 * Run as the migration role (the owner of the tables). Does nothing when the service role is
 * that same role: revoking would only take rights from the owner.
 */
export async function grantServiceRole(migrationUrl: string, serviceRole: string): Promise<boolean> {
  return withClient(migrationUrl, async (client) => {
    const me = (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role;
    if (me === serviceRole) return false;
    const to = client.escapeIdentifier(serviceRole);
    await client.query('BEGIN');
    try {
      // two processes starting together would otherwise fail with "tuple concurrently updated"
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(`GRANT USAGE ON SCHEMA public TO ${to}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${to}`);
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${to}`);
      await client.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${to}`,
      );
      await client.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${to}`,
      );
      await client.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM ${to}`);
      await client.query(`GRANT SELECT, INSERT ON audit_log TO ${to}`);
      await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${to}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new Error(
        `DATABASE_GRANTS_FAILED: the migration role "${me}" could not grant the bot's role "${serviceRole}" its rights: ${(error as Error).message}`,
      );
    }
    return true;
  });
}
