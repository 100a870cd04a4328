// The ingest API on the real bot process (`autotask-bot serve`), and the CLI reading what it
// stored: proves the wiring in src/main.ts and the key from the environment.
import { freePort } from '../../src/db/embeddedPostgres.js';
import { runCliToEnd, startCli, waitFor } from '../helpers/cliProcess.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const KEY = 'e2e-ingest-key-0123456789';
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('autotask-bot serve with INGEST_API_KEY', () => {
  it('accepts events with the key, refuses without, the CLI lists the new customer, and the limits come from the environment', async () => {
    const port = await freePort();
    const bot = startCli(['serve'], {
      DATABASE_URL: db.url,
      PORT: String(port),
      INGEST_API_KEY: KEY,
      INGEST_MAX_FUTURE_DAYS: '0',
      INGEST_MASS_CANCEL_SHARE: '0.5',
      AUTOTASK_MODE: 'sandbox',
    });
    try {
      await waitFor(
        async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined),
        30_000,
        '/healthz',
      );
      const body = JSON.stringify({
        events: [
          {
            customer: { name: 'Tailspin Toys', externalId: '00000000-0000-4000-8000-000000000006' },
            subscription: {
              id: 'e2e-sub',
              product: 'Power BI Pro',
              billingCycle: 'annual',
              billingType: 'quantity',
              currency: 'USD',
            },
            date: '2025-04-01',
            kind: 'created',
            quantityAfter: 4,
            priceAfter: '159.60',
          },
        ],
      });
      const url = `http://127.0.0.1:${port}/api/ingest/events`;
      const refused = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(refused.status).toBe(401);
      const accepted = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({ stored: 1, customersCreated: 1 });

      const listed = await runCliToEnd(['customers', 'tailspin'], { DATABASE_URL: db.url });
      expect(listed.code).toBe(0);
      expect(listed.output).toMatch(/Tailspin Toys\s+00000000-0000-4000-8000-000000000006\s+1\/1/);

      // the limits come from the environment: INGEST_MAX_FUTURE_DAYS=0 refuses a date two days ahead (the
      // default, 3 days, would take it)…
      const post = (path: string, payload: unknown) =>
        fetch(`http://127.0.0.1:${port}${path}`, {
          method: 'POST',
          body: JSON.stringify(payload),
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        });
      const event = (id: string, date: string) => ({
        customer: { name: 'Fabrikam Inc', externalId: 'tenant-fabrikam' },
        subscription: {
          id,
          product: 'Visio Plan 2',
          billingCycle: 'monthly',
          billingType: 'quantity',
          currency: 'USD',
        },
        date,
        kind: 'created',
        quantityAfter: 1,
        priceAfter: '15.00',
      });
      const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const today = new Date().toISOString().slice(0, 10);
      const future = await post('/api/ingest/events', { events: [event('e2e-future', inTwoDays)] });
      expect(future.status).toBe(400);
      expect(await future.json()).toMatchObject({
        code: 'INVALID_ITEMS',
        items: [{ item: 1, field: 'date' }],
      });

      // …and INGEST_MASS_CANCEL_SHARE=0.5 lets a snapshot cancel one of three (the default 20 %
      // would not), but not all three
      const two = await post('/api/ingest/events', {
        events: [event('e2e-f1', '2025-05-01'), event('e2e-f2', '2025-05-01')],
      });
      expect(two.status).toBe(200);
      const snapshotOf = (ids: string[]) => ({
        date: today,
        subscriptions: ids.map((id) => ({
          id,
          customer: { name: 'Fabrikam Inc', externalId: 'tenant-fabrikam' },
          product: 'Visio Plan 2',
          billingCycle: 'monthly',
          billingType: 'quantity',
          status: 'active',
          quantity: 1,
          unitPrice: '15.00',
          currency: 'USD',
        })),
      });
      const empty = await post('/api/ingest/snapshot', snapshotOf([]));
      expect(empty.status).toBe(409);
      expect(await empty.json()).toMatchObject({ code: 'SNAPSHOT_MASS_CANCEL', cancelling: 3, live: 3 });
      const oneOfThree = await post('/api/ingest/snapshot', snapshotOf(['e2e-f1', 'e2e-f2']));
      expect(oneOfThree.status).toBe(200);
      expect(await oneOfThree.json()).toMatchObject({ cancelled: 1 });
      expect(bot.output()).not.toContain(KEY);
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });
});
