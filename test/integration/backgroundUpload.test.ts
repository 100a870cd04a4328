// In the bot an approval queues the upload job and answers at once (the approver's click must not
// wait for hundreds of Autotask calls); the bot's job worker runs it, telling chat its progress.
// Real PostgreSQL, Agenda and the demo sandbox over HTTP, slowed down so the upload is still
// running when the approval has been answered.
import { SYSTEM_ACTOR } from '../../src/audit/actor.js';
import { composeAppServices, type AppServices } from '../../src/app/appServices.js';
import { buildDemoSeedInput } from '../../src/sandbox/demoSeed.js';
import type { RunningSandbox } from '../../src/sandbox/sandboxServer.js';
import type { ChatServices } from '../../src/chat/chatServices.js';
import { loadConfig } from '../../src/config.js';
import { importDemoPartner } from '../../src/demo/demoPartner.js';
import type { JobScheduler } from '../../src/jobs/jobScheduler.js';
import { createJobs } from '../../src/jobs/startJobs.js';
import { createLogger } from '../../src/observability/logger.js';
import { connectionTo, startTestSandbox } from '../helpers/autotaskSandbox.js';
import { eventually } from '../helpers/eventually.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let app: AppServices;
let chat: ChatServices;
let jobs: JobScheduler;
const progress: { state: string; done: number | undefined }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(buildDemoSeedInput());
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
  const logger = createLogger({ level: 'silent', format: 'json', secrets: [] });
  const autotask = connectionTo(sandbox);
  app = composeAppServices({ config, prisma: db.prisma, logger, autotask, jobs: async () => jobs });
  // what the bot's chat adapters hear: the approval card rewritten as the upload goes
  app.notifiers.push({
    approvalRequested: async () => undefined,
    runChanged: async (run) => void progress.push({ state: run.state, done: run.progress?.done }),
    runFailed: async () => undefined,
  });
  jobs = await createJobs({
    config,
    database: { prisma: db.prisma, url: db.url },
    autotask,
    logger,
    notifier: app.jobsNotifier,
    planning: app.planning,
    prepareUpload: (runId) => app.prepareUpload(runId),
    processEveryMs: 200,
    progressEveryMs: 100,
  });
  await jobs.start();
  chat = app.chat as ChatServices;
  await importDemoPartner(db.prisma, { endDate: '2026-11-20', actor: SYSTEM_ACTOR });
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await sandbox?.stop();
  await db?.drop();
});

it('answers the approval at once; the upload job completes it in the background, telling its progress', async () => {
  const acme = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Acme Corp' } });
  await chat.mappingOf({ customerId: acme.id });
  await chat.mapProduct({
    customerId: acme.id,
    product: 'Microsoft 365 Copilot',
    service: '1004',
    actor: { id: 'cli:alice' },
  });
  const validation = await chat.validate({
    target: { all: false, customerId: acme.id },
    actor: { id: 'cli:alice' },
  });
  expect(validation.ok).toBe(true);
  expect(await chat.requestUpload({ runId: validation.runId, actor: { id: 'cli:alice' } })).toMatchObject({
    ok: true,
  });

  sandbox.controls.setLatency(150);
  const approval = await chat.approve({ runId: validation.runId, actor: { id: 'cli:bob' } });
  expect(approval).toMatchObject({ ok: true, run: { state: 'approved', decidedBy: 'cli:bob' } });
  expect(await jobs.uploadPending(validation.runId)).toBe(true);
  // the card shows how far the upload got while it runs, not only its start and end
  await eventually('progress during the upload', async () =>
    progress.some((p) => p.state === 'uploading' && p.done! > 0),
  );

  sandbox.controls.setLatency(0);
  expect(await jobs.waitForUpload(validation.runId, 60_000)).toBe(true);
  await eventually('the outcome on the card', async () => progress.some((p) => p.state === 'succeeded'));
  const run = await chat.getRun({ runId: validation.runId });
  expect(run).toMatchObject({ state: 'succeeded', outcome: { failed: 0 } });
  expect(run!.outcome!.succeeded).toBe(run!.operations);
}, 90_000);
