// The Explain buttons of a run card: one per explain command. Two subscriptions of one product
// and billing cycle (a repeat line) are one `explain <customer> "<product>" <cycle>`, so they get
// one button, not two identical ones.
import { runDetail } from '../../../src/app/runViews.js';
import { subscription, twoSubscriptionsOfOneProduct } from '../../helpers/syncFixtures.js';
import { uploadingRun } from '../../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

it('offers one Explain button for two subscriptions of one product and cycle', async () => {
  const customerId = 'rx-1';
  const first = subscription({ id: 'rx-first', customerId });
  const second = subscription({ id: 'rx-second', customerId });
  await db.prisma.customer.create({ data: { id: customerId, name: 'Repeat Ltd' } });
  for (const s of [first, second])
    await db.prisma.subscription.create({
      data: {
        id: s.id,
        customerId,
        productName: s.productName,
        billingCycle: s.billingCycle,
        billingType: 'quantity',
        status: 'active',
        quantity: s.quantity,
        unitPrice: s.unitPrice,
        currency: 'USD',
      },
    });
  const { runId } = await uploadingRun(db.prisma, {
    customerId,
    subscriptions: [first, second],
    events: twoSubscriptionsOfOneProduct(first.id, second.id),
    existingLines: [],
  });
  // both subscriptions are in the run
  const touched = await db.prisma.syncOperationRecord.findMany({
    where: { runId },
    distinct: ['subscriptionId'],
    select: { subscriptionId: true },
  });
  expect(touched.map((t) => t.subscriptionId).sort()).toEqual(['rx-first', 'rx-second']);
  const detail = await runDetail(db.prisma, runId);
  expect(detail?.explainable).toEqual([
    { customerName: 'Repeat Ltd', productName: first.productName, billingCycle: first.billingCycle },
  ]);
});
