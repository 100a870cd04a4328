// In the bot an approval starts the upload in the bot's own process and answers at once (the
// approver's click must not wait for hundreds of Autotask calls); shutdown drains it. Real
// PostgreSQL and the demo sandbox over HTTP, slowed down so the upload is still running when the
// approval has been answered.
import { SYSTEM_ACTOR } from '../../src/audit/actor.js';
import { composeAppServices, type AppServices } from '../../src/app/appServices.js';
import { buildDemoSeedInput } from '../../src/autotask/sandbox/demoSeed.js';
import type { RunningSandbox } from '../../src/autotask/sandbox/sandboxServer.js';
import type { ChatServices } from '../../src/chat/chatServices.js';
import { loadConfig } from '../../src/config.js';
import { importDemoPartner } from '../../src/demo/demoPartner.js';
import { createLogger } from '../../src/observability/logger.js';
import { clientFor, startTestSandbox } from '../helpers/autotaskSandbox.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let app: AppServices;
let chat: ChatServices;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(buildDemoSeedInput());
  app = composeAppServices({
    config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }),
    prisma: db.prisma,
    logger: createLogger({ level: 'silent', format: 'json', secrets: [] }),
    autotask: { client: clientFor(sandbox), sandbox: undefined, stop: async () => undefined },
    waitForUploads: false,
  });
  chat = app.chat as ChatServices;
  await importDemoPartner(db.prisma, { endDate: '2026-11-20', actor: SYSTEM_ACTOR });
}, 60_000);

afterAll(async () => {
  await app?.drain(30_000);
  await sandbox?.stop();
  await db?.drop();
});

it('answers the approval while the upload runs, and the upload completes in the background', async () => {
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
  expect(approval).toMatchObject({ ok: true, run: { state: 'uploading', decidedBy: 'cli:bob' } });
  expect(app.uploads.inFlight()).toHaveLength(1);

  sandbox.controls.setLatency(0);
  await app.drain(60_000);
  expect(app.uploads.inFlight()).toHaveLength(0);
  const run = await chat.getRun({ runId: validation.runId });
  expect(run).toMatchObject({ state: 'succeeded', outcome: { failed: 0 } });
  expect(run!.outcome!.succeeded).toBe(run!.operations);
}, 90_000);
