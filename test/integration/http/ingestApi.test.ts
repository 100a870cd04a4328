// The ingest API over real HTTP on the shared express app, against a real PostgreSQL.
import pino from 'pino';
import { listAudit } from '../../../src/audit/auditLog.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../../src/http/httpServer.js';
import { mountIngestRoutes } from '../../../src/http/ingestRoutes.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const KEY = 'ingest-key-0123456789abcdef';
const logger = pino({ level: 'silent' });
let db: TestDatabase;
let server: HttpServerHandle;
let disabled: HttpServerHandle;

beforeAll(async () => {
  db = await createTestDatabase();
  const app = createHttpApp({ logger, health: [] });
  mountIngestRoutes(app, { prisma: db.prisma, logger, apiKey: KEY });
  finishHttpApp(app, logger);
  server = await listen(app, 0, '127.0.0.1');
  const off = createHttpApp({ logger, health: [] });
  mountIngestRoutes(off, { prisma: db.prisma, logger, apiKey: undefined });
  finishHttpApp(off, logger);
  disabled = await listen(off, 0, '127.0.0.1');
});
afterAll(async () => {
  await server.close(100);
  await disabled.close(100);
  await db.drop();
});

function post(path: string, body: string, headers: Record<string, string> = {}, base = server.url) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
  });
}

async function stored() {
  const [customers, subscriptions, events, snapshots] = await Promise.all([
    db.prisma.customer.count(),
    db.prisma.subscription.count(),
    db.prisma.subscriptionEvent.count(),
    db.prisma.subscriptionSnapshot.count(),
  ]);
  return { customers, subscriptions, events, snapshots };
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
  date: '2025-01-01',
  kind: 'created',
  quantityAfter: 10,
  priceAfter: '36.00',
  ...over,
});

describe('POST /api/ingest/events: refusals store nothing', () => {
  const valid = JSON.stringify({ source: 'c3', events: [created('sub-a')] });

  it('is off with a 404 saying how to enable it when INGEST_API_KEY is unset', async () => {
    const res = await post('/api/ingest/events', valid, {}, disabled.url);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: 'INGEST_DISABLED',
      message: expect.stringContaining('INGEST_API_KEY'),
    });
    expect(await stored()).toMatchObject({ events: 0 });
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong key', `Bearer ${KEY}x`],
    ['a key of another length', 'Bearer short'],
    ['another scheme', `Basic ${KEY}`],
  ])('answers 401 to %s', async (_name, authorization) => {
    const res = await fetch(`${server.url}/api/ingest/events`, {
      method: 'POST',
      body: valid,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    expect(await stored()).toMatchObject({ customers: 0, events: 0 });
  });

  it('answers 413 to a 2 MB body', async () => {
    const big = JSON.stringify({ events: [created('sub-a', { pad: 'x'.repeat(2 * 1024 * 1024) })] });
    const res = await post('/api/ingest/events', big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
    expect(await stored()).toMatchObject({ events: 0 });
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await post('/api/ingest/events', '{"events": [ {"kind": "created", ');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ error: 'MALFORMED_JSON' });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/); // no stack trace
    expect(await stored()).toMatchObject({ events: 0 });
  });

  it('answers 400 naming the invalid item and field, and stores none of the valid ones', async () => {
    const body = JSON.stringify({
      events: [
        created('sub-a'),
        created('sub-b', { quantityAfter: -3 }),
        created('sub-c', { date: '2025-13-01' }),
      ],
    });
    const res = await post('/api/ingest/events', body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; items: { item: number; field: string }[] };
    expect(answer.error).toBe('INVALID_ITEMS');
    expect(answer.items.map((i) => `${i.item}:${i.field}`)).toEqual(['2:quantityAfter', '3:date']);
    expect(await stored()).toMatchObject({ customers: 0, subscriptions: 0, events: 0 });
  });

  it('answers 400 to a body that is not an event batch', async () => {
    const res = await post('/api/ingest/events', JSON.stringify({ hello: 'world' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'INVALID_ITEMS', items: [{ field: 'events' }] });
  });
});

describe('POST /api/ingest/events: storing', () => {
  it('stores a batch once: the same batch again stores nothing', async () => {
    const body = JSON.stringify({
      source: 'c3',
      events: [
        created('sub-1'),
        {
          ...created('sub-1'),
          eventId: 'sub-1-q',
          kind: 'quantity_changed',
          date: '2025-02-01',
          quantityBefore: 10,
          quantityAfter: 12,
          priceAfter: undefined,
        },
      ],
    });
    const first = await post('/api/ingest/events', body);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      events: 2,
      stored: 2,
      alreadyStored: 0,
      subscriptionsCreated: 1,
    });
    const again = await post('/api/ingest/events', body);
    expect(await again.json()).toMatchObject({ stored: 0, alreadyStored: 2 });
    const sub = await db.prisma.subscription.findUniqueOrThrow({ where: { id: 'sub-1' } });
    expect(sub.quantity).toBe(12);
    const audit = await listAudit(db.prisma, { action: 'subscriptions.events_stored' });
    expect(audit).toHaveLength(1); // the second, empty, delivery changed nothing
    expect(audit[0]).toMatchObject({
      actorId: 'system:ingest',
      details: { channel: 'ingest', eventsNew: 2 },
    });
    expect(JSON.stringify(audit)).not.toContain(KEY);
  });
});

describe('POST /api/ingest/snapshot', () => {
  const sub = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    customer: { name: 'Northwind Traders', externalId: 'tenant-2' },
    product: 'Microsoft 365 Business Premium',
    billingCycle: 'monthly',
    billingType: 'quantity',
    status: 'active',
    quantity: 5,
    unitPrice: '22.00',
    currency: 'USD',
    ...over,
  });

  it('turns snapshots into events, idempotently, and refuses one out of date order', async () => {
    const before = await stored();
    const first = await post(
      '/api/ingest/snapshot',
      JSON.stringify({
        date: '2025-06-01',
        subscriptions: [
          sub('snap-1'),
          sub('snap-2'),
          sub('sub-1', {
            customer: { name: 'Acme Corp', externalId: 'tenant-1' },
            product: 'Microsoft 365 E3',
            quantity: 12,
            unitPrice: '36',
          }),
        ],
      }),
    );
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ stored: 2, subscriptionsCreated: 2 });

    const same = await post(
      '/api/ingest/snapshot',
      JSON.stringify({
        date: '2025-06-01',
        subscriptions: [
          sub('snap-1'),
          sub('snap-2'),
          sub('sub-1', {
            customer: { name: 'Acme Corp', externalId: 'tenant-1' },
            product: 'Microsoft 365 E3',
            quantity: 12,
            unitPrice: '36',
          }),
        ],
      }),
    );
    expect(await same.json()).toMatchObject({ stored: 0 });

    // a month later: snap-1 grew and got dearer, snap-2 is gone, sub-1 was suspended (one of
    // three cancelled is over the 20 % mass-cancel limit: the sender confirms it)
    const next = await post(
      '/api/ingest/snapshot',
      JSON.stringify({
        date: '2025-07-01',
        allowMassCancel: true,
        subscriptions: [
          sub('snap-1', { quantity: 8, unitPrice: '23.10' }),
          sub('sub-1', {
            customer: { name: 'Acme Corp', externalId: 'tenant-1' },
            product: 'Microsoft 365 E3',
            quantity: 12,
            unitPrice: '36',
            status: 'suspended',
          }),
        ],
      }),
    );
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ stored: 4, cancelled: 1 });
    const july = await db.prisma.subscriptionEvent.findMany({
      where: { effectiveDate: '2025-07-01' },
      orderBy: { seq: 'asc' },
    });
    expect(july.map((e) => `${e.subscriptionId}:${e.kind}`).sort()).toEqual(
      ['snap-1:price_changed', 'snap-1:quantity_changed', 'snap-2:cancelled', 'sub-1:suspended'].sort(),
    );
    expect(await stored()).toMatchObject({ events: before.events + 6, snapshots: before.snapshots + 3 });

    const late = await post(
      '/api/ingest/snapshot',
      JSON.stringify({ date: '2025-06-15', subscriptions: [] }),
    );
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: 'SNAPSHOT_OUT_OF_ORDER' });
  });

  it('answers 400 naming the invalid subscription and stores nothing', async () => {
    const before = await stored();
    const res = await post(
      '/api/ingest/snapshot',
      JSON.stringify({
        date: '2025-08-01',
        subscriptions: [sub('snap-9'), sub('snap-10', { status: 'gone' })],
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'INVALID_ITEMS', items: [{ item: 2, field: 'status' }] });
    expect(await stored()).toEqual(before);
  });
});

describe('POST /api/ingest/events: concurrency', () => {
  it('stores one copy when the same new batch arrives five times at once', async () => {
    const before = await stored();
    const body = JSON.stringify({
      source: 'pax8',
      events: [
        created('sub-race', {
          customer: { name: 'Race Customer', externalId: 'tenant-race' },
          eventId: undefined,
        }),
      ],
    });
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/api/ingest/events', body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const results = (await Promise.all(answers.map((a) => a.json()))) as { stored: number }[];
    expect(results.map((r) => r.stored).sort()).toEqual([0, 0, 0, 0, 1]);
    expect(await stored()).toMatchObject({
      customers: before.customers + 1,
      subscriptions: before.subscriptions + 1,
      events: before.events + 1,
    });
  });
});
