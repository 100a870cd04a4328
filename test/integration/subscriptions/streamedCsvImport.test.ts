// The streamed CSV import (importCsvStream: rows staged in a temporary table, checked and stored
// by set-based SQL in one transaction) against the batch store the JSON file, the ingest API and
// snapshots use (storeIncomingEvents): the same file gives exactly the same stored rows, and the
// same per-row answers; a bad row in the middle of a large file stores nothing.
import { generatePartner } from '../../../src/demo/partnerGenerator.js';
import type { PrismaClient } from '../../../src/db/prismaClient.js';
import { importFile, parseCsvFile } from '../../../src/subscriptions/importFile.js';
import { STAGING_BATCH } from '../../../src/subscriptions/streamedCsvImport.js';
import { storeIncomingEvents } from '../../../src/subscriptions/storeIncomingEvents.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const actor = { id: 'cli:alice', name: 'Alice' };
let streamed: TestDatabase;
let batched: TestDatabase;
beforeAll(async () => {
  [streamed, batched] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([streamed.drop(), batched.drop()]);
});

async function wipe(prisma: PrismaClient) {
  await prisma.subscriptionEvent.deleteMany({});
  await prisma.subscription.deleteMany({});
  await prisma.customer.deleteMany({});
}
afterEach(async () => {
  await Promise.all([wipe(streamed.prisma), wipe(batched.prisma)]);
});

/** Every stored row, with generated ids replaced by what they stand for. */
async function storedRows(prisma: PrismaClient) {
  const customers = await prisma.customer.findMany({
    select: { id: true, name: true, externalId: true, domain: true },
  });
  const customerKey = new Map(customers.map((c) => [c.id, c.externalId ?? `name:${c.name}`]));
  const subscriptions = await prisma.subscription.findMany({ orderBy: { id: 'asc' } });
  const events = await prisma.subscriptionEvent.findMany({ orderBy: { seq: 'asc' } });
  return {
    customers: customers
      .map(({ name, externalId, domain }) => ({ name, externalId, domain }))
      .sort((a, b) => `${a.externalId}${a.name}`.localeCompare(`${b.externalId}${b.name}`)),
    subscriptions: subscriptions.map(({ createdAt: _c, updatedAt: _u, customerId, ...s }) => ({
      ...s,
      unitPrice: s.unitPrice.toString(),
      unitCost: s.unitCost?.toString() ?? null,
      customer: customerKey.get(customerId),
    })),
    events: events.map(({ id: _id, seq: _seq, recordedAt: _r, ...e }) => ({
      ...e,
      priceBefore: e.priceBefore?.toString() ?? null,
      priceAfter: e.priceAfter?.toString() ?? null,
    })),
  };
}

/** The same file through the batch store (what every CSV import did before it was streamed). */
async function batchStore(prisma: PrismaClient, fileName: string, csv: string, skipInvalid = false) {
  const parsed = parseCsvFile(csv, '2099-12-31');
  return storeIncomingEvents(prisma, parsed, {
    actor,
    channel: `import:${fileName}`,
    sourceSystem: 'default',
    skipInvalid,
    format: 'csv',
  });
}

const now = new Date('2026-11-02T00:00:00Z');
const partner = generatePartner({
  seed: 11,
  customers: 60,
  subscriptions: 500,
  events: 3 * STAGING_BATCH + 321,
  endDate: '2026-11-01',
});
const lines = partner.csv.trimEnd().split('\n');

describe('the streamed CSV import', () => {
  it(`stores exactly the rows the batch store does (${lines.length - 1} rows, several staging batches)`, async () => {
    const [a, b] = await Promise.all([
      importFile(streamed.prisma, 'partner.csv', partner.csv, { actor, now, maxFutureDays: 30_000 }),
      batchStore(batched.prisma, 'partner.csv', partner.csv),
    ]);
    expect(a.stored).toBe(true);
    const { format: _format, ...streamedResult } = a;
    expect(streamedResult).toEqual(b);
    expect(await storedRows(streamed.prisma)).toEqual(await storedRows(batched.prisma));

    // again, with some rows changed: repeats, a changed event id, one customer renamed
    const changed = [...lines];
    const withId = changed.findIndex((l, i) => i > 0 && !l.includes('"') && l.split(',')[15] !== '');
    expect(withId).toBeGreaterThan(0);
    const cells = changed[withId]!.split(',');
    cells[8] = String(Number(cells[8]) + 1000);
    changed[withId] = cells.join(',');
    changed[2] = changed[2]!.replace(/^[^,]*,/, '"Renamed, Ltd",');
    const again = `${changed.join('\n')}\n`;
    const [c, d] = await Promise.all([
      importFile(streamed.prisma, 'partner.csv', again, {
        actor,
        now,
        maxFutureDays: 30_000,
        skipInvalid: true,
      }),
      batchStore(batched.prisma, 'partner.csv', again, true),
    ]);
    const { format: _f, ...streamedAgain } = c;
    expect(streamedAgain).toEqual(d);
    expect(c.conflicts).toEqual([expect.objectContaining({ item: withId + 1, column: 'event_id' })]);
    expect(c.conflicts[0]!.reason).toMatch(/was stored before with other values \(quantity/);
    expect(await storedRows(streamed.prisma)).toEqual(await storedRows(batched.prisma));
  });

  it('answers a bad row in the middle of a large file by its line number, and stores nothing', async () => {
    const bad = [...lines];
    const middle = Math.floor(bad.length / 2);
    bad[middle] = bad[middle]!.replace(/\d{4}-\d{2}-\d{2}/, '2025-13-45');
    const result = await importFile(streamed.prisma, 'bad.csv', `${bad.join('\n')}\n`, {
      actor,
      now,
      maxFutureDays: 30_000,
    });
    expect(result.stored).toBe(false);
    expect(result.refused).toEqual([expect.objectContaining({ item: middle + 1, column: 'date_of_change' })]);
    expect(result.acceptedItems).toBe(lines.length - 2);
    expect(await streamed.prisma.subscriptionEvent.count()).toBe(0);
    expect(await streamed.prisma.customer.count()).toBe(0);

    // the same file with --skip-invalid stores every other row; a dry run stores nothing
    const dry = await importFile(streamed.prisma, 'bad.csv', `${bad.join('\n')}\n`, {
      actor,
      now,
      maxFutureDays: 30_000,
      skipInvalid: true,
      dryRun: true,
    });
    expect(dry).toMatchObject({ stored: false, dryRun: true, acceptedItems: lines.length - 2 });
    expect(dry.eventsNew).toBeGreaterThan(0);
    expect(await streamed.prisma.subscriptionEvent.count()).toBe(0);
    const skipped = await importFile(streamed.prisma, 'bad.csv', `${bad.join('\n')}\n`, {
      actor,
      now,
      maxFutureDays: 30_000,
      skipInvalid: true,
    });
    expect(skipped).toMatchObject({ stored: true, eventsNew: dry.eventsNew });
    expect(await streamed.prisma.subscriptionEvent.count()).toBe(dry.eventsNew);
  });

  it('gives the batch store’s answers to a subscription under two customers and to a shared name', async () => {
    const header = lines[0];
    const row = (customer: string, externalId: string, sub: string, date: string) =>
      `${customer},${externalId},${sub},Microsoft 365 Business Premium,CFQ7TTC0LCHC,monthly,quantity,,5,${date},,active,,22.00,USD`;
    expect(header).toMatch(/^customer,customer_external_id,subscription_id,product,sku,billing_cycle/);
    const columns =
      'customer,customer_external_id,subscription_id,product,sku,billing_cycle,billing_type,old_quantity,new_quantity,date_of_change,old_status,new_status,old_price,new_price,currency';
    const seed = [
      columns,
      row('Acme', 'acme-1', 'sub-a', '2025-01-01'),
      row('Acme', 'acme-2', 'sub-b', '2025-01-01'),
    ];
    await importFile(streamed.prisma, 'seed.csv', `${seed.join('\n')}\n`, { actor, now });
    await batchStore(batched.prisma, 'seed.csv', `${seed.join('\n')}\n`);
    const file = [
      columns,
      row('Acme', '', 'sub-c', '2025-02-01'),
      row('Bolt', 'bolt-1', 'sub-d', '2025-02-01'),
      row('Crane', 'crane-1', 'sub-d', '2025-02-02'),
      row('Bolt', 'bolt-1', 'sub-a', '2025-02-03'),
    ].join('\n');
    const [a, b] = await Promise.all([
      importFile(streamed.prisma, 'mixed.csv', `${file}\n`, { actor, now }),
      batchStore(batched.prisma, 'mixed.csv', `${file}\n`),
    ]);
    const { format: _format, ...streamedResult } = a;
    expect(streamedResult).toEqual(b);
    expect(a.refused.map((p) => p.item)).toEqual([2, 4, 5]);
  });
});
