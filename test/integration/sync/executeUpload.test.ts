// The upload executor over real HTTP against the sandbox: audit records and the minimum number of
// calls, operations left `sending` by a dead worker, and drift. (Partial failure and retry:
// uploadRetrySandbox.test.ts; a second upload: uploadGoldenSandbox.test.ts; faults:
// uploadFaultsSandbox.test.ts.)
import type { Actor } from '../../../src/audit/actor.js';
import { listAudit } from '../../../src/audit/auditLog.js';
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import { ContractServiceSchema } from '../../../src/autotask/entities.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload, type UploadReport } from '../../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import type { SubscriptionEventInput, SubscriptionInput } from '../../../src/sync/syncInputs.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { lineChangePoints } from '../../helpers/sandboxTimeline.js';
import { created, event, quantity, subscription } from '../../helpers/syncFixtures.js';
import { APPROVER, RUN_CLOCK, uploadingRun as uploadingRun_ } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const bob: Actor = APPROVER;

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;
beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox);
});
beforeEach(() => sandbox.controls.reset());
afterAll(async () => {
  await sandbox.stop();
  await db.drop();
});

const lines = async () =>
  (await client.query('ContractServices', ContractServiceSchema)).map((l) => ({
    contractId: l.contractID,
    serviceId: l.serviceID,
    contractServiceId: l.id,
  }));

/** validate (against the ledger and the sandbox's lines) → request → approve → start; the run id. */
async function uploadingRun(
  customerId: string,
  subscriptions: SubscriptionInput[],
  events: SubscriptionEventInput[],
): Promise<string> {
  const { runId } = await uploadingRun_(db.prisma, {
    customerId,
    subscriptions,
    events,
    existingLines: await lines(),
  });
  return runId;
}

async function execute(runId: string): Promise<UploadReport> {
  const report = await executeUpload(
    { prisma: db.prisma, gateway: clientAutotaskGateway(client), actor: bob, now: () => RUN_CLOCK },
    runId,
  );
  if (!report.ok) throw new Error(`${report.code}: ${report.message}`);
  return report;
}

const subs = (customerId: string, ...ids: string[]) =>
  ids.map((id) => subscription({ id: `${customerId}-${id}`, customerId }));

describe('executeUpload', () => {
  it('uploads new subscription, quantity change, price change and monthly → annual with the minimum of calls', async () => {
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
    const runId = await uploadingRun('c-golden', [a!, b!], events);
    sandbox.controls.resetCounters();
    const report = await execute(runId);
    expect(report).toMatchObject({ outcome: 'succeeded', counts: { done: 9, planned: 0, failed: 0 } });
    // written by hand: line (subscription|contract|service|price) → change points (date units)
    expect(await lineChangePoints(db.prisma, client, 'c-golden')).toEqual({
      [`${a!.id}|100|11|22`]: ['2026-01-05 5', '2026-01-20 8', '2026-03-01 0'],
      [`${a!.id}|100|11|20`]: ['2026-03-01 8'],
      [`${b!.id}|100|11|22`]: ['2026-02-01 3', '2026-04-01 0'],
      [`${b!.id}|200|12|22`]: ['2026-04-01 3'],
    });
    // minimum: 2 line creations + 7 adjustments + 2 batched reads + 2 repeat-line id reads
    expect(report.calls).toBe(13);
    expect(sandbox.controls.writeLog().map((w) => w.status)).toEqual(Array<number>(9).fill(200));
    const done = await listAudit(db.prisma, { runId, action: 'operation.done', limit: 100 });
    expect(done).toHaveLength(9);
    expect((await listAudit(db.prisma, { runId, action: 'upload.finished' }))[0]).toMatchObject({
      details: { outcome: 'succeeded' },
    });
  });

  it('resolves operations left sending from the units timeline: done if applied, else sent again', async () => {
    const [a] = subs('c-crash', 'a');
    const events = [created('2026-01-05', 5, a!.id), quantity('2026-02-01', 5, 9, a!.id)];
    const runId = await uploadingRun('c-crash', [a!], events);
    const [createLine, plus5, plus4] = await loadRunOperations(db.prisma, runId);
    // a worker sent the first two and died before recording the second's outcome;
    // it had marked the third sending but died before the request left
    const lineId = await client.createContractService(100, { serviceID: 11, unitPrice: 22 });
    await db.prisma.syncOperationRecord.update({
      where: { id: createLine!.id },
      data: { status: 'sending' },
    });
    await client.createContractServiceAdjustment(100, {
      contractServiceID: lineId,
      effectiveDate: '2026-01-05',
      unitChange: 5,
    });
    await db.prisma.syncOperationRecord.update({ where: { id: plus5!.id }, data: { status: 'sending' } });
    await db.prisma.syncOperationRecord.update({ where: { id: plus4!.id }, data: { status: 'sending' } });
    const writesBefore = sandbox.controls.writeLog().length;
    sandbox.controls.resetCounters();
    const report = await execute(runId);
    expect(report).toMatchObject({ outcome: 'succeeded', counts: { done: 3 } });
    // only the third was sent: one adjustment, accepted
    expect(sandbox.controls.writeLog().slice(writesBefore)).toEqual([
      expect.objectContaining({ route: 'POST Contracts/ServiceAdjustments', status: 200 }),
    ]);
    expect(await lineChangePoints(db.prisma, client, 'c-crash')).toEqual({
      [`${a!.id}|100|11|22`]: ['2026-01-05 5', '2026-02-01 9'],
    });
    const how = (await listAudit(db.prisma, { runId, action: 'operation.done' })).map(
      (r) => (r.details as { how: string }).how,
    );
    expect(how.sort()).toEqual(['found in Autotask', 'found in Autotask', 'sent']);
  });

  it('does not mistake a line on a contract this upload does not touch for drift', async () => {
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
    expect((await execute(await uploadingRun('c-moved', [a!], history))).outcome).toBe('succeeded');
    const later = await uploadingRun('c-moved', [a!], [...history, quantity('2026-06-01', 5, 7, a!.id)]);
    const report = await execute(later);
    expect(report).toMatchObject({ outcome: 'succeeded', drift: [], counts: { done: 1 } });
  });

  it('refuses to send for a subscription whose line drifted, with an audit record saying what differs', async () => {
    const [a, b] = subs('c-drift', 'a', 'b');
    const history = [created('2026-01-05', 5, a!.id), created('2026-01-05', 2, b!.id)];
    expect((await execute(await uploadingRun('c-drift', [a!, b!], history))).outcome).toBe('succeeded');
    const lineOfA = (await db.prisma.syncLine.findMany({ where: { subscriptionId: a!.id } }))[0]!;
    // someone adds a seat by hand in Autotask
    await client.createContractServiceAdjustment(100, {
      contractServiceID: lineOfA.contractServiceId,
      effectiveDate: '2026-02-01',
      unitChange: 1,
    });
    const more = [...history, quantity('2026-03-01', 5, 6, a!.id), quantity('2026-03-01', 2, 3, b!.id)];
    const runId = await uploadingRun('c-drift', [a!, b!], more);
    sandbox.controls.resetCounters();
    const report = await execute(runId);
    expect(report.outcome).toBe('partially_failed');
    expect(report.drift).toEqual([
      {
        subscriptionId: a!.id,
        message: expect.stringMatching(/^DRIFT: .*on 2026-02-01 Autotask has 6 units, this system pushed 5/),
      },
    ]);
    // nothing for a; b went on: one write, b's +1
    expect(sandbox.controls.counters().byEndpoint['POST Contracts/ServiceAdjustments']).toBe(1);
    expect(await lineChangePoints(db.prisma, client, 'c-drift')).toEqual({
      [`${a!.id}|100|11|22`]: ['2026-01-05 5', '2026-02-01 6'],
      [`${b!.id}|100|11|22`]: ['2026-01-05 2', '2026-03-01 3'],
    });
    const [record] = await listAudit(db.prisma, { runId, action: 'drift.detected' });
    expect(record).toMatchObject({
      outcome: 'failed',
      customerId: 'c-drift',
      details: { subscriptionId: a!.id },
    });
  });
});
