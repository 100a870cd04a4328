// `verify tenant` in chat, over the real services, job worker, PostgreSQL and an "odd tenant"
// sandbox (the demo seed, a probe contract, and a repeat service POST that is accepted): admins
// only; the write probe waits behind a confirmation only its asker may give; the flipped
// behaviour is named, `status` shows it, and an approved upload is then refused by the engine
// with TENANT_BEHAVIOUR_CONTRADICTED, writing nothing to Autotask.
import { composeAppServices, type AppServices } from '../../../src/app/appServices.js';
import { SYSTEM_ACTOR } from '../../../src/audit/actor.js';
import { listAudit } from '../../../src/audit/auditLog.js';
import type { ChatReply } from '../../../src/chat/cardModel.js';
import { ChatRouter } from '../../../src/chat/chatRouter.js';
import { renderCardAsText } from '../../../src/chat/console/textRenderer.js';
import { DeliveryLedger } from '../../../src/chat/deliveryLedger.js';
import type { Identity } from '../../../src/chat/identity.js';
import { RoleStore } from '../../../src/chat/roleStore.js';
import { loadConfig } from '../../../src/config.js';
import { importDemoPartner } from '../../../src/demo/demoPartner.js';
import type { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { createJobs } from '../../../src/jobs/startJobs.js';
import { createLogger } from '../../../src/observability/logger.js';
import { buildDemoSeedInput } from '../../../src/sandbox/demoSeed.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { connectionTo, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const ADMIN: Identity = 'slack:T1:UADMIN';
const OTHER_ADMIN: Identity = 'slack:T1:UADMIN2';
const PROBE_CONTRACT = 9000;

let db: TestDatabase;
let sandbox: RunningSandbox;
let app: AppServices;
let jobs: JobScheduler;
let router: ChatRouter;

const say = (id: Identity, text: string, via: 'typed' | 'click' = 'typed'): Promise<ChatReply> =>
  router.handle({ actor: { id }, text, via, channel: null, prefix: '/autotask ' });
const textOf = (reply: ChatReply) => reply.cards.map((c) => renderCardAsText(c)).join('\n');
const writes = () => sandbox.controls.writeLog().length;

beforeAll(async () => {
  db = await createTestDatabase();
  const demo = buildDemoSeedInput();
  sandbox = await startTestSandbox({
    ...demo,
    contracts: [
      ...demo.contracts!,
      {
        id: PROBE_CONTRACT,
        companyID: 140,
        contractName: 'Autotask bot VERIFY probe',
        contractType: 7,
        contractPeriodType: 2,
        status: 1,
        startDate: '2025-01-01',
        endDate: '2099-12-31',
      },
    ],
    tenantQuirks: { repeatServicePost: 'accepted' },
  });
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
  const logger = createLogger({ level: 'silent', format: 'json', secrets: [] });
  const autotask = connectionTo(sandbox);
  app = composeAppServices({ config, prisma: db.prisma, logger, autotask, jobs: async () => jobs });
  jobs = await createJobs({
    config,
    database: { prisma: db.prisma, url: db.url },
    autotask,
    logger,
    planning: app.planning,
    prepareUpload: (runId) => app.prepareUpload(runId),
    processEveryMs: 200,
  });
  await jobs.start();
  router = new ChatRouter({
    services: app.chat,
    roles: new RoleStore(db.prisma, [ADMIN, OTHER_ADMIN]),
    ledger: new DeliveryLedger(db.prisma),
    logger,
  });
  for (const [user, role] of [
    ['UVIEW', 'viewer'],
    ['UALICE', 'approver'],
    ['UBOB', 'approver'],
  ])
    expect(textOf(await say(ADMIN, `grant slack:T1:${user} ${role}`))).toContain(`is now ${role}`);
  await importDemoPartner(db.prisma, { endDate: '2026-11-20', actor: SYSTEM_ACTOR });
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await sandbox?.stop();
  await db?.drop();
});

describe('verify tenant in chat', () => {
  it('is for admins: a viewer is refused, and the refusal audited', async () => {
    const reply = await say('slack:T1:UVIEW', 'verify tenant');
    expect(reply.denied).toBe(true);
    expect(textOf(reply)).toMatch(/admin/);
    const denied = await listAudit(db.prisma, { action: 'chat.denied' });
    expect(denied[0]!.details).toMatchObject({ command: 'verify', reason: 'role' });
    expect(await db.prisma.tenantFact.count()).toBe(0);
  });

  it('read-only: one line per check, all ok against the sandbox, the behaviours not probed yet', async () => {
    const reply = await say(ADMIN, 'verify tenant');
    const card = reply.cards[0]!;
    expect(card.kind).toBe('tenant-verification');
    const table = card.blocks.find((b) => b.type === 'table');
    if (table?.type !== 'table') throw new Error('no table');
    const results = Object.fromEntries(table.rows.map((r) => [r[0], r[1]]));
    expect(results).toMatchObject({
      zone: '✅ ok',
      credentials: '✅ ok',
      'permission ContractServiceAdjustments': '✅ ok',
      'fields of ContractServiceUnits': '✅ ok',
      "validate's read of Contracts": '✅ ok',
      'behaviour repeatServicePost (uploads rely on it)': '➖ cannot check',
    });
    expect(table.rows.filter((r) => r[1] === '❌ differs')).toEqual([]);
    expect(writes()).toBe(0);
    expect(textOf(await say('slack:T1:UVIEW', 'status'))).toMatch(
      /Tenant:.*verified .* by slack:T1:UADMIN \(read-only/,
    );
  });

  it('refuses to probe a contract not named for testing, writing nothing', async () => {
    const reply = await say(ADMIN, 'verify tenant write-probe 500');
    expect(textOf(reply)).toContain('PROBE_CONTRACT_NOT_FOR_TESTING');
    expect(textOf(reply)).toContain('"verify"');
    expect(writes()).toBe(0);
  });

  it('asks the asker to confirm; another admin cannot; the confirmed probe names the flipped behaviour', async () => {
    const ask = await say(ADMIN, 'verify tenant write-probe 9000');
    const card = ask.cards[0]!;
    expect(card.kind).toBe('write-probe-confirmation');
    const actions = card.blocks.find((b) => b.type === 'actions');
    if (actions?.type !== 'actions') throw new Error('no button');
    const button = actions.elements[0]!;
    if (button.type !== 'button') throw new Error('not a button');
    expect(button.command).toMatch(
      new RegExp(`^verify tenant write-probe 9000 service \\d+ confirm ${ADMIN}$`),
    );
    expect(button.confirm).toBeDefined();
    expect(writes()).toBe(0);

    const stolen = await say(OTHER_ADMIN, button.command, 'click');
    expect(stolen.denied).toBe(true);
    expect(textOf(stolen)).toContain(`Only ${ADMIN}, who asked for this write probe, may confirm it`);
    expect(writes()).toBe(0);

    const ran = await say(ADMIN, button.command, 'click');
    const text = textOf(ran);
    expect(ran.cards[0]!.kind).toBe('tenant-verification');
    expect(text).toMatch(
      /behaviour repeatServicePost \(uploads rely on it\).*❌ differs.*accepted: a second line/,
    );
    expect(text).toContain(
      'Uploads to this tenant are refused (TENANT_BEHAVIOUR_CONTRADICTED): it contradicts repeatServicePost.',
    );
    expect(text).toContain('Left behind in Autotask');
    expect(writes()).toBeGreaterThan(0);
    const facts = await db.prisma.tenantFact.findUniqueOrThrow({
      where: {
        databaseKey_behaviour: {
          databaseKey: (await db.prisma.tenantFact.findFirstOrThrow()).databaseKey,
          behaviour: 'repeatServicePost',
        },
      },
    });
    expect(facts).toMatchObject({ holds: false, source: 'write-probe', checkedBy: ADMIN });
    expect(textOf(await say('slack:T1:UVIEW', 'status'))).toContain(
      'uploads refused: contradicts repeatServicePost',
    );
  });

  it('an approved upload to the contradicted tenant is refused before anything is written', async () => {
    const acme = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Acme Corp' } });
    await app.chat.mappingOf({ customerId: acme.id });
    await app.chat.mapProduct({
      customerId: acme.id,
      product: 'Microsoft 365 Copilot',
      service: '1004',
      actor: { id: 'slack:T1:UALICE' },
    });
    const validation = await app.chat.validate({
      target: { all: false, customerId: acme.id },
      actor: { id: 'slack:T1:UALICE' },
    });
    expect(validation.ok).toBe(true);
    expect(
      await app.chat.requestUpload({ runId: validation.runId, actor: { id: 'slack:T1:UALICE' } }),
    ).toMatchObject({ ok: true });
    const before = writes();
    expect(await app.chat.approve({ runId: validation.runId, actor: { id: 'slack:T1:UBOB' } })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(await jobs.waitForUpload(validation.runId, 60_000)).toBe(true);
    const run = await app.chat.runDetail({ runId: validation.runId });
    expect(run).toMatchObject({ run: { state: 'failed' } });
    // every operation waits, its ledger row naming why (the failure notice shows these problems)
    const ops = await db.prisma.syncOperationRecord.findMany({ where: { runId: validation.runId } });
    expect(ops).toHaveLength(run!.run.operations);
    for (const op of ops) {
      expect(op.status).toBe('planned');
      expect(op.problem).toMatchObject({
        code: 'TENANT_BEHAVIOUR_CONTRADICTED',
        message: expect.stringContaining('repeatServicePost'),
      });
    }
    expect(writes()).toBe(before);
  }, 90_000);
});
