// A customer's subscription history stored in the bot's database and uploaded to the sandbox by
// the real executor: the state the after-the-upload features (reconcile, the drift watch) start
// from. The sandbox is reset first; the caller maps the customer (TARGETS) in its planning.
import { Decimal } from 'decimal.js';
import type { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import type { PrismaClient } from '../../src/db/prismaClient.js';
import type { RunningSandbox } from '../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../src/sync/executeUpload.js';
import type { SubscriptionEventInput, SubscriptionInput } from '../../src/sync/syncInputs.js';
import { subscription } from './syncFixtures.js';
import { APPROVER, RUN_CLOCK, uploadingRun } from './syncRuns.js';

let eventSeq = 0;

export async function addEvents(
  prisma: PrismaClient,
  subscriptionId: string,
  events: readonly SubscriptionEventInput[],
): Promise<void> {
  for (const e of events)
    await prisma.subscriptionEvent.create({
      data: {
        subscriptionId,
        effectiveDate: e.effectiveDate,
        kind: e.kind,
        quantityBefore: e.quantityBefore ?? null,
        quantityAfter: e.quantityAfter ?? null,
        priceBefore: e.priceBefore ?? null,
        priceAfter: e.priceAfter ?? null,
        billingCycleAfter: e.billingCycleAfter ?? null,
        idempotencyKey: `${subscriptionId}:${++eventSeq}:${Date.now()}`,
        source: 'test',
      },
    });
}

async function store(
  prisma: PrismaClient,
  customerId: string,
  sub: SubscriptionInput,
  events: SubscriptionEventInput[],
) {
  await prisma.customer.create({ data: { id: customerId, name: `Customer ${customerId}` } });
  await prisma.subscription.create({
    data: {
      id: sub.id,
      customerId,
      productName: sub.productName,
      billingCycle: sub.billingCycle,
      billingType: 'quantity',
      status: 'active',
      quantity: sub.quantity,
      unitPrice: sub.unitPrice,
      currency: 'USD',
    },
  });
  await addEvents(prisma, sub.id, events);
}

/** A fresh sandbox; the customer stored and its history uploaded (succeeded) by the real executor. */
export async function uploadedHistory(
  ctx: { prisma: PrismaClient; sandbox: RunningSandbox; client: AutotaskClient },
  customerId: string,
  events: readonly SubscriptionEventInput[],
  price = '22',
): Promise<SubscriptionInput> {
  ctx.sandbox.controls.reset();
  const sub = subscription({ id: `${customerId}-sub`, customerId, unitPrice: new Decimal(price) });
  const history = events.map((e) => ({ ...e, subscriptionId: sub.id }));
  await store(ctx.prisma, customerId, sub, history);
  const { runId } = await uploadingRun(ctx.prisma, {
    customerId,
    subscriptions: [sub],
    events: history,
    existingLines: [],
  });
  const report = await executeUpload(
    { prisma: ctx.prisma, gateway: clientAutotaskGateway(ctx.client), actor: APPROVER, now: () => RUN_CLOCK },
    runId,
  );
  if (!report.ok || report.outcome !== 'succeeded')
    throw new Error(`the upload of ${customerId} did not succeed: ${JSON.stringify(report)}`);
  return sub;
}
