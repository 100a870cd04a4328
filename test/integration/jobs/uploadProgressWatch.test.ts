// What a process waiting for an upload (the CLI's `approve`) is told of it: the progress notices
// the upload job stores for chat, read from the outbox — operations done of all, and failures —
// ending with where the upload ended; a later wait is not told an earlier attempt's progress.
import type { Progress } from '../../../src/core/progress.js';
import type { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { listNotices } from '../../../src/jobs/notificationOutbox.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { startTestScheduler } from '../../helpers/jobsHarness.js';
import { RecordingNotifier } from '../../helpers/recordingNotifier.js';
import { created, quantity, subscription } from '../../helpers/syncFixtures.js';
import { uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let jobs: JobScheduler;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  jobs = await startTestScheduler({
    databaseUrl: db.url,
    prisma: db.prisma,
    notifier: new RecordingNotifier(),
    client: clientFor(sandbox, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 1 } }),
    zoneUrl: sandbox.zoneUrl,
  });
});
afterAll(async () => {
  await jobs.stop();
  await sandbox.stop();
  await db.drop();
});

it('tells the waiting process operations done of all and the failures, ending where the upload ended', async () => {
  const customerId = 'acme-progress';
  await db.prisma.customer.create({
    data: { id: customerId, name: 'Acme Progress', externalId: 'x-progress' },
  });
  const a = subscription({ id: 'progress-a', customerId });
  const { runId, operations } = await uploadingRun(db.prisma, {
    customerId,
    subscriptions: [a],
    events: [created('2026-01-05', 5, a.id), quantity('2026-02-01', 5, 8, a.id)],
    existingLines: [],
  });
  // every adjustment fails (a 500 without errors, nothing arrived): those operations are not done
  sandbox.controls.setFaults({ rate: 1, kinds: ['500'], endpoints: ['POST Contracts/ServiceAdjustments'] });

  const seen: Progress[] = [];
  await jobs.enqueueUpload(runId);
  expect(await jobs.waitForUpload(runId, 60_000, 20, (p) => seen.push(p))).toBe(true);
  sandbox.controls.clearFaults();

  const ops = await loadRunOperations(db.prisma, runId);
  // not done: failed, or left `sending` with its outcome unknown, or never sent
  const done = ops.filter((o) => o.status === 'done' || o.status === 'skipped').length;
  const failed = operations - done;
  expect(failed).toBeGreaterThan(0);
  expect(seen[0]).toEqual({ done: 0, total: operations, failed: 0 });
  expect(seen.at(-1)).toEqual({ done, total: operations, failed });
  // chat's last progress notice says the same
  const stored = await listNotices(db.prisma, { kind: 'progress', runId });
  expect(stored.at(-1)!.notice).toMatchObject({ kind: 'progress', done, total: operations, failed });

  // waiting again (nothing runs): the earlier attempt's notices are not told
  const again: Progress[] = [];
  expect(await jobs.waitForUpload(runId, 5_000, 20, (p) => again.push(p))).toBe(true);
  expect(again).toEqual([]);
});
