// `autotask-bot import` and `autotask-bot customers` through the real CLI entry point, against
// a real PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { generatePartner, toCsv } from '../../src/demo/partnerGenerator.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await db.drop();
});

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) },
    { DATABASE_URL: db.url, LOG_LEVEL: 'silent', PATH: process.env.PATH },
  );
  return { code, out, err };
}

describe('autotask-bot import', () => {
  const partner = generatePartner({
    seed: 5,
    customers: 34,
    subscriptions: 80,
    events: 200,
    endDate: '2026-11-01',
  });

  it('prints the per-row report and exits 1 when rows are refused; --dry-run and --skip-invalid do what they say', async () => {
    const rows = partner.rows.map((r) => ({ ...r }));
    const badIndex = rows.findIndex((r) => r.old_status !== '');
    rows[badIndex]!.currency = 'dollars';
    const file = path.join(dir, 'history.csv');
    fs.writeFileSync(file, toCsv(rows));

    const refused = await cli('import', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`row ${badIndex + 2}, currency: must be a three-letter currency code`);
    expect(refused.err).toContain('Nothing stored');
    expect(await db.prisma.subscriptionEvent.count()).toBe(0);

    const dry = await cli('import', file, '--dry-run', '--skip-invalid');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/Dry run .*would store 199 new event/);
    expect(await db.prisma.subscriptionEvent.count()).toBe(0);

    const skipped = await cli('import', file, '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/Imported .*199 of 200 row\(s\); 199 new event/);
    expect(await db.prisma.subscriptionEvent.count()).toBe(199);
  });

  it('answers usage mistakes with the usage line and exit 2, and a missing file with exit 1', async () => {
    expect(await cli('import')).toMatchObject({
      code: 2,
      err: expect.stringContaining('Usage: autotask-bot import <file>'),
    });
    expect(await cli('import', 'a.csv', '--force')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--force'),
    });
    expect(await cli('import', path.join(dir, 'nope.csv'))).toMatchObject({
      code: 1,
      err: expect.stringContaining('ENOENT'),
    });
  });
});

describe('autotask-bot customers', () => {
  it('lists customers with external id and subscription counts, filtered', async () => {
    const all = await cli('customers');
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/Acme Corp\s+00000000-0000-4000-8000-000000000001\s+\d+\/\d+/);
    expect(all.out).toContain('34 customer(s)');

    const some = await cli('customers', 'north');
    expect(some.out).toContain('Northwind Traders');
    expect(some.out).not.toContain('Acme Corp');

    const json = await cli('customers', 'acme', '--json');
    expect(JSON.parse(json.out)).toEqual([
      expect.objectContaining({
        name: 'Acme Corp',
        externalId: '00000000-0000-4000-8000-000000000001',
        subscriptions: expect.any(Number),
      }),
    ]);
    expect((await cli('customers', 'zzz-nobody')).out).toContain('No customer matches');
  });
});
