// The delivery ledger's two-step claim on real PostgreSQL: begin before the work, finish after it,
// release after a failure, and an abandoned claim taken over once stale.
import { CLAIM_STALE_MS, DeliveryLedger } from '../../../src/chat/deliveryLedger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let ledger: DeliveryLedger;
beforeAll(async () => {
  db = await createTestDatabase();
  ledger = new DeliveryLedger(db.prisma);
});
afterAll(() => db.drop());

const age = (key: string, ms: number) =>
  db.prisma.chatDelivery.update({ where: { key }, data: { receivedAt: new Date(Date.now() - ms) } });

describe('DeliveryLedger', () => {
  it('lets one caller begin a delivery; later copies are refused until it is released', async () => {
    expect(await ledger.begin('d1')).toBe(true);
    expect(await ledger.begin('d1')).toBe(false); // being worked on
    await ledger.release('d1'); // the work failed
    expect(await ledger.begin('d1')).toBe(true); // the redelivery
    await ledger.finish('d1');
    expect((await db.prisma.chatDelivery.findUnique({ where: { key: 'd1' } }))?.handledAt).not.toBeNull();
    expect(await ledger.begin('d1')).toBe(false); // handled
  });

  it('takes over a claim abandoned mid-work once stale, never a handled one', async () => {
    expect(await ledger.begin('abandoned')).toBe(true);
    await age('abandoned', CLAIM_STALE_MS / 2);
    expect(await ledger.begin('abandoned')).toBe(false);
    await age('abandoned', CLAIM_STALE_MS + 60_000);
    expect(await ledger.begin('abandoned')).toBe(true);
    expect(await ledger.begin('abandoned')).toBe(false); // the taker-over holds it now

    expect(await ledger.begin('done')).toBe(true);
    await ledger.finish('done');
    await age('done', CLAIM_STALE_MS + 60_000);
    expect(await ledger.begin('done')).toBe(false);
  });

  it('claim (clicks, decisions) claims and marks handled in one step', async () => {
    expect(await ledger.claim('click')).toBe(true);
    expect(await ledger.claim('click')).toBe(false);
    await age('click', CLAIM_STALE_MS + 60_000);
    expect(await ledger.begin('click')).toBe(false);
  });

  it('answers one winner among concurrent begins of one key', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.begin('raced')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
