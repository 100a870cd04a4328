// Real worker processes on one database (Agenda's postgres backend, LISTEN/NOTIFY):
// - two workers: every job runs exactly once, and uploads to the one Autotask database never
//   overlap — each customer writes to its own contract, and the sandbox's write log shows each
//   contract's writes in a time span no other contract's writes fall into;
// - a schedule made while a worker runs survives the worker's restart and fires after it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/sandboxServer.js';
import { JobScheduler } from '../../src/jobs/jobScheduler.js';
import { JOB } from '../../src/jobs/jobNames.js';
import { chooseJobsBackend } from '../../src/jobs/jobsBackend.js';
import { RecordingNotifier } from '../helpers/recordingNotifier.js';
import { createSchedule } from '../../src/useCases/scheduleValidation.js';
import { createLogger } from '../../src/observability/logger.js';
import { getRun } from '../../src/sync/runStore.js';
import { startTestSandbox } from '../helpers/autotaskSandbox.js';
import { eventually } from '../helpers/eventually.js';
import { created, quantity, subscription } from '../helpers/syncFixtures.js';
import { uploadingRun } from '../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const WORKER = path.resolve('test/helpers/jobsWorker.ts');
const CUSTOMERS = 6;

let db: TestDatabase;
let sandbox: RunningSandbox;
let producer: JobScheduler;

const contract = (id: number, name: string) => ({
  id,
  companyID: 1,
  contractName: name,
  contractType: 7,
  contractPeriodType: id === 200 ? 5 : 2,
  status: 1,
  startDate: '2026-01-01',
  endDate: '2026-12-31',
});

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox({
    companies: [{ id: 1, companyName: 'Acme Corporation, Inc.' }],
    contracts: [
      contract(100, 'Acme monthly'),
      contract(200, 'Acme yearly'),
      ...Array.from({ length: CUSTOMERS }, (_, i) => contract(101 + i, `Customer ${i + 1} monthly`)),
    ],
    services: [
      { id: 11, name: 'Microsoft 365 Business Premium', unitPrice: '22.00', periodType: 2 },
      { id: 12, name: 'Microsoft 365 Business Premium (annual)', unitPrice: '250.80', periodType: 5 },
    ],
  });
  producer = await JobScheduler.create({
    prisma: db.prisma,
    logger: createLogger({ level: 'silent', format: 'json', secrets: [] }),
    notifier: new RecordingNotifier(),
    backend: chooseJobsBackend({ jobsDatabaseUrl: undefined, databaseUrl: db.url }),
    databaseUrl: db.url,
    autotask: undefined,
  });
  await producer.connect();
});
afterAll(async () => {
  await producer?.stop();
  await sandbox?.stop();
  await db?.drop();
});

interface Worker {
  child: ChildProcess;
  output(): string;
  notices(): { kind: string; runId?: string | null }[];
  exited: Promise<number | null>;
}

async function startWorker(name: string): Promise<Worker> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      WORKER,
      JSON.stringify({ databaseUrl: db.url, zoneUrl: sandbox.zoneUrl, worker: name }),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' },
    },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const worker: Worker = {
    child,
    output: () => output,
    notices: () =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{"notice"'))
        .map((l) => (JSON.parse(l) as { notice: { kind: string; runId?: string | null } }).notice),
    exited,
  };
  await eventually(
    `worker ${name} to be ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`worker ${name} exited: ${output}`);
      return output.includes('ready');
    },
    30_000,
  );
  return worker;
}

async function stopWorker(worker: Worker): Promise<void> {
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
}

describe('two worker processes on one database', () => {
  it('run each job exactly once, and never two uploads to one Autotask database at a time', async () => {
    sandbox.controls.reset();
    // each write takes a while, so overlapping uploads would interleave in the write log
    sandbox.controls.setLatency(15);
    const runs: { runId: string; contractId: number; operations: number }[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const customerId = `cust-${i + 1}`;
      const contractId = 101 + i;
      const sub = subscription({ id: `${customerId}-bp`, customerId });
      const { runId, operations } = await uploadingRun(db.prisma, {
        customerId,
        subscriptions: [sub],
        events: [
          created('2026-01-05', 5, sub.id),
          quantity('2026-02-01', 5, 8, sub.id),
          quantity('2026-03-01', 8, 6, sub.id),
          quantity('2026-04-01', 6, 9, sub.id),
        ],
        existingLines: [],
        targets: {
          companyId: 1,
          contracts: { monthly: contractId, annual: null },
          services: [
            { productName: 'Microsoft 365 Business Premium', billingCycle: 'monthly', serviceId: 11 },
          ],
        },
      });
      runs.push({ runId, contractId, operations });
    }

    // queued before the workers start: a run `uploading` with no job would be a crashed upload,
    // which a starting worker resumes on its own (resumeUpload.test.ts)
    for (const run of runs) await producer.enqueueUpload(run.runId);
    const [w1, w2] = [await startWorker('worker-1'), await startWorker('worker-2')];
    try {
      await eventually(
        'every upload to finish',
        async () => {
          for (const run of runs)
            if ((await getRun(db.prisma, run.runId))!.state !== 'succeeded') return false;
          return true;
        },
        120_000,
      );
      // the deliveries the uploads queued
      await eventually('the notices to be delivered', async () =>
        (await db.prisma.jobNotification.count({ where: { status: { not: 'sent' } } })) === 0 ? true : null,
      );
    } finally {
      await stopWorker(w1);
      await stopWorker(w2);
    }

    // every job ran once: one execution per Agenda job, none failed
    const executions = await db.prisma.jobExecution.findMany();
    const perJob = new Map<string, number>();
    for (const e of executions) perJob.set(e.jobId, (perJob.get(e.jobId) ?? 0) + 1);
    const twice = executions.filter((e) => perJob.get(e.jobId)! > 1);
    expect(
      twice.map(
        (e) =>
          `${e.jobName} ${e.jobId} ${e.worker} #${e.attempt} ${e.outcome} ${e.problem ? JSON.stringify(e.problem) : ''}`,
      ),
    ).toEqual([]);
    expect(
      executions
        .filter((e) => e.outcome !== 'succeeded')
        .map(
          (e) =>
            `${e.jobName} ${e.jobId} ${e.worker} #${e.attempt} ${e.outcome} ${JSON.stringify(e.problem)}`,
        ),
    ).toEqual([]);
    const uploads = executions.filter((e) => e.jobName === JOB.uploadRun);
    expect(uploads).toHaveLength(CUSTOMERS);
    const deliveries = executions.filter((e) => e.jobName === JOB.deliverNotification);
    expect(deliveries).toHaveLength(await db.prisma.jobNotification.count());
    // every notice was printed by exactly one worker
    const printed = [...w1.notices(), ...w2.notices()];
    expect(printed).toHaveLength(deliveries.length);

    // the sandbox's write log: each successful write belongs to one contract (= one upload)
    const snapshot = sandbox.controls.snapshot();
    const lineContract = new Map(
      snapshot.contractServices.map((l) => [l.id as number, l.contractID as number]),
    );
    const adjustments = [...snapshot.adjustments];
    const spans = new Map<number, { first: string; last: string; writes: number }>();
    for (const write of sandbox.controls.writeLog().filter((w) => w.status === 200)) {
      const contractId =
        write.route === 'POST Contracts/Services'
          ? lineContract.get(write.itemId!)!
          : adjustments.shift()!.contractID;
      const span = spans.get(contractId) ?? { first: write.at, last: write.at, writes: 0 };
      span.last = write.at;
      span.writes += 1;
      spans.set(contractId, span);
    }
    expect([...spans.keys()].sort()).toEqual(runs.map((r) => r.contractId).sort());
    for (const run of runs) expect(spans.get(run.contractId)!.writes).toBe(run.operations);
    const ordered = [...spans.entries()].sort((a, b) => (a[1].first < b[1].first ? -1 : 1));
    for (let i = 1; i < ordered.length; i++)
      expect(ordered[i - 1]![1].last <= ordered[i]![1].first).toBe(true);

    const byWorker = (name: string) => uploads.filter((u) => u.worker === name).length;
    process.stdout.write(
      `two workers: ${executions.length} job executions, each job once; uploads by worker-1: ${byWorker('worker-1')}, worker-2: ${byWorker('worker-2')}\n` +
        ordered.map(([c, s]) => `  contract ${c}: ${s.writes} writes ${s.first} → ${s.last}`).join('\n') +
        '\n',
    );
  }, 180_000);
});

describe('a schedule across a restart', () => {
  it('is kept by the database and fires on the worker started after the restart', async () => {
    sandbox.controls.reset();
    sandbox.controls.setLatency(0);
    const customer = await db.prisma.customer.create({
      data: { name: 'Restart Corp', externalId: 'tenant-restart' },
    });
    await db.prisma.subscription.create({
      data: {
        id: 'restart-bp',
        customerId: customer.id,
        productName: 'Microsoft 365 Business Premium',
        billingCycle: 'monthly',
        billingType: 'quantity',
        status: 'active',
        quantity: 7,
        unitPrice: '22.00',
        currency: 'USD',
      },
    });
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: 'restart-bp',
        effectiveDate: '2026-01-05',
        kind: 'created',
        quantityAfter: 7,
        priceAfter: '22',
        billingCycleAfter: 'monthly',
        idempotencyKey: 'restart-bp-1',
        source: 'test',
      },
    });

    const before = await startWorker('before-restart');
    const created = await createSchedule(
      { prisma: db.prisma, queue: producer },
      { target: { all: false, customerId: customer.id }, cadence: 'daily', actor: { id: 'cli:admin' } },
    );
    if (!created.ok) throw new Error(created.message);
    const scheduleId = created.schedule.id;
    expect(created.schedule.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    await stopWorker(before);

    // while no worker runs, 02:00 UTC comes: the job is due when the next worker starts
    const due = await db.prisma.$executeRaw`
      UPDATE agenda_jobs SET next_run_at = now() - interval '1 minute' WHERE data->>'scheduleId' = ${scheduleId}`;
    expect(due).toBe(1);

    const after = await startWorker('after-restart');
    try {
      const execution = await eventually('the scheduled job to run after the restart', async () =>
        db.prisma.jobExecution.findFirst({
          where: { jobName: JOB.validateThenRequest, outcome: 'succeeded' },
        }),
      );
      expect(execution.worker).toBe('after-restart');
      const run = await db.prisma.syncRun.findFirstOrThrow({ where: { scope: customer.id } });
      expect(run).toMatchObject({
        createdBy: 'system:scheduler',
        state: 'upload_requested',
        requestedBy: 'system:scheduler',
      });
      await eventually('the approval request to be posted', async () =>
        after.notices().some((n) => n.kind === 'approval_request' && n.runId === run.id),
      );
      // still scheduled, next time tomorrow
      const next = await producer.nextRunAt(scheduleId);
      expect(next!.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await stopWorker(after);
    }
  }, 120_000);
});

describe('graceful shutdown during an upload', () => {
  it('stops at a safe point within the budget, hands the job back, and the next worker finishes it exactly once', async () => {
    sandbox.controls.reset();
    // slow Autotask: the upload is surely running when the signal comes
    sandbox.controls.setLatency(250);
    const customerId = 'cust-shutdown';
    const sub = subscription({ id: `${customerId}-bp`, customerId });
    const { runId, operations } = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: [sub],
      events: [
        created('2026-01-05', 5, sub.id),
        quantity('2026-02-01', 5, 8, sub.id),
        quantity('2026-03-01', 8, 6, sub.id),
        quantity('2026-04-01', 6, 9, sub.id),
        quantity('2026-05-01', 9, 12, sub.id),
      ],
      existingLines: [],
      targets: {
        companyId: 1,
        contracts: { monthly: 101, annual: null },
        services: [{ productName: 'Microsoft 365 Business Premium', billingCycle: 'monthly', serviceId: 11 }],
      },
    });
    // queued first: the worker takes the job, it does not resume the run as a crashed one
    await producer.enqueueUpload(runId);
    const first = await startWorker('stopping-worker');
    await eventually('the first write', async () => sandbox.controls.writeLog().length >= 1);
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const stopMs = Date.now() - signalled;
    expect(stopMs).toBeLessThan(10_000);
    const writesAtStop = sandbox.controls.writeLog().length;
    expect(writesAtStop).toBeLessThan(operations);
    expect((await getRun(db.prisma, runId))!.state).toBe('uploading');

    sandbox.controls.setLatency(0);
    const second = await startWorker('resuming-worker');
    try {
      await eventually(
        'the resumed upload',
        async () => (await getRun(db.prisma, runId))!.state === 'succeeded',
        60_000,
      );
    } finally {
      await stopWorker(second);
    }
    const log = sandbox.controls.writeLog();
    expect(log.filter((w) => w.status >= 400)).toEqual([]);
    expect(log).toHaveLength(operations);
    const uploads = await db.prisma.jobExecution.findMany({
      where: { jobName: JOB.uploadRun, worker: { in: ['stopping-worker', 'resuming-worker'] } },
      orderBy: { startedAt: 'asc' },
    });
    expect(uploads.map((u) => [u.worker, u.outcome])).toEqual([
      ['stopping-worker', 'running'],
      ['resuming-worker', 'succeeded'],
    ]);
    process.stdout.write(
      `graceful shutdown: stopped in ${stopMs} ms after ${writesAtStop} of ${operations} writes; the next worker sent the other ${operations - writesAtStop}\n`,
    );
  }, 120_000);
});
