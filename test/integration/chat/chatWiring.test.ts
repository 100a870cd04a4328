// Every command of docs/chat-ux.md through the router with the services main.ts and the CLI compose
// (src/app), on real PostgreSQL, Agenda and the demo sandbox over HTTP: each reaches its real use
// case (the port has every method), and each is refused to a person whose role is below
// the one it needs. Approvals run their upload job the way the CLI does (src/app/commandJobs.ts).
import { SYSTEM_ACTOR } from '../../../src/audit/actor.js';
import { composeAppServices } from '../../../src/app/appServices.js';
import { commandJobs, type CommandJobs } from '../../../src/app/commandJobs.js';
import { buildDemoSeedInput } from '../../../src/sandbox/demoSeed.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import type { ChatReply } from '../../../src/chat/cardModel.js';
import { ChatRouter } from '../../../src/chat/chatRouter.js';
import { COMMANDS } from '../../../src/chat/commandTable.js';
import { renderCardAsText } from '../../../src/chat/console/textRenderer.js';
import { DeliveryLedger } from '../../../src/chat/deliveryLedger.js';
import type { Identity } from '../../../src/chat/identity.js';
import { RoleStore } from '../../../src/chat/roleStore.js';
import { loadConfig } from '../../../src/config.js';
import { importDemoPartner } from '../../../src/demo/demoPartner.js';
import { createLogger } from '../../../src/observability/logger.js';
import { connectSources, type SourceConnections } from '../../../src/app/sourceConnections.js';
import { connectionTo, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const ADMIN: Identity = 'slack:T1:UADMIN';
const VIEWER: Identity = 'slack:T1:UVIEW';
const OPERATOR: Identity = 'slack:T1:UOPS';
const APPROVER: Identity = 'slack:T1:UAPP';
const APPROVER2: Identity = 'slack:T1:UAPP2';
const NOBODY: Identity = 'slack:T1:UNOBODY';

let db: TestDatabase;
let sandbox: RunningSandbox;
let router: ChatRouter;
let jobs: CommandJobs;
let sources: SourceConnections;
const said = new Set<string>();
const logger = createLogger({ level: 'silent', format: 'json', secrets: [] });

const say = (id: Identity, text: string): Promise<ChatReply> => {
  said.add(text.split(' ')[0]!);
  return router.handle({
    actor: { id },
    text,
    via: 'typed',
    channel: { platform: 'slack', id: 'C1', workspace: 'T1', label: '#billing' },
    prefix: '/autotask ',
  });
};
const textOf = (reply: ChatReply) => reply.cards.map((c) => renderCardAsText(c, '/autotask ')).join('\n');
const kinds = (reply: ChatReply) => reply.cards.map((c) => c.kind);

/** Reaches the use case: no "not available", no failure, not denied. */
async function works(id: Identity, text: string): Promise<string> {
  const reply = await say(id, text);
  expect({ text, kinds: kinds(reply) }).toEqual({
    text,
    kinds: expect.not.arrayContaining(['not-available', 'error', 'usage']),
  });
  expect(reply.denied).toBeFalsy();
  return textOf(reply);
}

async function denied(id: Identity, text: string): Promise<void> {
  const reply = await say(id, text);
  expect({ text, denied: reply.denied }).toEqual({ text, denied: true });
}

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(buildDemoSeedInput());
  const autotask = connectionTo(sandbox);
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
  // as the CLI composes them: an approval runs the upload job here and waits for it
  jobs = commandJobs({
    config,
    database: { prisma: db.prisma, url: db.url },
    autotask,
    logger,
    services: () => services,
  });
  // the demo's Pax8 stand-in, holding the partner the CSV below imports
  sources = await connectSources(config, { demoEndDate: '2026-11-20' });
  const services = composeAppServices({
    config,
    prisma: db.prisma,
    logger,
    autotask,
    jobs: jobs.queue,
    waitForUpload: jobs.waitForUpload,
    sources,
  });
  const roles = new RoleStore(db.prisma, [ADMIN]);
  router = new ChatRouter({
    services: services.chat,
    roles,
    ledger: new DeliveryLedger(db.prisma),
    logger,
  });
  await importDemoPartner(db.prisma, { endDate: '2026-11-20', actor: SYSTEM_ACTOR });
  for (const [user, role] of [
    [VIEWER, 'viewer'],
    [OPERATOR, 'operator'],
    [APPROVER, 'approver'],
    [APPROVER2, 'approver'],
  ] as const)
    expect(await works(ADMIN, `grant ${user} ${role}`)).toContain(`is now ${role}`);
}, 120_000);

afterAll(async () => {
  await jobs?.close();
  await sources?.close();
  await sandbox?.stop();
  await db?.drop();
});

describe('every chat command reaches a real use case, with roles enforced', () => {
  it('subscription sources: list, test, pull (what a file brought is not stored again), add, remove', async () => {
    await denied(NOBODY, 'sources');
    expect(await works(VIEWER, 'sources')).toContain('stand-in');
    await denied(VIEWER, 'source test pax8');
    expect(await works(OPERATOR, 'source test pax8')).toContain('Pax8 connection');
    const pulled = await works(OPERATOR, 'source sync pax8');
    expect(pulled).toMatch(/Events\W+0 new, [1-9][\d,]* already stored/);
    expect(await works(OPERATOR, 'source sync pax8 "Northwind Traders"')).toContain(
      'Pax8 pull of Northwind Traders',
    );
    expect(textOf(await say(OPERATOR, 'source sync partner-center'))).toContain('SOURCE_NOT_CONFIGURED');
    await denied(OPERATOR, 'source add pax8');
    expect(await works(ADMIN, 'source add pax8')).toContain('on (0 1 * * *)');
    expect(await db.prisma.setting.findUnique({ where: { key: 'source.pax8' } })).not.toBeNull();
    expect(await works(VIEWER, 'status')).toContain('daily pull on');
    await denied(OPERATOR, 'source remove pax8');
    expect(await works(ADMIN, 'source remove pax8')).toContain('Pax8 is off');
    expect(await db.prisma.setting.findUnique({ where: { key: 'source.pax8' } })).toBeNull();
    expect(textOf(await say(VIEWER, 'sources'))).not.toContain('on (0 1 * * *)');
  });

  it('connectivity, status, customers', async () => {
    expect(await works(ADMIN, 'help')).toContain('validate');
    await denied(VIEWER, 'test');
    expect(await works(OPERATOR, 'test')).toContain('Autotask connection (sandbox)');
    await denied(OPERATOR, 'verify tenant');
    expect(await works(ADMIN, 'verify tenant')).toContain('Autotask tenant verification');
    await denied(NOBODY, 'status');
    expect(await works(VIEWER, 'status')).toMatch(/10,000|10000/);
    await denied(NOBODY, 'customers');
    expect(await works(VIEWER, 'customers')).toContain('Woodgrove Bank');
  });

  it('mapping: card, manual company/contract/product, confirm one and all, unmapped, mode', async () => {
    await denied(VIEWER, 'map acme');
    expect(await works(OPERATOR, 'map acme')).toContain('ACME Corporation, Inc. (100)');
    const woodgrove = await works(OPERATOR, 'map woodgrove');
    const id = /confirm ([0-9a-f-]{36})/.exec(woodgrove)?.[1];
    expect(id).toBeDefined();
    await denied(VIEWER, `confirm ${id}`);
    expect(await works(OPERATOR, `confirm ${id}`)).toContain('Visio Online Plan 2');
    await works(OPERATOR, 'map contoso');
    expect(await works(OPERATOR, 'confirm contoso all')).toContain('Contoso Pharmaceuticals');
    expect(await works(OPERATOR, 'map woodgrove contract monthly 512 default')).toContain('contract 512');
    expect(await works(OPERATOR, 'map woodgrove contract monthly "the big one"')).toContain('INVALID_INPUT');
    expect(await works(OPERATOR, 'map acme product "Microsoft 365 Copilot" service 1004')).toContain(
      'service 1004',
    );
    expect(await works(OPERATOR, 'map northwind company "Northwind Traders Ltd"')).toContain(
      'Northwind Traders Ltd',
    );
    await denied(NOBODY, 'unmapped');
    expect(await works(VIEWER, 'unmapped')).toContain('CUSTOMER_UNMAPPED');
    expect(await works(VIEWER, 'unmapped acme')).toContain('Everything is mapped');
    await denied(APPROVER, 'mode manual');
    await works(ADMIN, 'mode manual');
    expect(await works(OPERATOR, 'map acme')).toMatch(/Mode: +manual/);
    await works(ADMIN, 'mode auto');
    expect(await works(OPERATOR, 'map acme')).toMatch(/Mode: +auto/);
  });

  it('validate, upload, approve (four eyes), reject, retry, runs, run', async () => {
    await denied(VIEWER, 'validate acme');
    const validation = await works(OPERATOR, 'validate acme');
    expect(validation).toContain('✅ Valid');
    // nothing was changed by hand in Autotask: a correction plans what validate plans, nothing more
    await denied(VIEWER, 'correct acme');
    expect(await works(OPERATOR, 'correct acme')).toContain('✅ Valid');
    const runId = /Run (r-[0-9a-f]{8})/.exec(validation)![1]!;
    await denied(VIEWER, `upload ${runId}`);
    const request = await say(OPERATOR, `upload ${runId}`);
    expect(request.broadcast?.kind).toBe('approval');
    await denied(OPERATOR, `approve ${runId}`);
    expect(await works(APPROVER, `approve ${runId}`)).toContain(`You approved run ${runId}`);
    await denied(NOBODY, `run ${runId}`);
    const run = await works(VIEWER, `run ${runId}`);
    expect(run).toMatch(/State: +succeeded/);
    expect(run).not.toMatch(/ (pending|failed) *$/m);
    // the story of one line of that upload, in words (the chart needs an HTTP server: explainCommand.test)
    await denied(NOBODY, 'explain acme "Microsoft 365 Copilot"');
    expect(await works(VIEWER, 'explain acme "Microsoft 365 Copilot"')).toContain(
      'Microsoft 365 Copilot (annual) — Acme Corp',
    );
    expect(await works(VIEWER, 'explain acme "no such product"')).toContain('EXPLAIN_PRODUCT_UNKNOWN');
    // what Autotask billed last month against the history (reconcileCustomers.test makes each reason)
    await denied(VIEWER, 'reconcile acme');
    expect(await works(OPERATOR, 'reconcile acme')).toMatch(/Reconciliation \d{4}-\d{2} — Acme Corp/);
    expect(await works(OPERATOR, 'reconcile all 2026-13')).toContain('RECONCILE_MONTH_INVALID');
    await denied(VIEWER, `retry ${runId}`);
    expect(await works(OPERATOR, `retry ${runId}`)).toContain('RUN_STATE');
    expect(await works(OPERATOR, 'upload acme')).toContain('NOTHING_TO_UPLOAD');
    // the upload locked the mapping it went out under (recordUploadUnderMapping in the same transaction)
    expect(await works(OPERATOR, 'map acme company "Acme Corp Holdings"')).toContain(
      'MAPPING_LOCKED_BY_UPLOAD',
    );

    const second = /Run (r-[0-9a-f]{8})/.exec(await works(OPERATOR, 'validate woodgrove'))![1]!;
    await say(APPROVER, `upload ${second}`);
    // the requester cannot approve their own request, whatever their role
    const own = await say(APPROVER, `approve ${second}`);
    expect(own.denied).toBe(true);
    expect(textOf(own)).toContain('four eyes');
    await denied(OPERATOR, `reject ${second}`);
    expect(await works(APPROVER2, `reject ${second} not this month`)).toContain(`You rejected run ${second}`);
    expect(await works(VIEWER, `run ${second}`)).toMatch(/State: +rejected/);

    await denied(NOBODY, 'runs');
    const runs = await works(VIEWER, 'runs');
    expect(runs).toContain(runId);
    expect(runs).toContain(second);
    const acmeRuns = await works(VIEWER, 'runs acme');
    expect(acmeRuns).toContain(runId);
    expect(acmeRuns).not.toContain(second);
  });

  it('validation reports the subscriptions part’s history check (HISTORY_INCONSISTENT)', async () => {
    const wingtip = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Wingtip Toys' } });
    const subscription = await db.prisma.subscription.findFirstOrThrow({
      where: { customerId: wingtip.id },
    });
    // a change whose "before" does not chain to the history before it
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: subscription.id,
        effectiveDate: '2026-11-21',
        kind: 'quantity_changed',
        quantityBefore: 999,
        quantityAfter: 1000,
        idempotencyKey: 'test-broken-chain',
        source: 'test',
      },
    });
    const validation = await works(OPERATOR, 'validate wingtip');
    expect(validation).toContain(
      `HISTORY_INCONSISTENT: subscription ${subscription.id}, quantity_changed on 2026-11-21`,
    );
  });

  it('audit, notify, roles', async () => {
    await denied(NOBODY, 'audit acme');
    expect(await works(VIEWER, 'audit acme')).toContain('mapping.locked_by_upload');
    await denied(APPROVER, 'notify here');
    await works(ADMIN, 'notify here');
    await denied(APPROVER, 'roles');
    expect(await works(ADMIN, 'roles')).toContain(VIEWER);
    await denied(OPERATOR, `grant ${NOBODY} viewer`);
    await works(ADMIN, `revoke ${APPROVER2} approver`);
  });

  it('schedules: made, listed and removed through the jobs part, admin-only, refusals actionable', async () => {
    await denied(APPROVER, 'schedules');
    await denied(OPERATOR, 'schedule acme daily');
    const made = await works(ADMIN, 'schedule acme daily');
    expect(made).toContain('Scheduled validate-then-upload for Acme Corp, daily');
    const id = /(sch_[0-9a-f]{6})/.exec(made)![1]!;
    expect(await works(ADMIN, 'schedules')).toMatch(new RegExp(`${id}.*Acme Corp.*daily`));
    expect(await works(ADMIN, 'schedule all "*/5 * * * *"')).toContain('SCHEDULE_TOO_FREQUENT');
    await denied(APPROVER, `unschedule ${id}`);
    expect(await works(ADMIN, `unschedule ${id}`)).toContain(`Schedule ${id} removed`);
    expect(await works(ADMIN, 'schedules')).toContain('No schedules');
  });

  it('covered every verb of the command table', () => {
    const verbs = COMMANDS.map((c) => c.verb).sort();
    expect([...said].filter((v) => verbs.includes(v)).sort()).toEqual(verbs);
  });
});
