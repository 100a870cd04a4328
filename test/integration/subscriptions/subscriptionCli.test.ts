// `autotask-bot import` and `autotask-bot customers` through the real CLI entry point, against
// a real PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli/main.js';
import { generatePartner, toCsv } from '../../../src/demo/partnerGenerator.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

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

describe('autotask-bot import and customers with hostile text', () => {
  const HEADER =
    'customer,customer_external_id,subscription_id,product,sku,billing_cycle,billing_type,old_quantity,new_quantity,date_of_change,old_status,new_status,old_price,new_price,currency,event_id';
  const row = (customer: string, externalId: string, sub: string, quantity: number, eventId: string) =>
    `"${customer}",${externalId},${sub},Visio Plan 2,,monthly,quantity,,${quantity},2026-02-01,,active,,15.00,USD,${eventId}`;
  const write = (name: string, ...rows: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, [HEADER, ...rows].join('\n'));
    return file;
  };
  /** what a terminal would obey: C0 (but line feed and tab), DEL, C1, bidi overrides */
  // eslint-disable-next-line no-control-regex -- looking for control characters is the test
  const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('prints a per-row report for a NUL and for an event id resent with other values, exit 1', async () => {
    const nul = await cli('import', write('nul.csv', row('Nul\u0000Corp', 'tenant-nul', 'sub-nul', 1, '')));
    expect(nul.code).toBe(1);
    expect(nul.err).toContain('row 2, customer: contains a NUL character');
    expect(nul.err).not.toMatch(RAW_CONTROL);

    expect(
      (await cli('import', write('v1.csv', row('Fabrikam Visio', 'tenant-fv', 'sub-fv', 3, 'fv-1')))).code,
    ).toBe(0);
    const conflict = await cli(
      'import',
      write('v2.csv', row('Fabrikam Visio', 'tenant-fv', 'sub-fv', 4, 'fv-1')),
    );
    expect(conflict.code).toBe(1);
    expect(conflict.err).toContain(
      'row 2 (fv-1), event_id: event id fv-1 (created) was stored before with other values',
    );
    expect(conflict.err).toContain('Nothing stored');
  });

  it('shows control characters in stored names escaped, never raw, in text and in --json', async () => {
    const hostile = 'Evil\u001b[2J\u0007\u009b31m\u202eCorp\r';
    const imported = await cli(
      'import',
      write('hostile.csv', row(hostile, 'tenant-evil', 'sub-evil', 2, '')),
    );
    expect(imported.code).toBe(0);
    expect((await db.prisma.customer.findFirstOrThrow({ where: { externalId: 'tenant-evil' } })).name).toBe(
      'Evil\u001b[2J\u0007\u009b31m\u202eCorp', // stored as sent (trimmed): only its display is neutralised
    );

    const listed = await cli('customers', 'tenant-evil');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('Evil\\u001b[2J\\u0007\\u009b31m\\u202eCorp');
    expect(listed.out).not.toMatch(RAW_CONTROL);

    const json = await cli('customers', 'tenant-evil', '--json');
    expect(json.out).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.out)).toEqual([
      expect.objectContaining({ name: 'Evil\u001b[2J\u0007\u009b31m\u202eCorp' }),
    ]);
  });
});
