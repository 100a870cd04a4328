// Import of CSV and JSON files against a real PostgreSQL: one file is one transaction, bad rows
// are reported by row, column and reason, re-importing changes nothing.
import { listAudit } from '../../../src/audit/auditLog.js';
import { generatePartner, toCsv } from '../../../src/demo/partnerGenerator.js';
import { importFile } from '../../../src/subscriptions/importFile.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const actor = { id: 'cli:alice', name: 'Alice' };
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function counts() {
  const [customers, subscriptions, events] = await Promise.all([
    db.prisma.customer.count(),
    db.prisma.subscription.count(),
    db.prisma.subscriptionEvent.count(),
  ]);
  return { customers, subscriptions, events };
}

async function snapshotOfRows() {
  const subscriptions = await db.prisma.subscription.findMany({
    orderBy: { id: 'asc' },
    select: { id: true, quantity: true, status: true, unitPrice: true, billingCycle: true, customerId: true },
  });
  const events = await db.prisma.subscriptionEvent.findMany({
    orderBy: { seq: 'asc' },
    select: { id: true, idempotencyKey: true, kind: true, effectiveDate: true },
  });
  return JSON.stringify({ subscriptions, events });
}

async function wipe() {
  await db.prisma.subscriptionEvent.deleteMany({});
  await db.prisma.subscription.deleteMany({});
  await db.prisma.customer.deleteMany({});
}

describe('import of a CSV file', () => {
  afterEach(wipe);

  it('imported twice gives the same rows, and the second import stores nothing', async () => {
    const partner = generatePartner({
      seed: 7,
      customers: 20,
      subscriptions: 60,
      events: 300,
      endDate: '2026-11-01',
    });
    const first = await importFile(db.prisma, 'history.csv', partner.csv, { actor });
    expect(first).toMatchObject({
      stored: true,
      items: 300,
      acceptedItems: 300,
      eventsNew: 300,
      refused: [],
    });
    expect(await counts()).toEqual({ customers: 20, subscriptions: 60, events: 300 });
    const before = await snapshotOfRows();

    const second = await importFile(db.prisma, 'history-again.csv', partner.csv, { actor });
    expect(second).toMatchObject({
      eventsNew: 0,
      eventsAlreadyStored: 300,
      customersCreated: 0,
      subscriptionsCreated: 0,
    });
    expect(await snapshotOfRows()).toEqual(before);
  });

  it('with 3 bad rows among 1,000 reports exactly those 3 and stores nothing; --skip-invalid stores 997', async () => {
    const partner = generatePartner({
      seed: 11,
      customers: 40,
      subscriptions: 200,
      events: 1000,
      endDate: '2026-11-01',
    });
    const rows = partner.rows.map((r) => ({ ...r }));
    // Three different mistakes, in rows that are not creations (so no other row depends on them).
    const changes = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.old_status !== '');
    const [a, b, c] = [changes[10]!, changes[200]!, changes[500]!];
    a.r.date_of_change = '2025-02-30';
    b.r.new_quantity = '-4';
    c.r.new_status = 'paused';
    const csv = toCsv(rows);
    const badRows: number[] = [a.i + 2, b.i + 2, c.i + 2]; // header is row 1

    const refused = await importFile(db.prisma, 'bad.csv', csv, { actor });
    expect(refused.stored).toBe(false);
    expect(refused.refused).toEqual(
      [
        { item: badRows[0], column: 'date_of_change', reason: expect.stringMatching(/YYYY-MM-DD/) },
        { item: badRows[1], column: 'new_quantity', reason: 'must not be negative' },
        {
          item: badRows[2],
          column: 'new_status',
          reason: expect.stringMatching(/active|suspended|cancelled/),
        },
      ], // rows 10, 200 and 500 of the changes: already in file order
    );
    expect(await counts()).toEqual({ customers: 0, subscriptions: 0, events: 0 });

    const skipped = await importFile(db.prisma, 'bad.csv', csv, { actor, skipInvalid: true });
    expect(skipped).toMatchObject({ stored: true, items: 1000, acceptedItems: 997, eventsNew: 997 });
    expect(skipped.refused.map((p) => p.item)).toEqual([...badRows].sort((x, y) => x - y));
    expect((await counts()).events).toBe(997);
  });

  it('a dry run reports what would be stored and stores nothing', async () => {
    const partner = generatePartner({
      seed: 3,
      customers: 5,
      subscriptions: 10,
      events: 40,
      endDate: '2026-11-01',
    });
    const dry = await importFile(db.prisma, 'dry.csv', partner.csv, { actor, dryRun: true });
    expect(dry).toMatchObject({
      stored: false,
      dryRun: true,
      eventsNew: 40,
      customersCreated: 5,
      subscriptionsCreated: 10,
    });
    expect(await counts()).toEqual({ customers: 0, subscriptions: 0, events: 0 });
  });

  it('keeps each subscription’s current state from its latest event and audits the import', async () => {
    const csv = [
      'Customer,Customer External Id,Subscription Id,Product,SKU,Billing Cycle,Billing Type,Old Quantity,New Quantity,Date of Change,Old Status,New Status,Old Price,New Price,Currency',
      'Acme Corp,tenant-1,sub-1,Microsoft 365 E3,CFQ7TTC0LFLX:0001,monthly,quantity,,10,2025-01-01,,active,,36.00,USD',
      // a later change listed before an earlier one: the state still follows the dates
      'Acme Corp,tenant-1,sub-1,Microsoft 365 E3,CFQ7TTC0LFLX:0001,monthly,quantity,12,15,2025-05-01,active,active,38.00,38.00,USD',
      'Acme Corp,tenant-1,sub-1,Microsoft 365 E3,CFQ7TTC0LFLX:0001,monthly,quantity,10,12,2025-03-01,active,active,36.00,38.00,USD',
    ].join('\n');
    const result = await importFile(db.prisma, 'acme.csv', csv, { actor });
    expect(result).toMatchObject({ stored: true, eventsNew: 4 }); // the 2025-03-01 row is two events
    const sub = await db.prisma.subscription.findUniqueOrThrow({ where: { id: 'sub-1' } });
    expect({ quantity: sub.quantity, price: sub.unitPrice.toString(), status: sub.status }).toEqual({
      quantity: 15,
      price: '38',
      status: 'active',
    });
    const kinds = await db.prisma.subscriptionEvent.findMany({
      where: { effectiveDate: '2025-03-01' },
      orderBy: { seq: 'asc' },
    });
    expect(kinds.map((k) => k.kind)).toEqual(['price_changed', 'quantity_changed']);
    const audit = await listAudit(db.prisma, { action: 'subscriptions.events_stored', limit: 1 });
    expect(audit[0]).toMatchObject({
      actorId: 'cli:alice',
      details: { channel: 'import:acme.csv', eventsNew: 4 },
    });
  });

  it('refuses a row that moves a subscription to another customer, naming the owner', async () => {
    const header =
      'customer,customer_external_id,subscription_id,product,sku,billing_cycle,billing_type,old_quantity,new_quantity,date_of_change,old_status,new_status,old_price,new_price,currency';
    await importFile(
      db.prisma,
      'a.csv',
      `${header}\nAcme Corp,tenant-1,sub-7,Office 365 E1,,monthly,quantity,,3,2025-01-01,,active,,10,USD\n`,
      { actor },
    );
    const result = await importFile(
      db.prisma,
      'b.csv',
      `${header}\nContoso Ltd,tenant-3,sub-7,Office 365 E1,,monthly,quantity,3,4,2025-02-01,active,active,10,10,USD\n`,
      { actor },
    );
    expect(result.stored).toBe(false);
    expect(result.refused).toEqual([
      {
        item: 2,
        column: 'customer_external_id',
        reason: 'subscription sub-7 belongs to customer "Acme Corp" (tenant-1), not to "Contoso Ltd"',
      },
    ]);
    expect(await counts()).toEqual({ customers: 1, subscriptions: 1, events: 1 });
  });

  it('refuses a file whose header lacks columns, naming them', async () => {
    const result = await importFile(db.prisma, 'x.csv', 'customer,subscription_id\nAcme,sub-1\n', { actor });
    expect(result.stored).toBe(false);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]!.column).toContain('customer_external_id');
  });
});

describe('import of a JSON file', () => {
  afterEach(wipe);

  const event = (over: Record<string, unknown>) => ({
    customer: { name: 'Northwind Traders', externalId: 'tenant-2' },
    subscription: {
      id: 'sub-9',
      product: 'Office 365 E1',
      billingCycle: 'monthly',
      billingType: 'quantity',
      currency: 'EUR',
    },
    date: '2025-02-01',
    kind: 'created',
    quantityAfter: 5,
    priceAfter: '10.00',
    ...over,
  });

  it('stores events by their source ids once, and names a bad item and field', async () => {
    const good = {
      source: 'c3',
      events: [
        event({ eventId: 'e1' }),
        event({
          eventId: 'e2',
          date: '2025-03-01',
          kind: 'quantity_changed',
          quantityAfter: 7,
          quantityBefore: 5,
          priceAfter: undefined,
        }),
      ],
    };
    const first = await importFile(db.prisma, 'events.json', JSON.stringify(good), { actor });
    expect(first).toMatchObject({ stored: true, eventsNew: 2 });
    const again = await importFile(db.prisma, 'events.json', JSON.stringify(good), { actor });
    expect(again).toMatchObject({ eventsNew: 0, eventsAlreadyStored: 2 });
    const keys = (await db.prisma.subscriptionEvent.findMany({ orderBy: { seq: 'asc' } })).map(
      (e) => e.idempotencyKey,
    );
    expect(keys).toEqual(['src:c3:e1:created', 'src:c3:e2:quantity_changed']);

    const bad = {
      events: [
        event({ date: '2025-04-01', kind: 'price_changed', priceBefore: '10', priceAfter: undefined }),
      ],
    };
    const refused = await importFile(db.prisma, 'bad.json', JSON.stringify(bad), { actor });
    expect(refused.stored).toBe(false);
    expect(refused.refused.map((p) => `${p.item}:${p.column}`)).toEqual(
      expect.arrayContaining(['1:quantityAfter', '1:priceAfter']),
    );
  });
});

describe('import: text, dates and event ids refused as the ingest API refuses them', () => {
  afterEach(wipe);

  const HEADER =
    'customer,customer_external_id,subscription_id,product,sku,billing_cycle,billing_type,old_quantity,new_quantity,date_of_change,old_status,new_status,old_price,new_price,currency,event_id';
  const csvRow = (cells: { customer?: string; sub?: string; qty?: number; date?: string; id?: string }) =>
    [
      cells.customer ?? 'Acme Corp',
      'tenant-1',
      cells.sub ?? 'sub-1',
      'Microsoft 365 E3',
      '',
      'monthly',
      'quantity',
      '',
      String(cells.qty ?? 10),
      cells.date ?? '2026-01-01',
      '',
      'active',
      '',
      '36.00',
      'USD',
      cells.id ?? '',
    ].join(',');
  const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');
  const now = new Date('2026-03-10T08:00:00Z');

  it('refuses a CSV row with a NUL in any cell, naming row and column; nothing stored', async () => {
    const result = await importFile(
      db.prisma,
      'nul.csv',
      csv(
        csvRow({}),
        csvRow({ sub: 'sub-2', customer: 'Evil\u0000Corp' }),
        csvRow({ sub: 'sub-3', id: 'e\u00003' }),
      ),
      { actor },
    );
    expect(result.stored).toBe(false);
    expect(result.refused).toEqual([
      { item: 3, column: 'customer', reason: expect.stringContaining('NUL') },
      { item: 4, column: 'event_id', reason: expect.stringContaining('NUL') },
    ]);
    expect(await counts()).toEqual({ customers: 0, subscriptions: 0, events: 0 });
  });

  it('refuses a JSON item with a lone surrogate, naming item, id and field; nothing stored', async () => {
    const file = JSON.stringify({
      events: [
        {
          eventId: 'e1',
          customer: { name: 'Acme \ud83d', externalId: 'tenant-1' },
          subscription: {
            id: 'sub-1',
            product: 'E3',
            billingCycle: 'monthly',
            billingType: 'quantity',
            currency: 'USD',
          },
          date: '2026-01-01',
          kind: 'created',
          quantityAfter: 1,
          priceAfter: '1',
        },
      ],
    });
    const result = await importFile(db.prisma, 'surrogate.json', file, { actor });
    expect(result.stored).toBe(false);
    expect(result.refused).toEqual([
      { item: 1, id: 'e1', column: 'customer.name', reason: expect.stringContaining('surrogate') },
    ]);
    expect(await counts()).toEqual({ customers: 0, subscriptions: 0, events: 0 });
  });

  it('refuses rows dated later than today plus INGEST_MAX_FUTURE_DAYS', async () => {
    const file = csv(
      csvRow({}),
      csvRow({ sub: 'sub-2', date: '2026-03-14' }),
      csvRow({ sub: 'sub-3', date: '9999-12-31' }),
    );
    const result = await importFile(db.prisma, 'future.csv', file, { actor, now, maxFutureDays: 3 });
    expect(result.stored).toBe(false);
    expect(result.refused.map((p) => `${p.item}:${p.column}`)).toEqual([
      '3:date_of_change',
      '4:date_of_change',
    ]);
    expect(result.refused[0]!.reason).toContain('later than 2026-03-13');
    expect(await counts()).toEqual({ customers: 0, subscriptions: 0, events: 0 });
    // a wider margin takes the near one
    const wider = await importFile(db.prisma, 'future.csv', file, {
      actor,
      now,
      maxFutureDays: 4,
      skipInvalid: true,
    });
    expect(wider).toMatchObject({ stored: true, eventsNew: 2 });
  });

  it('refuses an event id imported before with other values, naming the row; the same values are a repeat', async () => {
    const first = await importFile(db.prisma, 'a.csv', csv(csvRow({ id: 'evt-1' })), { actor });
    expect(first).toMatchObject({ stored: true, eventsNew: 1 });
    const repeat = await importFile(db.prisma, 'a-again.csv', csv(csvRow({ id: 'evt-1' })), { actor });
    expect(repeat).toMatchObject({ stored: true, eventsNew: 0, eventsAlreadyStored: 1 });

    const changed = await importFile(
      db.prisma,
      'b.csv',
      csv(csvRow({ sub: 'sub-2', id: 'evt-2' }), csvRow({ id: 'evt-1', qty: 15 })),
      { actor },
    );
    expect(changed.stored).toBe(false);
    expect(changed.conflicts).toEqual([
      {
        item: 3,
        id: 'evt-1',
        column: 'event_id',
        reason: expect.stringContaining('quantityAfter: stored 10, sent 15'),
      },
    ]);
    expect(changed.refused).toEqual(changed.conflicts);
    expect(await counts()).toEqual({ customers: 1, subscriptions: 1, events: 1 });

    // --skip-invalid stores the other row and still not the conflicting one
    const skipped = await importFile(
      db.prisma,
      'b.csv',
      csv(csvRow({ sub: 'sub-2', id: 'evt-2' }), csvRow({ id: 'evt-1', qty: 15 })),
      { actor, skipInvalid: true },
    );
    expect(skipped).toMatchObject({ stored: true, eventsNew: 1, acceptedItems: 1 });
    const sub = await db.prisma.subscription.findUniqueOrThrow({ where: { id: 'sub-1' } });
    expect(sub.quantity).toBe(10);
  });
});
