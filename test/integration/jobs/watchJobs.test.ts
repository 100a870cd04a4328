// The two watches after an upload on a real job worker (Agenda on PostgreSQL) over the sandbox:
// both are put at their cron when the worker starts; the monthly reconciliation posts its
// notice once per month; the drift watch finds a hand edit made in Autotask (a direct
// adjustment), tells once per customer, not again until the drift changes, and records each
// notice in the audit log.
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import { JOB } from '../../../src/jobs/jobNames.js';
import type { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { summarizeReconciliation } from '../../../src/reconciliation/reconciliationSummary.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { readAutotaskSnapshots } from '../../../src/sync/readAutotaskState.js';
import type { ValidateDependencies } from '../../../src/sync/validateRun.js';
import { reconcileCustomers } from '../../../src/useCases/reconcileCustomers.js';
import { watchDrift } from '../../../src/useCases/watchDrift.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestScheduler } from '../../helpers/jobsHarness.js';
import { RecordingNotifier } from '../../helpers/recordingNotifier.js';
import { created, MONTHLY_CONTRACT, PREMIUM_MONTHLY_SERVICE, TARGETS } from '../../helpers/syncFixtures.js';
import { RUN_CLOCK } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { uploadedHistory } from '../../helpers/uploadedHistory.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;
let jobs: JobScheduler;
let notifier: RecordingNotifier;
let mapped: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox);
  const planning: ValidateDependencies = {
    prisma: db.prisma,
    resolveMapping: async (ids) =>
      new Map(ids.filter((id) => mapped.includes(id)).map((id) => [id, { targets: TARGETS, findings: [] }])),
    readAutotask: (requests) => readAutotaskSnapshots(client, requests),
    budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.5 },
    now: () => RUN_CLOCK,
  };
  notifier = new RecordingNotifier();
  jobs = await startTestScheduler({
    databaseUrl: db.url,
    prisma: db.prisma,
    notifier,
    watch: {
      reconcileCron: '0 6 3 * *',
      driftCron: '30 2 * * *',
      reconcile: async (month) => {
        const outcome = await reconcileCustomers(
          { planning, client, now: () => RUN_CLOCK },
          { scope: 'all', scopeLabel: 'all customers', month },
        );
        return outcome.ok
          ? { ok: true, summary: summarizeReconciliation(outcome.report, { url: null, problem: null }) }
          : outcome;
      },
      watchDrift: (tell) => watchDrift({ planning, prisma: db.prisma }, tell),
    },
  });
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await sandbox?.stop();
  await db?.drop();
});

/** Runs a watch job on the worker and waits until this execution has finished. */
async function run(name: typeof JOB.reconcileMonth | typeof JOB.watchDrift, month?: string) {
  const done = () => db.prisma.jobExecution.count({ where: { jobName: name, outcome: { not: 'running' } } });
  const before = await done();
  await jobs.enqueueWatch(name, month);
  await eventually(`${name} to finish`, async () => (await done()) > before, 30_000);
  const last = await db.prisma.jobExecution.findFirst({
    where: { jobName: name },
    orderBy: { startedAt: 'desc' },
  });
  expect(last?.outcome).toBe('succeeded');
}

/** Delivery is its own job: wait until the outbox has nothing left to hand over. */
async function delivered() {
  await eventually(
    'the notices to be delivered',
    async () => (await db.prisma.jobNotification.count({ where: { status: 'pending' } })) === 0,
    30_000,
  );
}

describe('the watches after an upload', () => {
  it('are put at their cron when the worker starts: the 3rd at 06:00 and daily at 02:30 UTC', async () => {
    const reconcileAt = await jobs.nextWatchAt(JOB.reconcileMonth);
    const driftAt = await jobs.nextWatchAt(JOB.watchDrift);
    expect(reconcileAt?.toISOString()).toMatch(/-03T06:00:00\.000Z$/);
    expect(driftAt?.toISOString()).toMatch(/T02:30:00\.000Z$/);
    expect(driftAt!.getTime()).toBeGreaterThan(Date.now());
    expect(driftAt!.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('posts the monthly reconciliation once per month, however often it runs', async () => {
    mapped = ['wj-recon'];
    await uploadedHistory({ prisma: db.prisma, sandbox, client }, 'wj-recon', [
      created('2026-01-05', 5, 'x', '22'),
    ]);
    sandbox.controls.postPeriodsThrough('2026-10-31');
    await run(JOB.reconcileMonth, '2026-10');
    await run(JOB.reconcileMonth, '2026-10');
    await delivered();
    const notices = notifier.of('reconciliation');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.summary).toMatchObject({
      month: '2026-10',
      scopeLabel: 'all customers',
      lineCount: 1,
      differing: 0,
      // 5 units × 22.00 for October
      totals: { expected: '110.00', billed: '110.00', variance: '0.00' },
    });
  });

  it('finds a hand edit in Autotask: one DRIFT notice for the customer, not again until the drift changes', async () => {
    mapped = ['wj-drift'];
    await uploadedHistory({ prisma: db.prisma, sandbox, client }, 'wj-drift', [
      created('2026-01-05', 5, 'x', '22'),
    ]);
    const before = notifier.of('drift').length;
    await run(JOB.watchDrift);
    await delivered();
    expect(notifier.of('drift')).toHaveLength(before);

    // someone adds 2 seats on the line in Autotask
    await client.createContractServiceAdjustment(MONTHLY_CONTRACT, {
      serviceID: PREMIUM_MONTHLY_SERVICE,
      effectiveDate: '2026-10-01',
      unitChange: 2,
    });
    await run(JOB.watchDrift);
    await delivered();
    const first = notifier.of('drift').slice(before);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      customerId: 'wj-drift',
      customerName: 'Customer wj-drift',
      correctionCommand: 'correct wj-drift',
      lines: [
        { productName: 'Microsoft 365 Business Premium', billingCycle: 'monthly', since: '2026-10-01' },
      ],
    });
    expect(first[0]!.lines[0]!.detail).toContain('on 2026-10-01 Autotask has 7 units, this system pushed 5');

    // the next watch sees the same drift: nobody is told again
    await run(JOB.watchDrift);
    await delivered();
    expect(notifier.of('drift').slice(before)).toHaveLength(1);

    // a second hand edit changes the drift: told again, with both differences
    await client.createContractServiceAdjustment(MONTHLY_CONTRACT, {
      serviceID: PREMIUM_MONTHLY_SERVICE,
      effectiveDate: '2026-11-01',
      unitChange: 1,
    });
    await run(JOB.watchDrift);
    await delivered();
    const all = notifier.of('drift').slice(before);
    expect(all).toHaveLength(2);
    expect(all[1]!.lines[0]!.detail).toContain('on 2026-11-01 Autotask has 8 units, this system pushed 5');

    const audited = await db.prisma.auditRecord.findMany({
      where: { customerId: 'wj-drift', action: 'drift.noticed' },
      orderBy: { id: 'asc' },
    });
    expect(audited).toHaveLength(2);
    expect(audited[0]!.actorId).toBe('system:watch');
  });

  it('keeps one schedule per watch when the worker starts again after one-off runs', async () => {
    // the tests above ran both watches as one-off jobs; a second worker starts (a restart)
    const again = await startTestScheduler({
      databaseUrl: db.url,
      prisma: db.prisma,
      notifier,
      workerName: 'test-worker-2',
      watch: {
        reconcileCron: '0 6 3 * *',
        driftCron: '30 2 * * *',
        reconcile: async () => ({ ok: false, problem: { code: 'UNUSED', message: 'not run', hint: '' } }),
        watchDrift: async () => ({ watched: 0, drifted: 0, told: 0, cleared: 0, unreadable: [] }),
      },
    });
    await again.stop();
    const rows = await db.prisma.$queryRaw<{ name: string; schedules: bigint; oneOff: bigint }[]>`
      SELECT name,
             count(*) FILTER (WHERE repeat_interval IS NOT NULL) AS schedules,
             count(*) FILTER (WHERE repeat_interval IS NULL) AS "oneOff"
        FROM agenda_jobs WHERE name IN (${JOB.reconcileMonth}, ${JOB.watchDrift}) GROUP BY name ORDER BY name`;
    expect(rows.map((r) => [r.name, Number(r.schedules)])).toEqual([
      [JOB.reconcileMonth, 1],
      [JOB.watchDrift, 1],
    ]);
    // the one-off runs are still one-off: none was turned into a schedule
    expect(rows.every((r) => Number(r.oneOff) >= 2)).toBe(true);
  });
});
