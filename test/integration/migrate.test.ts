import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { createEmptyDatabase } from '../helpers/testDatabase.js';

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
});
