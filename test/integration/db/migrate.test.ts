import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, MIGRATIONS_DIR } from '../../../src/db/migrate.js';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { verifyAuditChain } from '../../../src/audit/auditChain.js';
import { createPrismaClient } from '../../../src/db/prismaClient.js';
import { AGENDA_TABLE } from '../../../src/jobs/jobsBackend.js';
import { createEmptyDatabase, createTestDatabase } from '../../helpers/testDatabase.js';

/** Applies the migrations an older version had: those named before `first`; the folder is left to remove. */
async function applyMigrationsBefore(url: string, first: string): Promise<string> {
  const before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-before-'));
  for (const name of fs.readdirSync(MIGRATIONS_DIR).filter((n) => n < first))
    fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
  await applyMigrations(url, before);
  return before;
}

describe('applyMigrations', () => {
  it('applies every migration once, even when two processes start together', async () => {
    const db = await createEmptyDatabase();
    try {
      const [a, b] = await Promise.all([applyMigrations(db.url), applyMigrations(db.url)]);
      const total = fs.readdirSync(MIGRATIONS_DIR).length;
      expect(a.applied.length + b.applied.length).toBe(total);
      expect((await applyMigrations(db.url)).applied).toEqual([]);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('SELECT count(*)::int AS n FROM schema_migrations');
      await client.end();
      expect(rows[0].n).toBe(total);
    } finally {
      await db.drop();
    }
  });

  it('refuses to run when an applied migration was edited, and rolls back a failing one', async () => {
    const db = await createEmptyDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    try {
      fs.mkdirSync(path.join(dir, '001_a'));
      fs.writeFileSync(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE a (id int);');
      await applyMigrations(db.url, dir);
      fs.writeFileSync(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE a (id bigint);');
      await expect(applyMigrations(db.url, dir)).rejects.toThrow(/MIGRATION_CHANGED: 001_a/);

      fs.writeFileSync(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE a (id int);');
      fs.mkdirSync(path.join(dir, '002_b'));
      fs.writeFileSync(
        path.join(dir, '002_b', 'migration.sql'),
        'CREATE TABLE b (id int); SELECT no_such_function();',
      );
      await expect(applyMigrations(db.url, dir)).rejects.toThrow(/MIGRATION_FAILED: 002_b/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query(`SELECT to_regclass('b') AS b`);
      await client.end();
      expect(rows[0].b).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });

  it("makes Agenda's table as Agenda itself would: its own schema step then finds nothing to change", async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    // columns, indexes and triggers of the table, and the trigger function's body
    const shape = async () =>
      (
        await pool.query(
          `SELECT json_build_object(
             'columns', (SELECT json_agg(json_build_object('c', column_name, 't', data_type, 'n', is_nullable, 'd', column_default) ORDER BY column_name)
                         FROM information_schema.columns WHERE table_name = $1),
             'indexes', (SELECT json_agg(indexdef ORDER BY indexname) FROM pg_indexes WHERE tablename = $1),
             'triggers', (SELECT json_agg(pg_get_triggerdef(oid) ORDER BY tgname) FROM pg_trigger
                          WHERE tgrelid = $1::regclass AND NOT tgisinternal),
             'function', (SELECT prosrc FROM pg_proc WHERE proname = 'update_' || $1 || '_updated_at')) AS shape`,
          [AGENDA_TABLE],
        )
      ).rows[0].shape;
    try {
      const migrated = await shape();
      expect(migrated.columns).toHaveLength(25);
      await new PostgresBackend({ pool, tableName: AGENDA_TABLE, ensureSchema: true }).connect();
      const after = await shape();
      expect({ ...after, function: after.function.replace(/\s+/g, ' ').trim() }).toEqual({
        ...migrated,
        function: migrated.function.replace(/\s+/g, ' ').trim(),
      });
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  it('chains the audit rows written before the chain existed, keeping their ids', async () => {
    const db = await createEmptyDatabase();
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-before-chain-'));
    const prisma = createPrismaClient(db.url, { poolSize: 1 });
    try {
      // the migrations an older version had applied
      for (const name of fs.readdirSync(MIGRATIONS_DIR).filter((n) => n < '20261202020000'))
        fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
      await applyMigrations(db.url, before);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      // ids with a gap, as a sequence leaves after a rolled-back insert
      await client.query(`INSERT INTO audit_log (id, actor_id, action, details) VALUES
        (1, 'system', 'old.first', '{"a": 1}'), (2, 'cli:alice', 'old.second', '{}'), (7, 'cli:bob', 'old.third', '{"b": [1, 2]}')`);
      await client.end();

      expect((await applyMigrations(db.url)).applied).toEqual(
        fs
          .readdirSync(MIGRATIONS_DIR)
          .filter((n) => n >= '20261202020000')
          .sort(),
      );
      expect(await verifyAuditChain(prisma)).toMatchObject({
        intactRows: 3,
        broken: undefined,
        head: { id: '7' },
      });
      // and the next row follows them
      await prisma.auditRecord.create({ data: { actorId: 'system', action: 'new.first' } });
      expect(await verifyAuditChain(prisma)).toMatchObject({
        intactRows: 4,
        broken: undefined,
        head: { id: '8' },
      });
    } finally {
      await prisma.$disconnect();
      fs.rmSync(before, { recursive: true, force: true });
      await db.drop();
    }
  });
  /** migrations up to `before`, the old text rows, the rest of the migrations, the problems read back */
  async function problemsAfterMigrating(
    before: string,
    seed: (client: pg.Client) => Promise<void>,
    select: string,
  ): Promise<unknown[]> {
    const db = await createEmptyDatabase();
    const dir = await applyMigrationsBefore(db.url, before);
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await seed(client);
        await applyMigrations(db.url);
        return (await client.query(select)).rows.map((r) => r.problem);
      } finally {
        await client.end();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  }

  it("turns the operations' stored error texts into problems, once", async () => {
    const texts = [
      'AUTOTASK_BUSINESS_RULE: Autotask refused it: date — fix the date',
      'DRIFT: units differ',
      'not sent',
      null,
    ];
    const problems = await problemsAfterMigrating(
      '20261203010000',
      async (client) => {
        await client.query(`INSERT INTO sync_runs (id, scope, state, plan_hash, created_by, updated_at)
          VALUES ('r-old', 'all', 'failed', 'h', 'cli:alice', now())`);
        for (const [seq, text] of texts.entries())
          await client.query(
            `INSERT INTO sync_operations (run_id, seq, key, kind, customer_id, subscription_id, product_name,
               line_key, contract_id, service_id, effective_date, unit_change, units_after, unit_price,
               billing_cycle, error)
             VALUES ('r-old', $1, $2, 'adjust', 'c', 's', 'p', 'lk', 1, 2, '2026-01-01', 1, 1, 1, 'monthly', $3)`,
            [seq, `k${seq}`, text],
          );
      },
      'SELECT problem FROM sync_operations ORDER BY seq',
    );
    expect(problems).toEqual([
      { code: 'AUTOTASK_BUSINESS_RULE', message: 'Autotask refused it: date', hint: 'fix the date' },
      { code: 'DRIFT', message: 'units differ', hint: '' },
      { code: 'OPERATION_FAILED', message: 'not sent', hint: '' },
      null,
    ]);
  });

  it("turns the job executions' stored error texts into problems, once", async () => {
    const texts = [
      'AUTOTASK_UNREACHABLE: no answer — check the network',
      'JOBS_PLANNING_UNAVAILABLE: later',
      'boom',
      null,
    ];
    const problems = await problemsAfterMigrating(
      '20261203070000',
      async (client) => {
        for (const [attempt, text] of texts.entries())
          await client.query(
            `INSERT INTO job_executions (job_id, job_name, worker, attempt, outcome, error)
             VALUES ('j1', 'autotask-bot.upload-run', 'w', $1, $2, $3)`,
            [attempt + 1, text ? 'failed' : 'succeeded', text],
          );
      },
      'SELECT problem FROM job_executions ORDER BY attempt',
    );
    expect(problems).toEqual([
      { code: 'AUTOTASK_UNREACHABLE', message: 'no answer', hint: 'check the network' },
      { code: 'JOBS_PLANNING_UNAVAILABLE', message: 'later', hint: '' },
      { code: 'JOB_FAILED', message: 'boom', hint: '' },
      null,
    ]);
  });
});
