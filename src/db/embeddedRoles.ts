// Makes the embedded cluster match DATA_DIR's credentials file, as its superuser, on every start
// of the process that runs the server: the superuser's password, the owner and service roles
// (neither superuser), the bot database owned by the owner, and every object in it that an older
// version made as the superuser handed to the owner. Idempotent, so a half-done upgrade finishes
// on the next start.
import pg from 'pg';
import type { EmbeddedCredentials } from './embeddedCredentials.js';

const LIMITED = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';

async function ensureLogin(client: pg.Client, role: string, password: string): Promise<void> {
  const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
  const name = client.escapeIdentifier(role);
  await client.query(
    `${exists ? 'ALTER' : 'CREATE'} ROLE ${name} WITH ${LIMITED} PASSWORD ${client.escapeLiteral(password)}`,
  );
}

/** Objects in schema public still owned by the superuser (an older version ran as it). */
const HAND_OVER_TO_OWNER = `
DO $$
DECLARE
  owner_role text := %OWNER%;
  me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
  r record;
BEGIN
  FOR r IN
    SELECT c.relname, c.relkind FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = me
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  LOOP
    EXECUTE format('ALTER %s public.%I OWNER TO %I',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
      r.relname, owner_role);
  END LOOP;
  -- sequences not owned by a column (a column's sequence follows its table)
  FOR r IN
    SELECT c.relname FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = me
      AND c.relkind = 'S'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO %I', r.relname, owner_role);
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure AS signature FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = me
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.signature, owner_role);
  END LOOP;
  FOR r IN
    SELECT t.typname FROM pg_type t
    WHERE t.typnamespace = 'public'::regnamespace AND t.typowner = me
      AND t.typtype IN ('e', 'd')
  LOOP
    EXECUTE format('ALTER TYPE public.%I OWNER TO %I', r.typname, owner_role);
  END LOOP;
END $$`;

/**
 * `connect(database)` opens a superuser connection to that database. Leaves the cluster with
 * the file's passwords in force (the superuser's last, so a failure part-way can be retried
 * with the same password that worked this time).
 */
export async function provisionEmbeddedRoles(
  connect: (database: string) => Promise<pg.Client>,
  credentials: EmbeddedCredentials,
  database: string,
): Promise<void> {
  const cluster = await connect('postgres');
  try {
    await ensureLogin(cluster, credentials.owner.role, credentials.owner.password);
    await ensureLogin(cluster, credentials.service.role, credentials.service.password);
    const owner = cluster.escapeIdentifier(credentials.owner.role);
    const exists = (await cluster.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount;
    if (exists) await cluster.query(`ALTER DATABASE ${cluster.escapeIdentifier(database)} OWNER TO ${owner}`);
    else await cluster.query(`CREATE DATABASE ${cluster.escapeIdentifier(database)} OWNER ${owner}`);
  } finally {
    await cluster.end();
  }
  const bot = await connect(database);
  try {
    await bot.query(HAND_OVER_TO_OWNER.replace('%OWNER%', bot.escapeLiteral(credentials.owner.role)));
    // PostgreSQL 15+ already keeps CREATE on public to the database owner; older clusters did not
    await bot.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await bot.query(
      `ALTER ROLE ${bot.escapeIdentifier(credentials.superuser.role)} PASSWORD ${bot.escapeLiteral(credentials.superuser.password)}`,
    );
  } finally {
    await bot.end();
  }
}
