// Issue 17, must show 2: the audit log cannot be rewritten by the bot. Probed at the database
// wire, as the roles themselves: the bot's service role is refused every way of changing or
// switching off the log; the owner (and a superuser) can still change it, and `audit verify`
// then names the row; start-up refuses a role that could rewrite it; the embedded PostgreSQL
// makes its logins with random passwords kept in DATA_DIR, and upgrades an older DATA_DIR.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { recordAudit } from '../../src/audit/auditLog.js';
import { verifyAuditChain } from '../../src/audit/auditChain.js';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { credentialsPath, readEmbeddedCredentials } from '../../src/db/embeddedCredentials.js';
import { startEmbeddedPostgres } from '../../src/db/embeddedPostgres.js';
import { createPrismaClient, type PrismaClient } from '../../src/db/prismaClient.js';
import { createRoleSeparatedDatabase, type RoleSeparatedDatabase } from '../helpers/testDatabase.js';

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = await connect(url);
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** The PostgreSQL error a statement ends with (code and message), or "no error". */
async function refusal(url: string, text: string): Promise<{ code: string; message: string } | 'no error'> {
  try {
    await sql(url, text);
    return 'no error';
  } catch (error) {
    const e = error as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
}

async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { LOG_LEVEL: 'silent', DATA_DIR: os.tmpdir(), AUTOTASK_MODE: 'sandbox', ...env },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function writeRecords(prisma: PrismaClient, n: number): Promise<void> {
  for (let i = 1; i <= n; i++)
    await recordAudit(prisma, {
      actor: { id: 'cli:alice' },
      action: 'probe.record',
      runId: `r-${i}`,
      details: { n: i, amount: `${i}0.00` },
    });
}

describe("the bot's own database role", () => {
  let db: RoleSeparatedDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createRoleSeparatedDatabase();
    prisma = createPrismaClient(db.serviceUrl, { poolSize: 8 });
    await writeRecords(prisma, 3);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('is no superuser, does not own audit_log, and holds only INSERT and SELECT on it', async () => {
    const { rows } = await sql(
      db.serviceUrl,
      `SELECT r.rolsuper, r.rolreplication, r.rolbypassrls,
              pg_has_role(current_user, c.relowner, 'USAGE') AS owns,
              has_table_privilege('audit_log', 'SELECT') AS sel, has_table_privilege('audit_log', 'INSERT') AS ins,
              has_table_privilege('audit_log', 'UPDATE') AS upd, has_table_privilege('audit_log', 'DELETE') AS del,
              has_table_privilege('audit_log', 'TRUNCATE') AS trunc, has_table_privilege('audit_log', 'TRIGGER') AS trig,
              has_table_privilege('audit_log', 'REFERENCES') AS refs,
              has_table_privilege('sync_runs', 'UPDATE') AS runs_update,
              has_table_privilege('agenda_jobs', 'DELETE') AS jobs_delete
         FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_log'::regclass`,
    );
    expect(rows[0]).toEqual({
      rolsuper: false,
      rolreplication: false,
      rolbypassrls: false,
      owns: false,
      sel: true,
      ins: true,
      upd: false,
      del: false,
      trunc: false,
      trig: false,
      refs: false,
      runs_update: true,
      jobs_delete: true,
    });
  });

  const MUST_BE_OWNER = { code: '42501', message: 'must be owner of table audit_log' };
  const DENIED = { code: '42501', message: 'permission denied for table audit_log' };
  it.each([
    ['ALTER TABLE audit_log DISABLE TRIGGER USER', MUST_BE_OWNER],
    ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete', MUST_BE_OWNER],
    ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain', MUST_BE_OWNER],
    ['ALTER TABLE audit_log ADD COLUMN forged text', MUST_BE_OWNER],
    ['ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL', MUST_BE_OWNER],
    [
      'DROP TRIGGER audit_log_chain ON audit_log',
      { code: '42501', message: 'must be owner of relation audit_log' },
    ],
    ['DROP TABLE audit_log', MUST_BE_OWNER],
    [
      'SET session_replication_role = replica',
      { code: '42501', message: 'permission denied to set parameter "session_replication_role"' },
    ],
    ["UPDATE audit_log SET action = 'forged'", DENIED],
    ['DELETE FROM audit_log', DENIED],
    ['TRUNCATE audit_log', DENIED],
    [
      'CREATE TRIGGER forged BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain()',
      DENIED,
    ],
  ])('is refused: %s', async (statement, expected) => {
    expect(await refusal(db.serviceUrl, statement)).toEqual(expected);
  });

  it('cannot become the owner', async () => {
    expect(await refusal(db.serviceUrl, `SET ROLE ${db.roles.owner}`)).toEqual({
      code: '42501',
      message: `permission denied to set role "${db.roles.owner}"`,
    });
  });

  it('leaves the log as it was after all those attempts: 3 rows, chain intact', async () => {
    expect(await verifyAuditChain(prisma)).toMatchObject({ intactRows: 3, broken: undefined });
  });

  it('may insert, but the database picks the id and the hashes (forged ones are overwritten)', async () => {
    const { rows } = await sql(
      db.serviceUrl,
      `INSERT INTO audit_log (id, actor_id, action, prev_hash, hash)
       VALUES (1, 'system', 'probe.forged', repeat('0', 64), repeat('f', 64)) RETURNING id::int, hash`,
    );
    expect(rows[0].id).toBe(4);
    expect(rows[0].hash).not.toBe('f'.repeat(64));
    expect(await verifyAuditChain(prisma)).toMatchObject({ intactRows: 4, broken: undefined });
  });

  it('cannot feed the chain from a temporary table called audit_log', async () => {
    const client = await connect(db.serviceUrl);
    try {
      await client.query('CREATE TEMP TABLE audit_log (id bigint, hash text)');
      await client.query(`INSERT INTO audit_log VALUES (41, repeat('e', 64))`);
      await client.query(`INSERT INTO public.audit_log (actor_id, action) VALUES ('system', 'probe.temp')`);
    } finally {
      await client.end();
    }
    expect(await verifyAuditChain(prisma)).toMatchObject({ intactRows: 5, broken: undefined });
  });

  it('chains 60 concurrent inserts (in and out of transactions) into one unbroken, gapless chain', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0
          ? recordAudit(prisma, { actor: { id: 'cli:bob' }, action: 'probe.concurrent', details: { i } })
          : prisma.$transaction(async (tx) => {
              await recordAudit(tx, { actor: { id: 'cli:bob' }, action: 'probe.concurrent', details: { i } });
              await tx.setting.upsert({
                where: { key: `probe.${i}` },
                create: { key: `probe.${i}`, value: i, updatedAt: new Date() },
                update: { value: i, updatedAt: new Date() },
              });
            }),
      ),
    );
    expect(await verifyAuditChain(prisma)).toMatchObject({ intactRows: 65, broken: undefined });
    const { rows } = await sql(
      db.serviceUrl,
      'SELECT min(id)::int AS lo, max(id)::int AS hi, count(*)::int AS n FROM audit_log',
    );
    expect(rows[0]).toEqual({ lo: 1, hi: 65, n: 65 });
  });
  it('chains the rows of one multi-row INSERT too, and verify walks past its batch size (5,100 more rows)', async () => {
    await sql(
      db.serviceUrl,
      `INSERT INTO audit_log (actor_id, action, details)
       SELECT 'system', 'probe.bulk', jsonb_build_object('i', i) FROM generate_series(1, 5100) AS i`,
    );
    expect(await verifyAuditChain(prisma)).toMatchObject({ intactRows: 5165, broken: undefined });
  });
});

describe('autotask-bot audit verify', () => {
  let db: RoleSeparatedDatabase;
  let prisma: PrismaClient;
  let env: Record<string, string>;
  beforeEach(async () => {
    db = await createRoleSeparatedDatabase();
    prisma = createPrismaClient(db.serviceUrl, { poolSize: 2 });
    await writeRecords(prisma, 5);
    // as production would run it: the bot's role, the owner for migrations, NODE_ENV=production
    env = { DATABASE_URL: db.serviceUrl, DATABASE_MIGRATION_URL: db.ownerUrl, NODE_ENV: 'production' };
  });
  afterEach(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('prints "N rows, chain intact" and exits 0 on an untouched log', async () => {
    const result = await cli(['audit', 'verify'], env);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^5 rows, chain intact \(last row 5, hash [0-9a-f]{64}\)$/);
  });

  it('names a row the owner changed with the triggers off (exit 1)', async () => {
    await sql(
      db.ownerUrl,
      `BEGIN;
       ALTER TABLE audit_log DISABLE TRIGGER USER;
       UPDATE audit_log SET details = '{"n": 3, "amount": "3.00"}' WHERE id = 3;
       ALTER TABLE audit_log ENABLE TRIGGER USER;
       COMMIT;`,
    );
    const result = await cli(['audit', 'verify'], env);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'Audit log chain broken at row 3: row 3 was changed after it was written: its content no longer matches its hash.',
    );
    expect(result.out).toContain('2 rows before it are intact.');
  });

  it('names the row after one a superuser deleted with session_replication_role = replica (exit 1)', async () => {
    await sql(db.superuserUrl, `SET session_replication_role = replica; DELETE FROM audit_log WHERE id = 2;`);
    const result = await cli(['audit', 'verify', '--json'], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({
      intact: false,
      intactRows: 1,
      broken: { id: '3', kind: 'unlinked' },
    });
  });

  it('names the next row when the owner rewrote a row together with its hash (exit 1)', async () => {
    await sql(
      db.ownerUrl,
      `BEGIN;
       ALTER TABLE audit_log DISABLE TRIGGER USER;
       UPDATE audit_log SET actor_id = 'cli:mallory',
         hash = encode(sha256(convert_to(prev_hash || E'\\n' || jsonb_build_array(id::text,
           to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS'), 'cli:mallory', actor_name, action, customer_id,
           run_id, outcome, details)::text, 'UTF8')), 'hex')
       WHERE id = 4;
       ALTER TABLE audit_log ENABLE TRIGGER USER;
       COMMIT;`,
    );
    const result = await cli(['audit', 'verify'], env);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Audit log chain broken at row 5: row 5 does not follow row 4');
  });

  it('with --anchor, finds rows cut off the end, which the chain alone cannot show (exit 1)', async () => {
    const before = await cli(['audit', 'verify', '--json'], env);
    const head = (JSON.parse(before.out) as { head: { id: string; hash: string } }).head;
    expect(head.id).toBe('5');
    const held = await cli(['audit', 'verify', '--anchor', `${head.id}:${head.hash}`], env);
    expect(held).toMatchObject({ code: 0 });
    expect(held.out).toContain('5 rows, chain intact');
    expect(held.out).toContain('anchor row 5 holds');

    await sql(
      db.superuserUrl,
      `SET session_replication_role = replica; DELETE FROM audit_log WHERE id >= 4;`,
    );
    // the shortened chain is still a valid chain ...
    expect((await cli(['audit', 'verify'], env)).out).toMatch(/^3 rows, chain intact/);
    // ... but not the one the anchor was taken from
    const cut = await cli(['audit', 'verify', `--anchor=${head.id}:${head.hash}`], env);
    expect(cut.code).toBe(1);
    expect(cut.out).toContain('row 5 of the anchor is gone: the log now ends at row 3');
  });

  it('answers extra arguments after verify with the usage line (exit 2)', async () => {
    const wrong = await cli(['audit', 'verify', 'everything'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('Usage: autotask-bot audit verify [--anchor <row>:<hash>] [--json]');
    expect((await cli(['audit', 'verify', '--anchor', '5:abc'], env)).code).toBe(2);
  });
});

describe('start-up refuses a database role that could rewrite the audit log', () => {
  let db: RoleSeparatedDatabase;
  beforeAll(async () => {
    db = await createRoleSeparatedDatabase();
  });
  afterAll(() => db.drop());

  it('refuses a superuser in production with exit 2 and a message saying what to do', async () => {
    const result = await cli(['status'], { NODE_ENV: 'production', DATABASE_URL: db.superuserUrl });
    expect(result.code).toBe(2);
    expect(result.err).toContain('CONFIG_INVALID');
    expect(result.err).toMatch(/DATABASE_URL: DATABASE_URL connects as "[^"]+", a superuser/);
    expect(result.err).toContain('ALLOW_SUPERUSER_DATABASE=true');
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('refuses the owner of audit_log in production (exit 2)', async () => {
    const result = await cli(['status'], { NODE_ENV: 'production', DATABASE_URL: db.ownerUrl });
    expect(result.code).toBe(2);
    expect(result.err).toContain(`connects as "${db.roles.owner}", the owner of the audit_log table`);
  });

  it('runs as the superuser when ALLOW_SUPERUSER_DATABASE=true, and says so in the log', async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let result: Awaited<ReturnType<typeof cli>>;
    try {
      result = await cli(['status'], {
        NODE_ENV: 'production',
        DATABASE_URL: db.superuserUrl,
        ALLOW_SUPERUSER_DATABASE: 'true',
        LOG_LEVEL: 'warn',
      });
    } finally {
      process.stderr.write = write;
    }
    expect(result.code).toBe(0);
    expect(lines.join('')).toContain('ALLOW_SUPERUSER_DATABASE=true: DATABASE_URL connects as');
  });

  it('starts as the service role in production', async () => {
    const result = await cli(['status', '--json'], {
      NODE_ENV: 'production',
      DATABASE_URL: db.serviceUrl,
      DATABASE_MIGRATION_URL: db.ownerUrl,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ database: { kind: 'external' } });
  });
});

describe('embedded PostgreSQL logins', () => {
  const logger = pino({ level: 'silent' });
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-roles-'));
    fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const legacyLogin = (port: number) =>
    refusal(`postgresql://postgres:autotask-bot-embedded@127.0.0.1:${port}/postgres`, 'SELECT 1');
  const portOf = (url: string) => Number(new URL(url).port);

  it('makes three logins with random passwords on first start, kept in a 0600 file a second process reads', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    const database = await openDatabase(config, logger);
    try {
      const file = credentialsPath(dataDir);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const credentials = readEmbeddedCredentials(dataDir)!;
      expect(
        new Set([credentials.superuser, credentials.owner, credentials.service].map((l) => l.password)).size,
      ).toBe(3);
      expect(await legacyLogin(portOf(database.url))).toMatchObject({ code: '28P01' });

      const { rows } = await sql(
        database.url,
        `SELECT current_user AS role, r.rolsuper, pg_has_role(current_user, c.relowner, 'USAGE') AS owns
           FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_log'::regclass`,
      );
      expect(rows[0]).toEqual({ role: credentials.service.role, rolsuper: false, owns: false });
      expect(await refusal(database.url, 'ALTER TABLE audit_log DISABLE TRIGGER USER')).toMatchObject({
        code: '42501',
      });

      // the CLI while the bot runs: attaches, with the same logins
      const second = await startEmbeddedPostgres({ dataDir, port: 0, logger });
      expect(second).toMatchObject({ owned: false, serviceUrl: database.url });
      await recordAudit(database.prisma, { actor: { id: 'cli:alice' }, action: 'probe.before-upgrade' });
    } finally {
      await database.close();
    }
  });

  it('upgrades a DATA_DIR of an older version (constant superuser password, everything owned by it)', async () => {
    // make the data directory look like one an older version left: the superuser owns everything,
    // its password is the old constant, there are no other roles and no credentials file
    const before = readEmbeddedCredentials(dataDir)!;
    const server = await startEmbeddedPostgres({ dataDir, port: 0, logger });
    const superuser = new URL(server.superuserUrl);
    superuser.pathname = '/autotask_bot';
    await sql(
      superuser.toString(),
      `ALTER DATABASE autotask_bot OWNER TO postgres;
       REASSIGN OWNED BY ${before.owner.role} TO postgres;
       DROP OWNED BY ${before.owner.role}; DROP OWNED BY ${before.service.role};
       DROP ROLE ${before.owner.role}; DROP ROLE ${before.service.role};
       ALTER ROLE postgres PASSWORD 'autotask-bot-embedded';`,
    );
    await server.stop();
    fs.rmSync(credentialsPath(dataDir));

    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    const database = await openDatabase(config, logger);
    try {
      const after = readEmbeddedCredentials(dataDir)!;
      expect(fs.statSync(credentialsPath(dataDir)).mode & 0o777).toBe(0o600);
      expect(after.superuser.password).not.toBe(before.superuser.password);
      expect(await legacyLogin(portOf(database.url))).toMatchObject({ code: '28P01' });
      const { rows } = await sql(
        `postgresql://postgres:${encodeURIComponent(after.superuser.password)}@127.0.0.1:${portOf(database.url)}/autotask_bot`,
        `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class
          WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')`,
      );
      expect(rows).toEqual([{ owner: after.owner.role }]);
      // the data is still there, the chain intact, and the bot's role is the limited one
      await recordAudit(database.prisma, { actor: { id: 'cli:alice' }, action: 'probe.after-upgrade' });
      expect(await verifyAuditChain(database.prisma)).toMatchObject({ broken: undefined });
      const actions = await database.prisma.auditRecord.findMany({ select: { action: true } });
      expect(actions.map((a) => a.action)).toEqual(
        expect.arrayContaining(['probe.before-upgrade', 'probe.after-upgrade']),
      );
      expect(await refusal(database.url, "UPDATE audit_log SET action = 'forged'")).toMatchObject({
        code: '42501',
      });
    } finally {
      await database.close();
    }
  });
});
