// A process killed mid-upload leaves its run `uploading` with an operation `sending`: the next
// worker to start queues the run's upload job again (once, however many workers start) and the
// ledger finishes it — the line the dead worker created is recognised, not created twice.
// Real PostgreSQL, Agenda and the sandbox over HTTP.
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { JOB } from '../../../src/jobs/jobNames.js';
import type { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { RecordingNotifier } from '../../helpers/recordingNotifier.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { getRun } from '../../../src/sync/runStore.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { startTestScheduler } from '../../helpers/jobsHarness.js';
import { eventually } from '../../helpers/eventually.js';
import { created, quantity, subscription } from '../../helpers/syncFixtures.js';
import { uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
const workers: JobScheduler[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await sandbox?.stop();
  await db?.drop();
});

const startWorker = async (name: string) => {
  const worker = await startTestScheduler({
    databaseUrl: db.url,
    prisma: db.prisma,
    notifier: new RecordingNotifier(),
    client: clientFor(sandbox),
    zoneUrl: sandbox.zoneUrl,
    workerName: name,
  });
  workers.push(worker);
  return worker;
};

it('a run a crash left uploading resumes when workers start, once, with no duplicate in Autotask', async () => {
  const customerId = 'acme-crash';
  await db.prisma.customer.create({ data: { id: customerId, name: 'Acme Crashed', externalId: 'x-crash' } });
  const a = subscription({ id: 'crash-a', customerId });
  const { runId, operations } = await uploadingRun(db.prisma, {
    customerId,
    subscriptions: [a],
    events: [created('2026-01-05', 5, a.id), quantity('2026-02-01', 5, 8, a.id)],
    existingLines: [],
  });
  // the dead worker had marked the new line `sending` and the request reached Autotask
  const [first] = await loadRunOperations(db.prisma, runId);
  expect(first!.kind).toBe('create_line');
  await db.prisma.syncOperationRecord.update({ where: { id: first!.id }, data: { status: 'sending' } });
  const line = await clientAutotaskGateway(clientFor(sandbox)).createContractService({
    contractId: first!.contractId,
    serviceId: first!.serviceId,
    unitPrice: '22.00',
  });
  expect(line.ok).toBe(true);
  const writesBefore = sandbox.controls.writeLog().filter((w) => w.status === 200).length;

  // two workers start (a bot restarted, a second replica): the run is resumed by one job
  await Promise.all([startWorker('resume-1'), startWorker('resume-2')]);
  await eventually(
    'the resumed run to succeed',
    async () => (await getRun(db.prisma, runId))!.state === 'succeeded',
  );
  const ops = await loadRunOperations(db.prisma, runId);
  expect(ops.map((o) => o.status)).toEqual(Array.from({ length: operations }, () => 'done'));
  // only what the dead worker had not sent went out: no second line, each adjustment once
  const writes = sandbox.controls
    .writeLog()
    .filter((w) => w.status === 200)
    .slice(writesBefore);
  expect(writes).toHaveLength(operations - 1);
  expect(writes.filter((w) => /Services$/.test(w.route))).toHaveLength(0);

  const jobs = await db.prisma.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM agenda_jobs WHERE name = ${JOB.uploadRun} AND data->>'runId' = ${runId}`;
  expect(jobs).toHaveLength(1);
  // the run turns `succeeded` inside the job; the execution record is closed just after it returns
  const outcomes = async () =>
    (await db.prisma.jobExecution.findMany({ where: { jobName: JOB.uploadRun, jobId: jobs[0]!.id } })).map(
      (e) => e.outcome,
    );
  await eventually('the job execution to be recorded', async () => !(await outcomes()).includes('running'));
  expect(await outcomes()).toEqual(['succeeded']);

  // a worker starting later finds nothing to resume (start() returns once its resume scan is done)
  await startWorker('resume-3');
  const after = await db.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM agenda_jobs WHERE name = ${JOB.uploadRun} AND data->>'runId' = ${runId}`;
  expect(Number(after[0]!.n)).toBe(1);
}, 60_000);
