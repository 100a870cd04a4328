// Upload jobs on real PostgreSQL (Agenda's postgres backend) against the sandbox over HTTP:
// a failing upload gives exactly one failure notification — even while the chat platform
// refuses deliveries — and its Retry command re-attempts the run to success; a job that keeps
// throwing is retried by policy and ends failed with an audit record.
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { listAudit } from '../../../src/audit/auditLog.js';
import type { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { listNotices } from '../../../src/jobs/notificationOutbox.js';
import { RecordingNotifier } from '../../helpers/recordingNotifier.js';
import { retryRun } from '../../../src/useCases/retryRun.js';
import { JOB } from '../../../src/jobs/jobNames.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { getRun } from '../../../src/sync/runStore.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { startTestScheduler } from '../../helpers/jobsHarness.js';
import { eventually } from '../../helpers/eventually.js';
import { jobsSettled } from '../../helpers/jobQueue.js';
import { approvedRun } from '../../helpers/jobRuns.js';
import { created, quantity, subscription } from '../../helpers/syncFixtures.js';
import { uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let notifier: RecordingNotifier;
let jobs: JobScheduler;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  notifier = new RecordingNotifier();
  jobs = await startTestScheduler({
    databaseUrl: db.url,
    prisma: db.prisma,
    notifier,
    client: clientFor(sandbox, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 1 } }),
    zoneUrl: sandbox.zoneUrl,
  });
});
afterAll(async () => {
  await jobs.stop();
  await sandbox.stop();
  await db.drop();
});

describe('a failing upload', () => {
  it('sends exactly one failure notification, and its Retry command finishes the run', async () => {
    const customerId = 'acme-fail';
    await db.prisma.customer.create({ data: { id: customerId, name: 'Acme Failing', externalId: 'x-fail' } });
    const a = subscription({ id: 'fail-a', customerId });
    const { runId, operations } = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: [a],
      events: [created('2026-01-05', 5, a.id), quantity('2026-02-01', 5, 8, a.id)],
      existingLines: [],
    });
    // every adjustment is answered with a 500 that carries no errors: the outcome is unknown,
    // the executor re-reads, finds nothing arrived, and gives up on the operation
    sandbox.controls.setFaults({ rate: 1, kinds: ['500'], endpoints: ['POST Contracts/ServiceAdjustments'] });
    // and the chat platform refuses the first two deliveries: they are retried, not duplicated
    notifier.refuseNext(2);

    await jobs.enqueueUpload(runId);
    await eventually('the failure notification', async () => notifier.of('failure').length > 0);
    expect((await getRun(db.prisma, runId))!.state).toMatch(/failed/);
    // a duplicate would come from a job still running or retrying: wait until none is
    await eventually('the jobs to settle', () => jobsSettled(db.prisma));
    const failures = notifier.of('failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      runId,
      customerName: 'Acme Failing',
      retryCommand: `retry ${runId}`,
      what: expect.stringMatching(/did not reach Autotask/),
    });
    expect(failures[0]!.errors.length).toBeGreaterThan(0);
    const stored = await listNotices(db.prisma, { kind: 'failure' });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'sent' });

    // the Retry button is `retry <run>`: what chat calls for it
    sandbox.controls.clearFaults();
    const retried = await retryRun({ prisma: db.prisma, queue: jobs }, { runId, actor: { id: 'cli:carol' } });
    expect(retried).toMatchObject({ ok: true });
    await eventually(
      'the retried run to succeed',
      async () => (await getRun(db.prisma, runId))!.state === 'succeeded',
    );
    const ops = await loadRunOperations(db.prisma, runId);
    expect(ops.every((o) => o.status === 'done')).toBe(true);
    expect(sandbox.controls.writeLog().filter((w) => w.status === 200)).toHaveLength(operations);
    await eventually('the success outcome', async () =>
      notifier.of('outcome').some((o) => o.runId === runId && o.outcome === 'succeeded'),
    );
    expect(notifier.of('failure')).toHaveLength(1);
    const audit = await listAudit(db.prisma, { runId });
    expect(audit.map((a) => a.action)).toContain('upload.retry_requested');
  });

  it('refuses to retry a run that did not fail, with a reason', async () => {
    const refused = await retryRun(
      { prisma: db.prisma, queue: jobs },
      { runId: 'r-nothere', actor: { id: 'cli:carol' } },
    );
    expect(refused).toMatchObject({ ok: false, code: 'RUN_NOT_FOUND' });
  });
});

describe('a job that throws', () => {
  it('is retried by policy and ends failed with an audit record and one notification', async () => {
    // a worker started without the validate use case (as this build ships until mapping is
    // wired) cannot re-check an approved plan, so its upload job throws every time
    const customerId = 'acme-throw';
    await db.prisma.customer.create({
      data: { id: customerId, name: 'Acme Throwing', externalId: 'x-throw' },
    });
    const a = subscription({ id: 'throw-a', customerId });
    const { runId } = await approvedRun(db.prisma, {
      customerId,
      subscriptions: [a],
      events: [created('2026-01-05', 5, a.id)],
      existingLines: [],
    });
    await jobs.enqueueUpload(runId);
    const failed = await eventually('the job.failed audit record', async () => {
      const records = await listAudit(db.prisma, { action: 'job.failed', runId });
      return records.length > 0 ? records : null;
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ outcome: 'failed', actorId: 'system:scheduler', customerId });
    expect(failed[0]!.details).toMatchObject({
      job: JOB.uploadRun,
      attempts: 3,
      code: 'JOBS_PLANNING_UNAVAILABLE',
    });
    const executions = await db.prisma.jobExecution.findMany({
      where: { jobName: JOB.uploadRun, jobId: { in: await jobIdsOf(runId) } },
      orderBy: { attempt: 'asc' },
    });
    // maxAttempts (3): the first try and two retries, each failed — then no more
    expect(executions.map((e) => [e.attempt, e.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    await eventually('the failure notification', async () =>
      notifier.of('failure').some((f) => f.runId === runId),
    );
    await eventually('the jobs to settle', () => jobsSettled(db.prisma));
    expect(notifier.of('failure').filter((f) => f.runId === runId)).toEqual([
      expect.objectContaining({
        customerName: 'Acme Throwing',
        retryCommand: `retry ${runId}`,
        errors: [expect.objectContaining({ code: 'JOBS_PLANNING_UNAVAILABLE' })],
      }),
    ]);
    expect((await getRun(db.prisma, runId))!.state).toBe('approved');
  });
});

async function jobIdsOf(runId: string): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM agenda_jobs WHERE name = ${JOB.uploadRun} AND data->>'runId' = ${runId}`;
  return rows.map((r) => r.id);
}
