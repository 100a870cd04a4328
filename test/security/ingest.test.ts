// Probes of the ingest API at the wire, as a careless integrator or a hostile sender would send
// them: real HTTP on the shared express app, a real PostgreSQL. Each probe asserts the status,
// the coded problem ({ code, message, hint }) and that nothing of the request was stored.
import pino from 'pino';
import { listAudit } from '../../src/audit/auditLog.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../src/http/httpServer.js';
import { mountIngestRoutes } from '../../src/http/ingestRoutes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const KEY = 'ingest-probe-key-0123456789';
const logger = pino({ level: 'silent' });
/** the probes' "today": dates are judged against it, not against the machine's clock */
const TODAY = new Date('2026-03-10T12:00:00Z');

interface Ingest {
  db: TestDatabase;
  server: HttpServerHandle;
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  stored(): Promise<{
    customers: number;
    subscriptions: number;
    events: number;
    snapshots: number;
    cancelled: number;
  }>;
  stop(): Promise<void>;
}

async function startIngest(): Promise<Ingest> {
  const db = await createTestDatabase();
  const app = createHttpApp({ logger, health: [] });
  mountIngestRoutes(app, {
    prisma: db.prisma,
    logger,
    apiKey: KEY,
    limits: { maxFutureDays: 3, massCancelShare: 0.2 },
    now: () => TODAY,
  });
  finishHttpApp(app, logger);
  const server = await listen(app, 0, '127.0.0.1');
  return {
    db,
    server,
    async post(path, body) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async stored() {
      const [customers, subscriptions, events, snapshots, cancelled] = await Promise.all([
        db.prisma.customer.count(),
        db.prisma.subscription.count(),
        db.prisma.subscriptionEvent.count(),
        db.prisma.subscriptionSnapshot.count(),
        db.prisma.subscription.count({ where: { status: 'cancelled' } }),
      ]);
      return { customers, subscriptions, events, snapshots, cancelled };
    },
    async stop() {
      await server.close(100);
      await db.drop();
    },
  };
}

const created = (id: string, over: Record<string, unknown> = {}) => ({
  eventId: `${id}-created`,
  customer: { name: 'Acme Corp', externalId: 'tenant-1' },
  subscription: {
    id,
    product: 'Microsoft 365 E3',
    billingCycle: 'monthly',
    billingType: 'quantity',
    currency: 'USD',
  },
  date: '2026-01-01',
  kind: 'created',
  quantityAfter: 10,
  priceAfter: '36.00',
  ...over,
});

const inSnapshot = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  customer: { name: 'Acme Corp', externalId: 'tenant-1' },
  product: 'Microsoft 365 E3',
  billingCycle: 'monthly',
  billingType: 'quantity',
  status: 'active',
  quantity: 10,
  unitPrice: '36',
  currency: 'USD',
  ...over,
});

/** A coded problem in the ingest API's shape: error = code, plus message and hint. */
function expectProblem(body: Record<string, unknown>, code: string) {
  expect(body).toMatchObject({
    error: code,
    code,
    message: expect.any(String),
    hint: expect.any(String),
  });
}

describe('probe: text the database cannot store', () => {
  let ingest: Ingest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(() => ingest.stop());

  it.each([
    [
      'a NUL in the customer name',
      { customer: { name: 'Acme\u0000Corp', externalId: 'tenant-1' } },
      'customer.name',
    ],
    ['a NUL in the event id', { eventId: 'evt\u0000-1' }, 'eventId'],
    [
      'a lone surrogate in the product',
      {
        subscription: {
          id: 'sub-1',
          product: 'Office \ud800',
          billingCycle: 'monthly',
          billingType: 'quantity',
          currency: 'USD',
        },
      },
      'subscription.product',
    ],
    [
      'a lone low surrogate in the external id',
      { customer: { name: 'Acme', externalId: '\udc00x' } },
      'customer.externalId',
    ],
    ['a NUL in a field name', { 'kind\u0000': 'x' }, '(field name)'],
  ])('%s: 400 INVALID_ITEMS naming the item and field, nothing stored', async (_name, over, field) => {
    // JSON.stringify writes a lone surrogate as its \ud800 escape: the body itself is valid UTF-8
    const res = await ingest.post('/api/ingest/events', {
      events: [created('sub-0'), created('sub-1', over)],
    });
    expect(res.status).toBe(400);
    expectProblem(res.body, 'INVALID_ITEMS');
    expect(res.body.items).toEqual([
      expect.objectContaining({ item: 2, field, message: expect.stringMatching(/NUL|surrogate/) }),
    ]);
    expect(await ingest.stored()).toMatchObject({ customers: 0, subscriptions: 0, events: 0 });
  });

  it('names the item by its id when it has a readable one', async () => {
    const res = await ingest.post('/api/ingest/events', {
      events: [created('sub-1', { customer: { name: 'A\u0000', externalId: 't' } })],
    });
    expect(res.body.items).toEqual([
      expect.objectContaining({ item: 1, id: 'sub-1-created', field: 'customer.name' }),
    ]);
  });

  it('a NUL in a snapshot subscription: 400 naming it, nothing stored', async () => {
    const res = await ingest.post('/api/ingest/snapshot', {
      date: '2026-03-01',
      subscriptions: [inSnapshot('snap-1'), inSnapshot('snap-2', { product: 'E3\u0000' })],
    });
    expect(res.status).toBe(400);
    expectProblem(res.body, 'INVALID_ITEMS');
    expect(res.body.items).toEqual([expect.objectContaining({ item: 2, id: 'snap-2', field: 'product' })]);
    expect(await ingest.stored()).toMatchObject({ subscriptions: 0, events: 0, snapshots: 0 });
  });
});

describe('probe: dates in the future', () => {
  let ingest: Ingest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(() => ingest.stop());

  it('an event dated 9999-12-31: 400 naming the date, nothing stored', async () => {
    const res = await ingest.post('/api/ingest/events', {
      events: [created('sub-1', { date: '9999-12-31' })],
    });
    expect(res.status).toBe(400);
    expectProblem(res.body, 'INVALID_ITEMS');
    expect(res.body.items).toEqual([
      expect.objectContaining({ item: 1, field: 'date', message: expect.stringContaining('2026-03-13') }),
    ]);
    expect(await ingest.stored()).toMatchObject({ customers: 0, events: 0 });
  });

  it('today plus the margin is accepted, one day more is not', async () => {
    const late = await ingest.post('/api/ingest/events', {
      events: [created('sub-1', { date: '2026-03-14' })],
    });
    expect(late.status).toBe(400);
    expect(await ingest.stored()).toMatchObject({ events: 0 });
    const due = await ingest.post('/api/ingest/events', {
      events: [created('sub-1', { date: '2026-03-13' })],
    });
    expect(due.status).toBe(200);
    expect(await ingest.stored()).toMatchObject({ events: 1 });
  });

  it('a snapshot dated 9999-12-31: 400, nothing stored, and the next real snapshot still applies', async () => {
    const before = await ingest.stored();
    const far = await ingest.post('/api/ingest/snapshot', {
      date: '9999-12-31',
      subscriptions: [inSnapshot('sub-1'), inSnapshot('snap-new')],
    });
    expect(far.status).toBe(400);
    expectProblem(far.body, 'INVALID_ITEMS');
    expect(far.body.items).toEqual([expect.objectContaining({ item: 0, field: 'date' })]);
    expect(await ingest.stored()).toEqual(before);

    const real = await ingest.post('/api/ingest/snapshot', {
      date: '2026-03-13',
      subscriptions: [inSnapshot('sub-1'), inSnapshot('snap-new')],
    });
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ stored: 1, subscriptionsCreated: 1 });
  });
});

describe('probe: snapshots that would cancel the partner', () => {
  let ingest: Ingest;
  const ids = Array.from({ length: 10 }, (_, i) => `live-${i + 1}`);
  beforeAll(async () => {
    ingest = await startIngest();
    const res = await ingest.post('/api/ingest/events', { events: ids.map((id) => created(id)) });
    expect(res.status).toBe(200);
  });
  afterAll(() => ingest.stop());

  it('an empty snapshot: 409 SNAPSHOT_MASS_CANCEL naming the count, nothing stored', async () => {
    const before = await ingest.stored();
    const res = await ingest.post('/api/ingest/snapshot', { date: '2026-03-01', subscriptions: [] });
    expect(res.status).toBe(409);
    expectProblem(res.body, 'SNAPSHOT_MASS_CANCEL');
    expect(res.body).toMatchObject({ cancelling: 10, live: 10, share: 1, limit: 0.2 });
    expect(res.body.message).toMatch(/cancel 10 of 10 .*100 %.*20 %/);
    expect(res.body.hint).toContain('allowMassCancel');
    expect(await ingest.stored()).toEqual(before);
    expect(before.cancelled).toBe(0);
  });

  it('a snapshot cancelling 90 %: 409 naming 9, nothing stored, the refusal audited', async () => {
    const before = await ingest.stored();
    const res = await ingest.post('/api/ingest/snapshot', {
      date: '2026-03-01',
      subscriptions: [inSnapshot(ids[0]!)],
    });
    expect(res.status).toBe(409);
    expectProblem(res.body, 'SNAPSHOT_MASS_CANCEL');
    expect(res.body).toMatchObject({ cancelling: 9, live: 10, share: 0.9 });
    expect(await ingest.stored()).toEqual(before);
    const refusals = await listAudit(ingest.db.prisma, { action: 'subscriptions.snapshot_refused' });
    expect(refusals[0]).toMatchObject({ outcome: 'denied', details: { cancelling: 9, live: 10 } });
  });

  it('listing every subscription as cancelled counts the same as leaving them out', async () => {
    const before = await ingest.stored();
    const res = await ingest.post('/api/ingest/snapshot', {
      date: '2026-03-01',
      subscriptions: ids.map((id, i) => inSnapshot(id, i < 5 ? { status: 'cancelled' } : {})),
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'SNAPSHOT_MASS_CANCEL', cancelling: 5 });
    expect(await ingest.stored()).toEqual(before);
  });

  it('"allowMassCancel": false or a string does not confirm it', async () => {
    const no = await ingest.post('/api/ingest/snapshot', {
      date: '2026-03-01',
      subscriptions: [inSnapshot(ids[0]!)],
      allowMassCancel: false,
    });
    expect(no.status).toBe(409);
    const text = await ingest.post('/api/ingest/snapshot', {
      date: '2026-03-01',
      subscriptions: [inSnapshot(ids[0]!)],
      allowMassCancel: 'true',
    });
    expect(text.status).toBe(400);
    expect(text.body.items).toEqual([expect.objectContaining({ item: 0, field: 'allowMassCancel' })]);
  });

  it('with "allowMassCancel": true the 90 % cancellation is applied and audited with its count', async () => {
    const before = await ingest.stored();
    const res = await ingest.post('/api/ingest/snapshot', {
      date: '2026-03-01',
      subscriptions: [inSnapshot(ids[0]!)],
      allowMassCancel: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cancelled: 9, stored: 9 });
    expect(await ingest.stored()).toMatchObject({ cancelled: 9, snapshots: before.snapshots + 1 });
    const applied = await listAudit(ingest.db.prisma, { action: 'subscriptions.snapshot_applied' });
    expect(applied[0]).toMatchObject({
      details: { cancelled: 9, live: 10, massCancelAllowed: true, share: 0.9, limit: 0.2 },
    });
  });
});

describe('probe: an event id sent again', () => {
  let ingest: Ingest;
  const quantityChanged = (over: Record<string, unknown> = {}) => ({
    ...created('sub-1'),
    eventId: 'evt-q-1',
    kind: 'quantity_changed',
    date: '2026-02-01',
    quantityBefore: 10,
    quantityAfter: 12,
    priceAfter: undefined,
    ...over,
  });
  beforeAll(async () => {
    ingest = await startIngest();
    const res = await ingest.post('/api/ingest/events', {
      source: 'c3',
      events: [created('sub-1'), quantityChanged()],
    });
    expect(res.body).toMatchObject({ stored: 2 });
  });
  afterAll(() => ingest.stop());

  it('with the same content: 200, already stored (amounts compared as numbers)', async () => {
    const res = await ingest.post('/api/ingest/events', {
      source: 'c3',
      events: [created('sub-1', { priceAfter: 36 }), quantityChanged()],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stored: 0, alreadyStored: 2 });
  });

  it('with other content: 409 EVENT_ID_CONFLICT listing the ids, nothing of the batch stored', async () => {
    const before = await ingest.stored();
    const res = await ingest.post('/api/ingest/events', {
      source: 'c3',
      events: [
        created('sub-2'), // new and valid: not stored either
        quantityChanged({ quantityAfter: 15 }),
        created('sub-1', { priceAfter: '40.00' }),
      ],
    });
    expect(res.status).toBe(409);
    expectProblem(res.body, 'EVENT_ID_CONFLICT');
    expect(res.body.ids).toEqual(['evt-q-1', 'sub-1-created']);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        item: 2,
        id: 'evt-q-1',
        field: 'eventId',
        message: expect.stringContaining('quantityAfter: stored 12, sent 15'),
      }),
      expect.objectContaining({
        item: 3,
        id: 'sub-1-created',
        field: 'eventId',
        message: expect.stringContaining('priceAfter: stored 36, sent 40'),
      }),
    ]);
    expect(await ingest.stored()).toEqual(before);
    const sub = await ingest.db.prisma.subscription.findUniqueOrThrow({ where: { id: 'sub-1' } });
    expect(sub.quantity).toBe(12);
  });

  it('twice in one batch with other content: 409, nothing stored', async () => {
    const before = await ingest.stored();
    const res = await ingest.post('/api/ingest/events', {
      source: 'c3',
      events: [created('sub-3'), created('sub-3', { quantityAfter: 11 })],
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'EVENT_ID_CONFLICT', ids: ['sub-3-created'] });
    expect(await ingest.stored()).toEqual(before);
  });

  it('the same id from another source is another event', async () => {
    const res = await ingest.post('/api/ingest/events', {
      source: 'pax8',
      events: [created('sub-1'), quantityChanged({ quantityAfter: 15 })],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stored: 2 });
  });
});

describe('probe: nothing answers 5xx', () => {
  let ingest: Ingest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(() => ingest.stop());

  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  it.each([
    ['a body nested 50,000 deep', `{"events":[${deep(50_000)}]}`],
    ['a snapshot nested 50,000 deep', `{"date":"2026-03-01","subscriptions":[${deep(50_000)}]}`],
    ['null', 'null'],
    ['a number', '42'],
    ['a string with NUL', '"\\u0000"'],
    ['events that are strings with surrogates', '{"events":["\\ud800","\\udfff\\u0000"]}'],
    ['a snapshot with a NUL date', '{"date":"2026-03-01\\u0000","subscriptions":[]}'],
    ['a snapshot with a NUL source', '{"date":"2026-03-01","source":"a\\u0000","subscriptions":[]}'],
  ])('%s: a 4xx coded problem', async (_name, body) => {
    for (const path of ['/api/ingest/events', '/api/ingest/snapshot']) {
      const res = await ingest.post(path, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ code: expect.any(String), hint: expect.any(String) });
    }
    expect(await ingest.stored()).toMatchObject({ customers: 0, events: 0, snapshots: 0 });
  });
});
