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
  it('accepts events with the key, refuses without, and the CLI lists the new customer', async () => {
    const port = await freePort();
    const bot = startCli(['serve'], {
      DATABASE_URL: db.url,
      PORT: String(port),
      INGEST_API_KEY: KEY,
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
      expect(bot.output()).not.toContain(KEY);
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });
});
