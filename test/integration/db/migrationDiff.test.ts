// README "Writing a migration", step 3: prisma/migrationDiff.mjs writes the SQL between two schema
// files with the wasm schema engine (Prisma 7's `prisma migrate diff` needs the native engine,
// a download). The SQL it writes for a new column applies to a database the migrations built.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const run = promisify(execFile);
const SCRIPT = path.resolve('prisma/migrationDiff.mjs');
const SCHEMA = path.resolve('prisma/schema.prisma');

describe('prisma/migrationDiff.mjs', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-diff-'));
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const diff = (from: string, to: string) =>
    run(process.execPath, [SCRIPT, from, to], { env: { PATH: process.env.PATH, DATABASE_URL: db.url } });

  it('writes nothing between a schema and itself', async () => {
    const { stdout } = await diff(SCHEMA, SCHEMA);
    expect(stdout.trim()).toBe('-- This is an empty migration.');
  });

  it('writes the SQL for a new column, and that SQL applies to the migrated database', async () => {
    const after = path.join(dir, 'after.prisma');
    const schema = fs.readFileSync(SCHEMA, 'utf8');
    expect(schema).toContain('model Setting {\n');
    fs.writeFileSync(
      after,
      schema.replace('model Setting {\n', 'model Setting {\n  note String? @map("note")\n'),
    );
    const { stdout } = await diff(SCHEMA, after);
    expect(stdout).toContain('ALTER TABLE "settings" ADD COLUMN     "note" TEXT;');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(stdout);
      const { rows } = await client.query(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'settings' AND column_name = 'note'",
      );
      expect(rows).toEqual([{ data_type: 'text' }]);
    } finally {
      await client.end();
    }
  });

  it('refuses without DATABASE_URL', async () => {
    await expect(
      run(process.execPath, [SCRIPT, SCHEMA, SCHEMA], { env: { PATH: process.env.PATH } }),
    ).rejects.toMatchObject({
      code: 64,
    });
  });
});
