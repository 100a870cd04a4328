// `explain` after a real upload to the sandbox over HTTP: the chart's data against the history
// stored in PostgreSQL, the units Autotask answers, and the ledger — not its pixels.
import { Decimal } from 'decimal.js';
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../../src/sync/executeUpload.js';
import type { SubscriptionEventInput, SubscriptionInput } from '../../../src/sync/syncInputs.js';
import { explainSubscription } from '../../../src/useCases/explainSubscription.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { lineChangePoints } from '../../helpers/sandboxTimeline.js';
import { created, event, quantity, subscription } from '../../helpers/syncFixtures.js';
import { APPROVER, RUN_CLOCK, uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox);
});
afterAll(async () => {
  await sandbox.stop();
  await db.drop();
});

/** Stores the customer, subscription and events as an import would, then uploads them. */
async function storedAndUploaded(
  customerId: string,
  sub: SubscriptionInput,
  events: SubscriptionEventInput[],
) {
  sandbox.controls.reset();
  await db.prisma.customer.create({ data: { id: customerId, name: `Customer ${customerId}` } });
  await db.prisma.subscription.create({
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
      origin: 'pax8',
    },
  });
  for (const [i, e] of events.entries())
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: sub.id,
        effectiveDate: e.effectiveDate,
        kind: e.kind,
        quantityBefore: e.quantityBefore ?? null,
        quantityAfter: e.quantityAfter ?? null,
        priceBefore: e.priceBefore ?? null,
        priceAfter: e.priceAfter ?? null,
        billingCycleAfter: e.billingCycleAfter ?? null,
        idempotencyKey: `${sub.id}:${i}`,
        source: 'test',
      },
    });
  const { runId } = await uploadingRun(db.prisma, {
    customerId,
    subscriptions: [sub],
    events,
    existingLines: [],
  });
  const report = await executeUpload(
    { prisma: db.prisma, gateway: clientAutotaskGateway(client), actor: APPROVER, now: () => RUN_CLOCK },
    runId,
  );
  expect(report).toMatchObject({ ok: true, outcome: 'succeeded' });
  return runId;
}

const now = () => new Date('2026-04-20T10:00:00Z');

describe('explain after an upload', () => {
  it('charts the history, the units Autotask answers and one marker per uploaded date', async () => {
    const sub = subscription({ id: 'ex-1', customerId: 'ex-cust-1' });
    const history = [
      created('2026-01-05', 5, sub.id),
      quantity('2026-02-14', 5, 0, sub.id),
      quantity('2026-03-01', 0, 7, sub.id),
    ];
    const runId = await storedAndUploaded('ex-cust-1', sub, history);

    const outcome = await explainSubscription(
      { prisma: db.prisma, client, now },
      { customerId: 'ex-cust-1', product: 'microsoft 365 business premium', billingCycle: 'monthly' },
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const { chart, changes } = outcome.view.story;

    // the source series is the history's units, date for date
    const source = chart.series.find((s) => s.kind === 'source')!;
    expect(source.label).toBe('Subscription (Pax8)');
    expect(source.points).toEqual(history.map((e) => ({ date: e.effectiveDate, units: e.quantityAfter })));

    // one Autotask line, whose steps are what the sandbox's units timeline says
    const lines = chart.series.filter((s) => s.kind === 'autotask');
    expect(lines).toHaveLength(1);
    const sandboxSteps = Object.values(await lineChangePoints(db.prisma, client, 'ex-cust-1'));
    expect(sandboxSteps).toHaveLength(1);
    expect(lines[0]!.points.map((p) => `${p.date} ${p.units}`)).toEqual(
      sandboxSteps[0]!.filter((p) => p.slice(0, 10) <= chart.to),
    );
    expect(lines[0]!.points.slice(0, 3)).toEqual(source.points);

    // an upload marker per dated adjustment, naming the run
    expect(chart.markers.filter((m) => m.kind === 'upload').map((m) => [m.date, m.label])).toEqual([
      ['2026-01-05', `+5 (${runId})`],
      ['2026-02-14', `-5 (${runId})`],
      ['2026-03-01', `+7 (${runId})`],
    ]);
    expect(chart.from).toBe('2026-01-05');
    expect(chart.to).toBe('2026-04-27');

    // the words: each change, the operation that encoded it, sent, approved by the approver
    expect(changes.map((c) => c.date)).toEqual(['2026-01-05', '2026-02-14', '2026-03-01']);
    const feb = changes[1]!;
    expect(feb.what).toBe('quantity changed to 0');
    const adjust = feb.operations.find((o) => o.what.startsWith('-5'))!;
    expect(adjust).toMatchObject({ runId, status: 'done', approvedBy: APPROVER.id });
    expect(adjust.sentAt).toBeInstanceOf(Date);
    // linked to the audit records: the approval and the operation's own record
    const audit = await db.prisma.auditRecord.findMany({ where: { runId } });
    const approval = audit.find((a) => a.action === 'upload.approved')!;
    expect(adjust.auditIds).toContain(approval.id.toString());
    expect(adjust.auditIds.length).toBeGreaterThanOrEqual(2);
    expect(outcome.view.autotaskProblem).toBeNull();
  });

  it('shows a price change as a marker and a second line, old → new', async () => {
    const sub = subscription({ id: 'ex-2', customerId: 'ex-cust-2' });
    const history = [
      created('2026-01-05', 5, sub.id),
      event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '21' }, sub.id),
    ];
    await storedAndUploaded('ex-cust-2', { ...sub, unitPrice: new Decimal('21') }, history);
    const outcome = await explainSubscription(
      { prisma: db.prisma, client, now },
      { customerId: 'ex-cust-2', product: sub.productName, billingCycle: null },
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const { chart } = outcome.view.story;
    expect(chart.markers.filter((m) => m.kind === 'price')).toEqual([
      { date: '2026-03-01', kind: 'price', label: '22 → 21' },
    ]);
    const lines = chart.series.filter((s) => s.kind === 'autotask');
    expect(lines.map((l) => l.label.replace(/\d+ @/, 'N @'))).toEqual([
      'Autotask line N @ 22',
      'Autotask line N @ 21',
    ]);
    // the old line goes to 0 on the day the new one takes the units
    expect(lines[0]!.points).toContainEqual({ date: '2026-03-01', units: 0 });
    expect(lines[1]!.points[0]).toEqual({ date: '2026-03-01', units: 5 });
  });

  it('answers an unknown product or cycle with what there is', async () => {
    const unknown = await explainSubscription(
      { prisma: db.prisma, client, now },
      { customerId: 'ex-cust-1', product: 'Visio', billingCycle: null },
    );
    expect(unknown).toMatchObject({ ok: false, problem: { code: 'EXPLAIN_PRODUCT_UNKNOWN' } });
    if (unknown.ok) return;
    expect(unknown.problem.hint).toContain('"Microsoft 365 Business Premium"');
    const wrongCycle = await explainSubscription(
      { prisma: db.prisma, client, now },
      { customerId: 'ex-cust-1', product: 'Microsoft 365 Business Premium', billingCycle: 'annual' },
    );
    expect(wrongCycle).toMatchObject({ ok: false, problem: { code: 'EXPLAIN_PRODUCT_UNKNOWN' } });
  });

  it('still tells the history when Autotask does not answer, and says why', async () => {
    const outcome = await explainSubscription(
      { prisma: db.prisma, client: null, now },
      { customerId: 'ex-cust-1', product: 'Microsoft 365 Business Premium', billingCycle: null },
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    expect(outcome.view.autotaskProblem?.code).toBe('AUTOTASK_NOT_CONFIGURED');
    expect(outcome.view.story.changes).toHaveLength(3);
    expect(outcome.view.story.chart.series.find((s) => s.kind === 'autotask')!.points).toEqual([]);
  });
});
