import type { Actor } from '../../../src/audit/actor.js';
import { listAudit } from '../../../src/audit/auditLog.js';
import { executeUpload, type UploadReport } from '../../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { startUpload } from '../../../src/sync/runStore.js';
import type { SubscriptionEventInput, SubscriptionInput } from '../../../src/sync/syncInputs.js';
import { InMemoryAutotask } from '../../helpers/inMemoryAutotask.js';
import { created, event, quantity, subscription } from '../../helpers/syncFixtures.js';
import { APPROVER, FRESH, RUN_CLOCK, uploadingRun as uploadingRun_ } from '../../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const bob: Actor = APPROVER;
const now = RUN_CLOCK;
const check = FRESH;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const contracts = () =>
  new InMemoryAutotask([
    { id: 100, startDate: '2025-01-01', endDate: '2027-12-31' },
    { id: 200, startDate: '2025-01-01', endDate: '2027-12-31' },
  ]);

/** validate (against the ledger and the fake's lines) → request → approve → start; the run id. */
async function uploadingRun(
  fake: InMemoryAutotask,
  customerId: string,
  subscriptions: SubscriptionInput[],
  events: SubscriptionEventInput[],
  options: { ignoreLedger?: boolean } = {},
): Promise<string> {
  const existingLines = fake.lines.map((l) => ({
    contractId: l.contractId,
    serviceId: l.serviceId,
    contractServiceId: l.contractServiceId,
  }));
  const { runId } = await uploadingRun_(db.prisma, {
    customerId,
    subscriptions,
    events,
    existingLines,
    ...options,
  });
  return runId;
}

const deps = (fake: InMemoryAutotask) => ({
  prisma: db.prisma,
  gateway: fake,
  actor: bob,
  now: () => now,
  sleep: async () => undefined,
});

async function execute(fake: InMemoryAutotask, runId: string): Promise<UploadReport> {
  const report = await executeUpload(deps(fake), runId);
  if (!report.ok) throw new Error(`${report.code}: ${report.message}`);
  return report;
}

const subs = (customerId: string, ...ids: string[]) =>
  ids.map((id) => subscription({ id: `${customerId}-${id}`, customerId }));

describe('executeUpload', () => {
  it('uploads new subscription, quantity change, price change and monthly → annual as the hand-written timeline', async () => {
    const fake = contracts();
    const [a, b] = subs('c-golden', 'a', 'b');
    const events = [
      created('2026-01-05', 5, a!.id),
      quantity('2026-01-20', 5, 8, a!.id),
      event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '20' }, a!.id),
      created('2026-02-01', 3, b!.id),
      event(
        '2026-04-01',
        'billing_cycle_changed',
        { billingCycleBefore: 'monthly', billingCycleAfter: 'annual' },
        b!.id,
      ),
    ];
    const runId = await uploadingRun(fake, 'c-golden', [a!, b!], events);
    const report = await execute(fake, runId);
    expect(report).toMatchObject({ outcome: 'succeeded', counts: { done: 9, planned: 0, failed: 0 } });
    // written by hand: line → change points (date units)
    expect(fake.timeline()).toEqual([
      {
        contractId: 100,
        serviceId: 11,
        unitPrice: '22',
        steps: ['2026-01-05 5', '2026-01-20 8', '2026-03-01 0'],
      },
      { contractId: 100, serviceId: 11, unitPrice: '20', steps: ['2026-03-01 8'] },
      { contractId: 100, serviceId: 11, unitPrice: '22', steps: ['2026-02-01 3', '2026-04-01 0'] },
      { contractId: 200, serviceId: 12, unitPrice: '22', steps: ['2026-04-01 3'] },
    ]);
    // minimum: 2 line creations + 7 adjustments + 2 batched reads + 2 repeat-line id reads
    expect(report.calls).toBe(13);
    const done = await listAudit(db.prisma, { runId, action: 'operation.done', limit: 100 });
    expect(done).toHaveLength(9);
    expect((await listAudit(db.prisma, { runId, action: 'upload.finished' }))[0]).toMatchObject({
      details: { outcome: 'succeeded' },
    });
  });

  it('sends zero calls on a second upload of the same plan after success', async () => {
    const fake = contracts();
    const [a] = subs('c-twice', 'a');
    const events = [created('2026-01-05', 5, a!.id), quantity('2026-02-01', 5, 6, a!.id)];
    const first = await uploadingRun(fake, 'c-twice', [a!], events);
    const second = await uploadingRun(fake, 'c-twice', [a!], events, { ignoreLedger: true });
    const firstReport = await execute(fake, first);
    expect(firstReport.outcome).toBe('succeeded');
    const callsBefore = fake.calls;
    const again = await execute(fake, second);
    expect(again).toMatchObject({ outcome: 'succeeded', calls: 0, counts: { skipped: 3, done: 0 } });
    expect(fake.calls).toBe(callsBefore);
    expect(fake.writes.filter((w) => w.committed)).toHaveLength(3);
  });

  it('stops only the failing subscription on a business-rule refusal; a retry sends only the rest', async () => {
    const fake = new InMemoryAutotask([{ id: 100, startDate: '2025-01-01', endDate: '2026-03-31' }]);
    const [a, b] = subs('c-partial', 'a', 'b');
    const events = [
      created('2026-01-05', 5, a!.id),
      quantity('2026-04-10', 5, 6, a!.id), // after the contract end: Autotask refuses
      quantity('2026-05-01', 6, 7, a!.id), // must wait
      created('2026-02-01', 2, b!.id),
    ];
    const runId = await uploadingRun(fake, 'c-partial', [a!, b!], events);
    const report = await execute(fake, runId);
    expect(report).toMatchObject({ outcome: 'partially_failed', counts: { done: 3, failed: 1, planned: 1 } });
    const failed = (await loadRunOperations(db.prisma, runId)).find((o) => o.status === 'failed')!;
    expect(failed.error).toMatch(
      /AUTOTASK_BUSINESS_RULE: ContractServiceAdjustment effectiveDate must be between/,
    );
    expect(fake.unitsOn('2026-03-01')).toEqual({ 9000: 5, 9001: 2 });

    fake.contracts.get(100)!.endDate = '2026-12-31'; // someone extends the contract
    expect(await startUpload(db.prisma, runId, bob, check)).toMatchObject({
      ok: true,
      run: { state: 'uploading' },
    });
    const writesBefore = fake.writes.length;
    const retry = await execute(fake, runId);
    expect(retry).toMatchObject({ outcome: 'succeeded', counts: { done: 5 } });
    expect(
      fake.writes.slice(writesBefore).map((w) => (w.request as { effectiveDate: string }).effectiveDate),
    ).toEqual(['2026-04-10', '2026-05-01']);
  });

  it('resolves operations left sending from the units timeline: done if applied, else sent again', async () => {
    const fake = contracts();
    const [a] = subs('c-crash', 'a');
    const events = [created('2026-01-05', 5, a!.id), quantity('2026-02-01', 5, 9, a!.id)];
    const runId = await uploadingRun(fake, 'c-crash', [a!], events);
    const [createLine, plus5, plus4] = await loadRunOperations(db.prisma, runId);
    // a worker sent the first two and died before recording the second's outcome;
    // it had marked the third sending but died before the request left
    const line = await fake.createContractService({ contractId: 100, serviceId: 11, unitPrice: '22' });
    expect(line.ok).toBe(true);
    await db.prisma.syncOperationRecord.update({
      where: { id: createLine!.id },
      data: { status: 'sending' },
    });
    await fake.createAdjustment({
      contractId: 100,
      contractServiceId: 9000,
      effectiveDate: '2026-01-05',
      unitChange: 5,
    });
    await db.prisma.syncOperationRecord.update({ where: { id: plus5!.id }, data: { status: 'sending' } });
    await db.prisma.syncOperationRecord.update({ where: { id: plus4!.id }, data: { status: 'sending' } });
    const writesBefore = fake.writes.length;
    const report = await execute(fake, runId);
    expect(report).toMatchObject({ outcome: 'succeeded', counts: { done: 3 } });
    expect(fake.writes.slice(writesBefore)).toEqual([
      {
        kind: 'adjustment',
        request: expect.objectContaining({ effectiveDate: '2026-02-01', unitChange: 4 }),
        committed: true,
      },
    ]);
    const how = (await listAudit(db.prisma, { runId, action: 'operation.done' })).map(
      (r) => (r.details as { how: string }).how,
    );
    expect(how.sort()).toEqual(['found in Autotask', 'found in Autotask', 'sent']);
  });

  it('completes exactly once with 20 % injected faults (refused, lost, committed then dropped)', async () => {
    const fake = contracts();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const list = subs('c-faults', ...ids);
    const events = list.flatMap((s, i) => [
      created('2026-01-05', 3 + i, s.id),
      quantity('2026-02-01', 3 + i, 5 + i, s.id),
      event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '21' }, s.id),
      quantity('2026-04-01', 5 + i, 2 + i, s.id),
    ]);
    const runId = await uploadingRun(fake, 'c-faults', list, events);
    const operations = (await loadRunOperations(db.prisma, runId)).length;
    fake.setFaults(0.2, ['not_sent', 'lost', 'commit_then_drop'], 7);
    let report = await execute(fake, runId);
    for (let attempt = 0; report.outcome !== 'succeeded' && attempt < 10; attempt++) {
      expect(await startUpload(db.prisma, runId, bob, check)).toMatchObject({ ok: true });
      report = await execute(fake, runId);
    }
    expect(report.outcome).toBe('succeeded');
    fake.setFaults(0, []);
    // every operation reached Autotask exactly once: no refused duplicate, no missing change
    expect(fake.writes.filter((w) => w.committed)).toHaveLength(operations);
    expect(fake.writes.filter((w) => !w.committed)).toEqual([]);
    // lines in any order (faults change the order in which repeat lines get created)
    const byPrice = (price: string) =>
      fake
        .timeline()
        .filter((l) => l.unitPrice === price)
        .map((l) => l.steps.join(', '))
        .sort();
    expect(byPrice('22')).toEqual(
      list.map((_, i) => `2026-01-05 ${3 + i}, 2026-02-01 ${5 + i}, 2026-03-01 0`).sort(),
    );
    expect(byPrice('21')).toEqual(list.map((_, i) => `2026-03-01 ${5 + i}, 2026-04-01 ${2 + i}`).sort());
  });

  it('does not mistake a line on a contract this upload does not touch for drift', async () => {
    const fake = contracts();
    const [a] = subs('c-moved', 'a');
    const history = [
      created('2026-01-05', 5, a!.id),
      event(
        '2026-04-01',
        'billing_cycle_changed',
        { billingCycleBefore: 'monthly', billingCycleAfter: 'annual' },
        a!.id,
      ),
    ];
    expect((await execute(fake, await uploadingRun(fake, 'c-moved', [a!], history))).outcome).toBe(
      'succeeded',
    );
    const later = await uploadingRun(
      fake,
      'c-moved',
      [a!],
      [...history, quantity('2026-06-01', 5, 7, a!.id)],
    );
    const report = await execute(fake, later);
    expect(report).toMatchObject({ outcome: 'succeeded', drift: [], counts: { done: 1 } });
  });

  it('refuses to send for a subscription whose line drifted, with an audit record saying what differs', async () => {
    const fake = contracts();
    const [a, b] = subs('c-drift', 'a', 'b');
    const history = [created('2026-01-05', 5, a!.id), created('2026-01-05', 2, b!.id)];
    expect((await execute(fake, await uploadingRun(fake, 'c-drift', [a!, b!], history))).outcome).toBe(
      'succeeded',
    );
    const lineOfA = fake.lines.find((l) => l.adjustments.some((x) => x.unitChange === 5))!.contractServiceId;
    fake.handAdjust(lineOfA, '2026-02-01', 1); // someone adds a seat by hand in Autotask
    const more = [...history, quantity('2026-03-01', 5, 6, a!.id), quantity('2026-03-01', 2, 3, b!.id)];
    const runId = await uploadingRun(fake, 'c-drift', [a!, b!], more);
    const writesBefore = fake.writes.length;
    const report = await execute(fake, runId);
    expect(report.outcome).toBe('partially_failed');
    expect(report.drift).toEqual([
      {
        subscriptionId: a!.id,
        message: expect.stringMatching(/^DRIFT: .*on 2026-02-01 Autotask has 6 units, this system pushed 5/),
      },
    ]);
    // nothing for a, b went on
    expect(
      fake.writes.slice(writesBefore).map((w) => (w.request as { unitChange: number }).unitChange),
    ).toEqual([1]);
    const [record] = await listAudit(db.prisma, { runId, action: 'drift.detected' });
    expect(record).toMatchObject({
      outcome: 'failed',
      customerId: 'c-drift',
      details: { subscriptionId: a!.id },
    });
  });
});
