// Schedules, scheduled validation, the auto-approve policy, approval expiry and a graceful stop,
// on real PostgreSQL with the sandbox over HTTP.
import { listAudit } from '../../../src/audit/auditLog.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { writeAutoApprovePolicy } from '../../../src/jobs/autoApprovePolicy.js';
import { JOB } from '../../../src/jobs/jobNames.js';
import type { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { RecordingNotifier } from '../../helpers/recordingNotifier.js';
import { listSchedules } from '../../../src/useCases/listSchedules.js';
import { createSchedule } from '../../../src/useCases/scheduleValidation.js';
import { removeSchedule } from '../../../src/useCases/unschedule.js';
import { readAutotaskSnapshots } from '../../../src/sync/readAutotaskState.js';
import { getRun } from '../../../src/sync/runStore.js';
import type { ValidateDependencies } from '../../../src/sync/validateRun.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { approvedRun } from '../../helpers/jobRuns.js';
import { startTestScheduler } from '../../helpers/jobsHarness.js';
import { eventually } from '../../helpers/eventually.js';
import { created, quantity, subscription, TARGETS } from '../../helpers/syncFixtures.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let notifier: RecordingNotifier;
let jobs: JobScheduler;
let planning: ValidateDependencies;
const ADMIN = { id: 'cli:admin' };

async function customerWithHistory(name: string, changes: [string, number, number][]): Promise<string> {
  const customer = await db.prisma.customer.create({ data: { name, externalId: `x-${name}` } });
  const subscriptionId = `${customer.id}-bp`;
  await db.prisma.subscription.create({
    data: {
      id: subscriptionId,
      customerId: customer.id,
      productName: 'Microsoft 365 Business Premium',
      billingCycle: 'monthly',
      billingType: 'quantity',
      status: 'active',
      quantity: changes.at(-1)?.[2] ?? 5,
      unitPrice: '22.00',
      currency: 'USD',
    },
  });
  await db.prisma.subscriptionEvent.create({
    data: {
      subscriptionId,
      effectiveDate: '2026-01-05',
      kind: 'created',
      quantityAfter: 5,
      priceAfter: '22',
      billingCycleAfter: 'monthly',
      idempotencyKey: `${subscriptionId}-0`,
      source: 'test',
    },
  });
  for (const [i, [date, before, after]] of changes.entries())
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId,
        effectiveDate: date,
        kind: 'quantity_changed',
        quantityBefore: before,
        quantityAfter: after,
        idempotencyKey: `${subscriptionId}-${i + 1}`,
        source: 'test',
      },
    });
  return customer.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  notifier = new RecordingNotifier();
  const client = clientFor(sandbox);
  planning = {
    prisma: db.prisma,
    resolveMapping: async (ids) => new Map(ids.map((id) => [id, { targets: TARGETS, findings: [] }])),
    readAutotask: (requests) => readAutotaskSnapshots(client, requests),
    budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.1 },
  };
  jobs = await startTestScheduler({
    databaseUrl: db.url,
    prisma: db.prisma,
    notifier,
    client,
    zoneUrl: sandbox.zoneUrl,
    planning,
  });
});
afterAll(async () => {
  await jobs.stop();
  await sandbox.stop();
  await db.drop();
});

describe('schedule use cases', () => {
  it('create, list and remove a schedule, audited, with its repeating job', async () => {
    const customerId = await customerWithHistory('Scheduled Co', []);
    const made = await createSchedule(
      { prisma: db.prisma, queue: jobs },
      { target: { all: false, customerId }, cadence: '"0 6 * * 1"', actor: ADMIN },
    );
    if (!made.ok) throw new Error(made.message);
    expect(made.schedule).toMatchObject({
      target: 'Scheduled Co',
      cadence: '0 6 * * 1',
      createdBy: 'cli:admin',
    });
    expect(made.schedule.nextRunAt!.getUTCDay()).toBe(1);
    expect(made.schedule.nextRunAt!.getUTCHours()).toBe(6);

    const listed = await listSchedules({ prisma: db.prisma, queue: jobs });
    expect(listed).toEqual([
      expect.objectContaining({ id: made.schedule.id, nextRunAt: made.schedule.nextRunAt }),
    ]);

    expect(
      await removeSchedule({ prisma: db.prisma, queue: jobs }, { id: made.schedule.id, actor: ADMIN }),
    ).toBe(true);
    expect(
      await removeSchedule({ prisma: db.prisma, queue: jobs }, { id: made.schedule.id, actor: ADMIN }),
    ).toBe(false);
    expect(await listSchedules({ prisma: db.prisma, queue: jobs })).toEqual([]);
    expect(await jobs.nextRunAt(made.schedule.id)).toBeNull();
    const actions = (await listAudit(db.prisma, { customerId })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['schedule.created', 'schedule.removed']));
  });

  it('answers a bad cadence or an unknown customer clearly and stores nothing', async () => {
    const q = { prisma: db.prisma, queue: jobs };
    expect(
      await createSchedule(q, { target: { all: true }, cadence: 'every tuesday', actor: ADMIN }),
    ).toMatchObject({
      ok: false,
      code: 'SCHEDULE_CADENCE_INVALID',
    });
    expect(
      await createSchedule(q, { target: { all: true }, cadence: '*/5 * * * *', actor: ADMIN }),
    ).toMatchObject({
      ok: false,
      code: 'SCHEDULE_TOO_FREQUENT',
    });
    expect(
      await createSchedule(q, {
        target: { all: false, customerId: 'nobody' },
        cadence: 'daily',
        actor: ADMIN,
      }),
    ).toMatchObject({ ok: false, code: 'CUSTOMER_NOT_FOUND' });
    expect(await db.prisma.jobSchedule.count()).toBe(0);
  });
});

describe('scheduled validate-then-request', () => {
  it('validates, posts the result and an approval request, and waits for an approver by default', async () => {
    const customerId = await customerWithHistory('Waiting Co', [['2026-02-01', 5, 7]]);
    await jobs.enqueueValidation(customerId);
    const approval = await eventually('the approval request', async () =>
      notifier.of('approval_request').find((n) => n.scope === customerId),
    );
    expect(approval).toMatchObject({ autoApproved: false, approveCommand: `approve ${approval.runId}` });
    expect(notifier.of('validation').find((n) => n.runId === approval.runId)).toMatchObject({ clean: true });
    expect((await getRun(db.prisma, approval.runId))!.state).toBe('upload_requested');
  });

  it('with the auto-approve policy on, approves and uploads increases within the limit only', async () => {
    await writeAutoApprovePolicy(
      db.prisma,
      { enabled: true, increasesOnly: true, maxUnitsPerCustomer: 10 },
      ADMIN,
    );
    try {
      const small = await customerWithHistory('Small Increase Co', [['2026-02-01', 5, 7]]);
      await jobs.enqueueValidation(small);
      const approval = await eventually('the auto-approval', async () =>
        notifier.of('approval_request').find((n) => n.scope === small),
      );
      expect(approval.autoApproved).toBe(true);
      await eventually(
        'the upload',
        async () => (await getRun(db.prisma, approval.runId))!.state === 'succeeded',
      );
      expect((await getRun(db.prisma, approval.runId))!.decidedBy).toBe('system:auto-approve');

      // every customer maps to the same Autotask line here: start that line afresh
      sandbox.controls.reset();
      const decrease = await customerWithHistory('Decrease Co', [['2026-02-01', 5, 3]]);
      await jobs.enqueueValidation(decrease);
      const waiting = await eventually('the approval request', async () => {
        if (process.env.JOBS_TEST_LOG)
          console.log(JSON.stringify(notifier.notices.filter((n) => 'scope' in n && n.scope === decrease)));
        return notifier.of('approval_request').find((n) => n.scope === decrease);
      });
      expect(waiting.autoApproved).toBe(false);
      expect((await getRun(db.prisma, waiting.runId))!.state).toBe('upload_requested');
    } finally {
      await writeAutoApprovePolicy(
        db.prisma,
        { enabled: false, increasesOnly: true, maxUnitsPerCustomer: 0 },
        ADMIN,
      );
    }
  });
});

describe('approval expiry', () => {
  it('expires requests and approvals past their time, audited, and says so', async () => {
    const customerId = 'expiring';
    const sub = subscription({ id: 'exp-a', customerId });
    const { runId } = await approvedRun(db.prisma, {
      customerId,
      subscriptions: [sub],
      events: [created('2026-01-05', 5, sub.id), quantity('2026-02-01', 5, 6, sub.id)],
      existingLines: [],
    });
    await db.prisma.syncRun.update({
      where: { id: runId },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
    await db.prisma
      .$executeRaw`UPDATE agenda_jobs SET next_run_at = now() WHERE name = ${JOB.expireApprovals}`;
    await eventually('the expiry', async () => (await getRun(db.prisma, runId))!.state === 'expired');
    const audit = await listAudit(db.prisma, { runId, action: 'upload.expired' });
    expect(audit).toEqual([expect.objectContaining({ actorId: 'system:approval-expiry' })]);
    await eventually('the expiry notice', async () =>
      notifier.of('outcome').some((n) => n.runId === runId && n.outcome === 'expired'),
    );
  });
});
