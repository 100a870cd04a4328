// Golden billing scenarios against the built-in Autotask sandbox over real HTTP: each history is
// validated, approved and uploaded, then the sandbox's ContractServiceUnits timeline is compared
// with a table written by hand (rows up to 2026-04-30; contracts run 2026-01-01 to 2026-12-31).
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import { ContractServiceSchema } from '../../../src/autotask/entities.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../../src/sync/executeUpload.js';
import { startUpload } from '../../../src/sync/runStore.js';
import type { SubscriptionEventInput } from '../../../src/sync/syncInputs.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { lineChangePoints, sandboxTimeline } from '../../helpers/sandboxTimeline.js';
import {
  created,
  event,
  quantity,
  subscription,
  twoSubscriptionsOfOneProduct,
} from '../../helpers/syncFixtures.js';
import { APPROVER, FRESH, RUN_CLOCK, uploadingRun } from '../../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';

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

const timeline = (until?: string) => sandboxTimeline(client, until);

async function upload(name: string, events: (sub: string) => SubscriptionEventInput[], cutoverDate?: string) {
  sandbox.controls.reset();
  const customerId = `golden-${name}`;
  const sub = subscription({ id: `${customerId}-s1`, customerId });
  const { runId, operations } = await uploadingRun(db.prisma, {
    customerId,
    subscriptions: [sub],
    events: events(sub.id),
    existingLines: [],
    cutoverDate: cutoverDate ?? null,
  });
  sandbox.controls.resetCounters();
  const report = await executeUpload(
    { prisma: db.prisma, gateway: clientAutotaskGateway(client), actor: APPROVER, now: () => RUN_CLOCK },
    runId,
  );
  expect(report).toMatchObject({ ok: true, outcome: 'succeeded' });
  const writes = sandbox.controls.writeLog().filter((w) => w.status === 200 || w.status === 201).length;
  expect(writes).toBe(operations);
  return runId;
}

describe('golden billing scenarios uploaded to the sandbox', () => {
  it('new subscription', async () => {
    await upload('new', (s) => [created('2026-01-05', 5, s)]);
    expect(await timeline()).toEqual([
      'm#1 2026-01-05 2026-01-31 5',
      'm#1 2026-02-01 2026-02-28 5',
      'm#1 2026-03-01 2026-03-31 5',
      'm#1 2026-04-01 2026-04-30 5',
    ]);
  });

  it('quantity up and down mid-period', async () => {
    await upload('updown', (s) => [
      created('2026-01-05', 5, s),
      quantity('2026-01-20', 5, 8, s),
      quantity('2026-02-10', 8, 6, s),
    ]);
    expect(await timeline()).toEqual([
      'm#1 2026-01-05 2026-01-19 5',
      'm#1 2026-01-20 2026-01-31 8',
      'm#1 2026-02-01 2026-02-09 8',
      'm#1 2026-02-10 2026-02-28 6',
      'm#1 2026-03-01 2026-03-31 6',
      'm#1 2026-04-01 2026-04-30 6',
    ]);
  });

  it('suspension and reactivation', async () => {
    await upload('suspend', (s) => [
      created('2026-01-05', 5, s),
      event('2026-02-01', 'suspended', { statusBefore: 'active' }, s),
      event('2026-03-15', 'reactivated', { statusBefore: 'suspended' }, s),
    ]);
    expect(await timeline()).toEqual([
      'm#1 2026-01-05 2026-01-31 5',
      'm#1 2026-02-01 2026-02-28 0',
      'm#1 2026-03-01 2026-03-14 0',
      'm#1 2026-03-15 2026-03-31 5',
      'm#1 2026-04-01 2026-04-30 5',
    ]);
  });

  it('price change', async () => {
    await upload('price', (s) => [
      created('2026-01-05', 5, s),
      event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '20' }, s),
    ]);
    expect(await timeline()).toEqual([
      'm#1 2026-01-05 2026-01-31 5',
      'm#1 2026-02-01 2026-02-28 5',
      'm#1 2026-03-01 2026-03-31 0',
      'm#1 2026-04-01 2026-04-30 0',
      'm#2 2026-03-01 2026-03-31 5',
      'm#2 2026-04-01 2026-04-30 5',
    ]);
    const lines = await client.query('ContractServices', ContractServiceSchema);
    expect(lines.map((l) => l.unitPrice?.toFixed(2)).sort()).toEqual(['20.00', '22.00']);
  });

  it('monthly → annual', async () => {
    await upload('cycle', (s) => [
      created('2026-01-05', 5, s),
      event(
        '2026-04-01',
        'billing_cycle_changed',
        { billingCycleBefore: 'monthly', billingCycleAfter: 'annual' },
        s,
      ),
    ]);
    expect(await timeline()).toEqual([
      'm#1 2026-01-05 2026-01-31 5',
      'm#1 2026-02-01 2026-02-28 5',
      'm#1 2026-03-01 2026-03-31 5',
      'm#1 2026-04-01 2026-04-30 0',
      'y#1 2026-04-01 2026-12-31 5',
    ]);
  });

  it('cancellation', async () => {
    await upload('cancel', (s) => [
      created('2026-01-05', 5, s),
      event('2026-02-15', 'cancelled', { statusBefore: 'active' }, s),
    ]);
    expect(await timeline()).toEqual([
      'm#1 2026-01-05 2026-01-31 5',
      'm#1 2026-02-01 2026-02-14 5',
      'm#1 2026-02-15 2026-02-28 0',
      'm#1 2026-03-01 2026-03-31 0',
      'm#1 2026-04-01 2026-04-30 0',
    ]);
  });

  it('three events on one day', async () => {
    await upload('sameday', (s) => [
      created('2026-01-05', 5, s),
      quantity('2026-02-10', 5, 9, s),
      event('2026-02-10', 'suspended', { statusBefore: 'active' }, s),
      event('2026-02-10', 'reactivated', { statusBefore: 'suspended', quantityAfter: 8 }, s),
    ]);
    expect(await timeline()).toEqual([
      'm#1 2026-01-05 2026-01-31 5',
      'm#1 2026-02-01 2026-02-09 5',
      'm#1 2026-02-10 2026-02-28 8',
      'm#1 2026-03-01 2026-03-31 8',
      'm#1 2026-04-01 2026-04-30 8',
    ]);
  });

  it('cutover date', async () => {
    await upload(
      'cutover',
      (s) => [
        created('2025-06-01', 3, s),
        quantity('2025-09-01', 3, 5, s),
        quantity('2026-01-15', 5, 6, s),
        quantity('2026-04-10', 6, 4, s),
      ],
      '2026-03-01',
    );
    expect(await timeline()).toEqual([
      'm#1 2026-03-01 2026-03-31 6',
      'm#1 2026-04-01 2026-04-09 6',
      'm#1 2026-04-10 2026-04-30 4',
    ]);
  });

  it('a second upload of the same plan after success makes no Autotask call', async () => {
    const runId = await upload('twice', (s) => [
      created('2026-01-05', 5, s),
      quantity('2026-02-01', 5, 7, s),
    ]);
    expect(runId).toMatch(/^r-/);
    const sub = subscription({ id: 'golden-twice-s1', customerId: 'golden-twice' });
    const stale = await uploadingRun(db.prisma, {
      customerId: 'golden-twice',
      subscriptions: [sub],
      events: [created('2026-01-05', 5, sub.id), quantity('2026-02-01', 5, 7, sub.id)],
      existingLines: [],
      ignoreLedger: true,
    });
    sandbox.controls.resetCounters();
    const report = await executeUpload(
      { prisma: db.prisma, gateway: clientAutotaskGateway(client), actor: APPROVER, now: () => RUN_CLOCK },
      stale.runId,
    );
    expect(report).toMatchObject({ ok: true, outcome: 'succeeded', calls: 0 });
    expect(sandbox.controls.counters().total).toBe(0);
  });
});

// Two subscriptions of one product on one contract (the demo's Margie's Travel has two Exchange
// Online ones): the one that starts first has the service's base line, the other a repeat line.
// Their ids sort the other way round, so id order alone would open the repeat line first.
describe('two subscriptions of one product uploaded to the sandbox', () => {
  const customerId = 'golden-two';
  const first = subscription({ id: `${customerId}-b`, customerId, quantity: 6 });
  const second = subscription({ id: `${customerId}-a`, customerId, quantity: 4 });
  const events = twoSubscriptionsOfOneProduct(first.id, second.id);
  // written by hand: m#1 the base line (first, at 22), m#2 first's line at the new price,
  // m#3 second's repeat line
  const EXPECTED = [
    'm#1 2026-01-05 2026-01-31 5',
    'm#1 2026-02-01 2026-02-28 5',
    'm#1 2026-03-01 2026-03-31 0',
    'm#1 2026-04-01 2026-04-30 0',
    'm#2 2026-03-01 2026-03-31 5',
    'm#2 2026-04-01 2026-04-09 5',
    'm#2 2026-04-10 2026-04-30 6',
    'm#3 2026-02-01 2026-02-28 3',
    'm#3 2026-03-01 2026-03-09 3',
    'm#3 2026-03-10 2026-03-31 4',
    'm#3 2026-04-01 2026-04-30 4',
  ];
  const EXPECTED_LINES = {
    [`${first.id}|100|11|22`]: ['2026-01-05 5', '2026-03-01 0'],
    [`${first.id}|100|11|21`]: ['2026-03-01 5', '2026-04-10 6'],
    [`${second.id}|100|11|22`]: ['2026-02-01 3', '2026-03-10 4'],
  };
  const deps = () => ({
    prisma: db.prisma,
    gateway: clientAutotaskGateway(client),
    actor: APPROVER,
    now: () => RUN_CLOCK,
  });

  it('one base line, a repeat line for the second subscription, each carrying its own units', async () => {
    sandbox.controls.reset();
    const { runId, operations } = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: [first, second],
      events,
      existingLines: [],
    });
    const report = await executeUpload(deps(), runId);
    expect(report).toMatchObject({ ok: true, outcome: 'succeeded', waiting: [] });
    const log = sandbox.controls.writeLog();
    expect(log.filter((w) => w.status >= 400)).toEqual([]);
    expect(log).toHaveLength(operations);
    expect(sandbox.controls.counters().byEndpoint['POST Contracts/Services']).toBe(1);
    expect(await timeline()).toEqual(EXPECTED);
    expect(await lineChangePoints(db.prisma, client, customerId)).toEqual(EXPECTED_LINES);

    // a second upload of the same history (planned as if nothing had been pushed) sends nothing
    const stale = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: [first, second],
      events,
      existingLines: [],
      ignoreLedger: true,
    });
    sandbox.controls.resetCounters();
    expect(await executeUpload(deps(), stale.runId)).toMatchObject({
      ok: true,
      outcome: 'succeeded',
      calls: 0,
    });
    expect(sandbox.controls.counters().total).toBe(0);
  });

  it('while the base line cannot be created, no repeat line is opened; the retry puts every unit on its own line', async () => {
    sandbox.controls.reset();
    const other = `${customerId}-retry`;
    const [b, a] = [first, second].map((s) => ({
      ...s,
      id: s.id.replace(customerId, other),
      customerId: other,
    }));
    const otherEvents = events.map((e) => ({
      ...e,
      subscriptionId: e.subscriptionId.replace(customerId, other),
    }));
    const { runId, operations } = await uploadingRun(db.prisma, {
      customerId: other,
      subscriptions: [b!, a!],
      events: otherEvents,
      existingLines: [],
    });
    sandbox.controls.setFaults({ rate: 1, kinds: ['502'], endpoints: ['POST Contracts/Services'] });
    const failed = await executeUpload(deps(), runId);
    expect(failed).toMatchObject({ ok: true, outcome: 'failed' });
    // nothing reached Autotask: the second subscription did not make the service's first line
    expect(sandbox.controls.writeLog().filter((w) => w.status < 300)).toEqual([]);
    expect(failed.ok && failed.waiting.map((w) => w.reason).join('\n')).toMatch(
      /BASE_LINE_MISSING: contract 100 has no line for service 11 yet/,
    );

    sandbox.controls.clearFaults();
    expect(await startUpload(db.prisma, runId, APPROVER, FRESH)).toMatchObject({ ok: true });
    const retried = await executeUpload(deps(), runId);
    expect(retried).toMatchObject({ ok: true, outcome: 'succeeded', counts: { done: operations } });
    expect(await timeline()).toEqual(EXPECTED);
    expect(await lineChangePoints(db.prisma, client, other)).toEqual(
      Object.fromEntries(Object.entries(EXPECTED_LINES).map(([k, v]) => [k.replace(customerId, other), v])),
    );
  });
});
