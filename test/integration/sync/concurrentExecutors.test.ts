// Exactly once without the tenant lock: two executors start on the same run at once — as two
// upload jobs would after a dropped lock connection, or behind a connection pooler in transaction
// mode — with the advisory lock replaced by one that lets everybody in. Over real HTTP against the
// sandbox, every operation reaches Autotask at most once (its write log), nothing is refused as a
// duplicate, and the run ends succeeded with the timeline written by hand.
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import { ContractServiceUnitSchema } from '../../../src/autotask/entities.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import type { UploadLock } from '../../../src/jobs/autotaskDatabaseLock.js';
import { runUploadJob, type UploadJobDependencies } from '../../../src/jobs/uploadJob.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { getRun } from '../../../src/sync/runStore.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { created, event, quantity, subscription } from '../../helpers/syncFixtures.js';
import { uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const TRIALS = 8;

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

/** the tenant lock bypassed: everybody holds it at once */
const noLock: UploadLock = {
  withLock: async (_key, _signal, work) => ({ ok: true, value: await work() }),
};

function uploadJob(): (runId: string) => ReturnType<typeof runUploadJob> {
  const deps: UploadJobDependencies = {
    prisma: db.prisma,
    gateway: clientAutotaskGateway(client),
    databaseKey: 'autotask:sandbox',
    lock: noLock,
    planning: undefined,
    notify: async () => undefined,
    now: () => new Date(),
    stopping: new AbortController().signal,
    onSafePoint: () => undefined,
  };
  return (runId) => runUploadJob(deps, { runId, resume: true });
}

/** change points per line: `m#1 2026-01-05 5` (m = monthly contract, y = yearly; #n by line id) */
async function changePoints(): Promise<string[]> {
  const rows = await client.query('ContractServiceUnits', ContractServiceUnitSchema);
  const ids = [...new Set(rows.map((r) => r.contractServiceID!))].sort((a, b) => a - b);
  const out: string[] = [];
  for (const id of ids) {
    const mine = rows
      .filter((r) => r.contractServiceID === id)
      .sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
    const contract = mine[0]!.contractID;
    const n =
      ids.filter((x) => rows.find((r) => r.contractServiceID === x)!.contractID === contract).indexOf(id) + 1;
    let last: number | null = null;
    for (const r of mine)
      if (r.units !== last) {
        out.push(`${contract === 100 ? 'm' : 'y'}#${n} ${r.startDate} ${r.units}`);
        last = r.units;
      }
  }
  return out;
}

// Written by hand from the history below (the same history as the crash test).
const EXPECTED = [
  'm#1 2026-01-05 5', // a: created 5
  'm#1 2026-01-20 8', // a: 5 → 8
  'm#1 2026-03-01 0', // a: price change, the old line to 0
  'm#2 2026-03-01 8', // a: a new line at the new price
  'm#2 2026-04-10 6', // a: 8 → 6
  'm#3 2026-02-01 3', // b: created 3 on its own (repeat) line
  'm#3 2026-02-15 0', // b: suspended
  'm#3 2026-03-10 4', // b: reactivated with 4
  'm#3 2026-05-01 0', // b: moves to annual
  'y#1 2026-05-01 4', // b: the yearly contract's line
];

async function approvedAndStarted(customerId: string) {
  const a = subscription({ id: `${customerId}-a`, customerId });
  const b = subscription({ id: `${customerId}-b`, customerId, quantity: 4 });
  return uploadingRun(db.prisma, {
    customerId,
    subscriptions: [a, b],
    events: [
      created('2026-01-05', 5, a.id),
      quantity('2026-01-20', 5, 8, a.id),
      event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '21' }, a.id),
      quantity('2026-04-10', 8, 6, a.id),
      created('2026-02-01', 3, b.id),
      event('2026-02-15', 'suspended', { statusBefore: 'active' }, b.id),
      event('2026-03-10', 'reactivated', { statusBefore: 'suspended', quantityAfter: 4 }, b.id),
      event(
        '2026-05-01',
        'billing_cycle_changed',
        { billingCycleBefore: 'monthly', billingCycleAfter: 'annual' },
        b.id,
      ),
    ],
    existingLines: [],
  });
}

async function expectSentOnceAndCorrect(runId: string, operations: number) {
  const log = sandbox.controls.writeLog();
  expect(log.filter((w) => w.status >= 400)).toEqual([]);
  expect(log).toHaveLength(operations);
  expect(await changePoints()).toEqual(EXPECTED);
  expect((await getRun(db.prisma, runId))!.state).toBe('succeeded');
  const ops = await loadRunOperations(db.prisma, runId);
  expect(ops.every((o) => o.status === 'done' && o.attempts === 1)).toBe(true);
}

describe('two executors on one run with the tenant lock bypassed', () => {
  it(`two upload jobs at once (${TRIALS} trials): every operation sent once, the run succeeds`, async () => {
    const job = uploadJob();
    const answers: string[] = [];
    for (let trial = 1; trial <= TRIALS; trial++) {
      sandbox.controls.reset();
      const { runId, operations } = await approvedAndStarted(`twojobs-${trial}`);
      const results = await Promise.all([job(runId), job(runId)]);
      const kinds = results.map((r) =>
        r.kind === 'uploaded' ? r.report.outcome : r.kind === 'refused' ? r.refusal.code : r.kind,
      );
      answers.push(kinds.sort().join('+'));
      // one of them uploaded; the other found the run busy (or, if it came late, already done)
      expect(kinds).toContain('succeeded');
      expect(kinds.filter((k) => k === 'succeeded')).toHaveLength(1);
      await expectSentOnceAndCorrect(runId, operations);
    }
    process.stdout.write(`two upload jobs: ${answers.join(', ')}\n`);
  }, 300_000);

  it(`two bare executors a few milliseconds apart (${TRIALS} trials): the same`, async () => {
    const gateway = clientAutotaskGateway(client);
    for (let trial = 1; trial <= TRIALS; trial++) {
      sandbox.controls.reset();
      const { runId, operations } = await approvedAndStarted(`twoexec-${trial}`);
      const execute = () =>
        executeUpload({ prisma: db.prisma, gateway, actor: { id: 'system:upload' } }, runId);
      const [first, second] = await Promise.all([
        execute(),
        new Promise((r) => setTimeout(r, trial * 3)).then(execute),
      ]);
      const outcomes = [first, second].map((r) => (r.ok ? r.outcome : r.code));
      expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'succeeded')[0]).toMatch(/^(RUN_BUSY|RUN_STATE)$/);
      await expectSentOnceAndCorrect(runId, operations);
    }
  }, 300_000);
});
