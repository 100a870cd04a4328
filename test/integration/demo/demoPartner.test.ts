import { importDemoPartner } from '../../../src/demo/demoPartner.js';
import { DEMO_CUSTOMERS } from '../../../src/demo/demoWorld.js';
import { findHistoryInconsistencies } from '../../../src/subscriptions/subscriptionHistory.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('the demo partner', () => {
  it('imports the 32 demo customers with consistent history, once', async () => {
    const actor = { id: 'system:demo' };
    const first = await importDemoPartner(db.prisma, { endDate: '2026-11-25', actor });
    expect(first).toMatchObject({ stored: true, refused: [], customersCreated: DEMO_CUSTOMERS.length });
    const customers = await db.prisma.customer.findMany({ select: { externalId: true } });
    expect(customers.map((c) => c.externalId).sort()).toEqual(DEMO_CUSTOMERS.map((c) => c.externalId).sort());
    expect(await findHistoryInconsistencies(db.prisma, '2026-11-25')).toEqual([]);

    const again = await importDemoPartner(db.prisma, { endDate: '2026-11-25', actor });
    expect(again).toMatchObject({ eventsNew: 0, customersCreated: 0, subscriptionsCreated: 0 });
  });

  it('finds a stored inconsistency after a change that does not chain', async () => {
    const sub = await db.prisma.subscription.findFirstOrThrow({
      where: { status: 'active' },
      orderBy: { id: 'asc' },
    });
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: sub.id,
        effectiveDate: '2026-11-20',
        kind: 'quantity_changed',
        quantityBefore: sub.quantity + 100,
        quantityAfter: sub.quantity + 101,
        idempotencyKey: 'test:broken-chain',
        source: 'test',
      },
    });
    const findings = await findHistoryInconsistencies(db.prisma, '2026-11-25', [sub.id]);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'HISTORY_INCONSISTENT',
        subscriptionId: sub.id,
        effectiveDate: '2026-11-20',
      }),
    ]);
  });
});
