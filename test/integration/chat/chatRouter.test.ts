import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listAudit } from '../../../src/audit/auditLog.js';
import type { ChatReply } from '../../../src/chat/cardModel.js';
import { ChatRouter, type ChatRequest } from '../../../src/chat/chatRouter.js';
import type { ChatServices } from '../../../src/chat/chatServices.js';
import { DeliveryLedger } from '../../../src/chat/deliveryLedger.js';
import type { Identity } from '../../../src/chat/identity.js';
import { RoleStore } from '../../../src/chat/roleStore.js';
import { checkBlockKitMessage } from '../../../src/chat/slack/blockKitLimits.js';
import { renderCardsAsBlocks } from '../../../src/chat/slack/blockKitRenderer.js';
import { renderCardAsText } from '../../../src/chat/console/textRenderer.js';
import { runCli } from '../../../src/cli/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { InMemoryChatServices } from '../../helpers/inMemoryChatServices.js';
import { randomCommand, seededRandom } from '../../helpers/seededRandom.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const ADMIN: Identity = 'slack:T1:UADMIN';
let db: TestDatabase;
let services: InMemoryChatServices;
let customers: { id: string; name: string }[];

const logger = createLogger({ level: 'silent', format: 'json', secrets: [] });
function routerWith(wired: ChatServices) {
  return new ChatRouter({
    services: wired,
    roles: new RoleStore(db.prisma, [ADMIN, 'cli:root']),
    ledger: new DeliveryLedger(db.prisma),
    logger,
  });
}
let router: ChatRouter;

const say = (id: Identity, text: string, extra: Partial<ChatRequest> = {}): Promise<ChatReply> =>
  router.handle({
    actor: { id },
    text,
    via: 'typed',
    channel: { platform: 'slack', id: 'C1', workspace: 'T1', label: '#billing' },
    prefix: '/autotask ',
    ...extra,
  });
const textOf = (reply: ChatReply) => reply.cards.map((c) => renderCardAsText(c)).join('\n');

beforeAll(async () => {
  db = await createTestDatabase();
  customers = [];
  for (const name of ['Acme Corp', 'Acme Holdings', 'Northwind Traders', 'Contoso Ltd'])
    customers.push(await db.prisma.customer.create({ data: { name }, select: { id: true, name: true } }));
  services = new InMemoryChatServices({ customers, prisma: db.prisma });
  router = routerWith(services);
  for (const [user, role] of [
    ['UVIEW', 'viewer'],
    ['UOPS', 'operator'],
    ['UAPP', 'approver'],
    ['UAPP2', 'approver'],
  ])
    expect(textOf(await say(ADMIN, `grant <@${user}> ${role}`))).toContain(`is now ${role}`);
});
afterAll(() => db.drop());

describe('chat router: grammar', () => {
  it('answers help to anyone, even without a role', async () => {
    const reply = await say('slack:T1:UNOBODY', 'help');
    expect(reply.cards[0]!.kind).toBe('help');
    expect(textOf(await say('slack:T1:UNOBODY', 'help map'))).toContain(
      'Example: /autotask map acme product',
    );
  });

  it('answers unknown commands and bad arguments with usage and an example', async () => {
    expect(textOf(await say(ADMIN, 'valdate acme'))).toContain('Did you mean /autotask validate?');
    const usage = textOf(await say(ADMIN, 'schedule acme sometimes'));
    expect(usage).toContain('Usage: /autotask schedule <customer>|all daily|weekly|"<cron>"');
    expect(usage).toContain('Example: /autotask schedule all "0 6 * * 1"');
    expect(textOf(await say(ADMIN, 'map acme product "Visio'))).toContain('a quote is not closed');
  });

  it('resolves customers forgivingly and lists candidates instead of guessing', async () => {
    const ambiguous = await say('slack:T1:UOPS', 'validate acme');
    expect(ambiguous.cards[0]!.kind).toBe('customer-candidates');
    expect(textOf(ambiguous)).toContain('/autotask validate "Acme Corp"');
    expect(textOf(ambiguous)).toContain('/autotask validate "Acme Holdings"');
    expect(services.callsOf('validate')).toHaveLength(0);
    const found = await say('slack:T1:UOPS', 'validate northwind');
    expect(found.cards[0]!.kind).toBe('validation');
    expect(services.callsOf('validate').at(-1)!.input).toMatchObject({
      target: { all: false, customerId: customers[2]!.id },
    });
    expect(textOf(await say('slack:T1:UOPS', 'validate "acme corp."'))).toContain('Valid');
    expect((await say('slack:T1:UOPS', 'validate globex')).cards[0]!.summary).toBe(
      'No customer matches "globex".',
    );
  });

  it('answers a failing use case briefly, without its error text (which may hold secrets)', async () => {
    const failingServices = new InMemoryChatServices({ customers, prisma: db.prisma });
    failingServices.validate = () =>
      Promise.reject(new Error('connect failed with secret xoxb-123-SECRET and password hunter2'));
    const failing = routerWith(failingServices);
    const reply = await failing.handle({
      actor: { id: ADMIN },
      text: 'validate northwind',
      via: 'typed',
      channel: null,
      prefix: '',
    });
    expect(reply.cards[0]!.kind).toBe('error');
    const text = JSON.stringify(reply);
    expect(text).toContain('failed unexpectedly');
    expect(text).not.toMatch(/SECRET|hunter2|at .*\.ts:\d+/);
  });

  it('turns 2,000 random command strings into usage, help or an answer — never a failure', async () => {
    const random = seededRandom(20261125);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const text = randomCommand(random);
      const reply = await say('slack:T1:UVIEW', text);
      expect(reply.cards.length).toBeGreaterThan(0);
      for (const card of reply.cards) {
        kinds.set(card.kind, (kinds.get(card.kind) ?? 0) + 1);
        expect(card.kind).not.toBe('error');
      }
      expect(checkBlockKitMessage(renderCardsAsBlocks(reply.cards))).toEqual([]);
    }
    expect(kinds.get('usage')).toBeGreaterThan(1000);
    expect(kinds.get('help')).toBeGreaterThan(0);
  });
});

describe('chat router: roles', () => {
  it('refuses people without a role, politely, and audits it', async () => {
    const reply = await say('slack:T1:UNOBODY', 'status');
    expect(reply.denied).toBe(true);
    expect(textOf(reply)).toContain('needs the viewer role, and you have no role yet');
    const [record] = await listAudit(db.prisma, { action: 'chat.denied' });
    expect(record).toMatchObject({ actorId: 'slack:T1:UNOBODY', outcome: 'denied' });
    expect(record!.details).toMatchObject({ command: 'status', needed: 'viewer', held: null });
  });

  it('a viewer cannot validate: answered and audited, the use case never called', async () => {
    const before = services.callsOf('validate').length;
    const reply = await say('slack:T1:UVIEW', 'validate northwind');
    expect(reply.denied).toBe(true);
    expect(textOf(reply)).toContain('validate needs the operator role, and you are a viewer');
    expect(services.callsOf('validate')).toHaveLength(before);
    const [record] = await listAudit(db.prisma, { action: 'chat.denied' });
    expect(record).toMatchObject({ actorId: 'slack:T1:UVIEW', outcome: 'denied' });
    expect(record!.details).toMatchObject({ command: 'validate', needed: 'operator', held: 'viewer' });
  });

  it('an operator cannot approve, and a requester cannot approve their own run', async () => {
    const validated = await say('slack:T1:UAPP', 'validate northwind');
    const runId = /Run (run_\d+)/.exec(textOf(validated))![1]!;
    const requested = await say('slack:T1:UAPP', `upload ${runId}`);
    expect(requested.broadcast?.kind).toBe('approval');
    expect(textOf({ cards: [requested.broadcast!.card], private: false })).toContain(
      `[1] Approve: autotask-bot approve ${runId}`,
    );

    const byOperator = await say('slack:T1:UOPS', `approve ${runId}`, { via: 'click' });
    expect(byOperator.denied).toBe(true);
    expect(textOf(byOperator)).toContain('approve needs the approver role, and you are an operator');

    const byRequester = await say('slack:T1:UAPP', `approve ${runId}`, { via: 'click' });
    expect(byRequester.denied).toBe(true);
    expect(textOf(byRequester)).toContain('someone else has to approve it');
    // the use case decided (it follows sync.four_eyes); nothing was approved
    expect(services.callsOf('approve')).toHaveLength(1);
    expect(services.decisions.filter((d) => d.runId === runId)).toHaveLength(0);

    const denials = await listAudit(db.prisma, { action: 'chat.denied', limit: 2 });
    expect(denials[0]).toMatchObject({ actorId: 'slack:T1:UAPP', runId, outcome: 'denied' });
    expect(denials[0]!.details).toMatchObject({ reason: 'four-eyes', via: 'click' });
    expect(denials[1]).toMatchObject({ actorId: 'slack:T1:UOPS' });
    expect(denials[1]!.details).toMatchObject({ reason: 'role', needed: 'approver', held: 'operator' });

    // two approvers at the same moment: one decision
    const [first, second] = await Promise.all([
      say('slack:T1:UAPP2', `approve ${runId}`, { via: 'click' }),
      say(ADMIN, `approve ${runId}`, { via: 'click' }),
    ]);
    expect(services.decisions.filter((d) => d.runId === runId)).toHaveLength(1);
    expect(services.uploads.filter((r) => r === runId)).toHaveLength(1);
    const texts = [textOf(first), textOf(second)].join('\n');
    expect(texts).toContain('already been decided');
    const decided = first.updatePosted ?? second.updatePosted;
    expect(JSON.stringify(decided!.card)).not.toContain(`approve ${runId}`);
  });

  it('grants and revokes, audited; ADMIN_USERS admins stay admins', async () => {
    expect(textOf(await say('slack:T1:UVIEW', 'grant <@UVIEW> admin'))).toContain('needs the admin role');
    expect(textOf(await say(ADMIN, 'grant <@UTEMP> operator'))).toContain('slack:T1:UTEMP is now operator');
    expect(textOf(await say(ADMIN, 'grant <@UTEMP> operator'))).toContain('already holds operator');
    expect(textOf(await say(ADMIN, 'roles'))).toMatch(/slack:T1:UADMIN\s+admin \(ADMIN_USERS\)/);
    expect(textOf(await say(ADMIN, 'revoke <@UTEMP> operator'))).toContain('no longer holds operator');
    expect(textOf(await say(ADMIN, `revoke ${ADMIN} admin`))).toContain('through ADMIN_USERS');
    const records = (await listAudit(db.prisma, { limit: 100 })).filter(
      (r) => (r.details as { identity?: string }).identity === 'slack:T1:UTEMP',
    );
    expect(records.map((r) => [r.action, r.actorId, r.details])).toEqual([
      ['role.revoked', ADMIN, { identity: 'slack:T1:UTEMP', role: 'operator' }],
      ['role.granted', ADMIN, { identity: 'slack:T1:UTEMP', role: 'operator' }],
    ]);
  });

  it('mode and notify here change settings (audited) that status shows', async () => {
    await say(ADMIN, 'mode manual');
    const notify = await say(ADMIN, 'notify here');
    expect(notify.private).toBe(false);
    const status = textOf(await say('slack:T1:UVIEW', 'status'));
    expect(status).toContain('Mapping mode:  manual');
    expect(status).toContain('slack #billing');
    const changes = await listAudit(db.prisma, { action: 'settings.changed' });
    expect(changes.map((c) => (c.details as { key: string }).key)).toEqual(
      expect.arrayContaining(['mapping.mode', 'chat.notification_target']),
    );
    expect(textOf(await say('cli:root', 'notify here', { channel: null }))).toContain(
      'works in a Slack or Teams channel',
    );
  });

  it('lists the audit log, filtered by customer and date', async () => {
    const all = textOf(await say('slack:T1:UVIEW', 'audit'));
    expect(all).toContain('role.granted');
    expect(textOf(await say('slack:T1:UVIEW', 'audit since 2999-01-01'))).toContain(
      'No audit records match.',
    );
    expect(textOf(await say('slack:T1:UVIEW', 'audit northwind'))).toContain('Audit log — Northwind Traders');
  });
});

describe('delivery ledger', () => {
  it('claims a key once, gives it back on release, and prunes old keys but keeps decisions', async () => {
    const ledger = new DeliveryLedger(db.prisma);
    expect(await ledger.claim('slack:abc')).toBe(true);
    expect(await ledger.claim('slack:abc')).toBe(false);
    await ledger.release('slack:abc');
    expect(await ledger.claim('slack:abc')).toBe(true);
    expect(await ledger.claim('decision:run_old')).toBe(true);
    expect(await ledger.forgetOlderThan(new Date(Date.now() + 60_000))).toBeGreaterThan(0);
    expect(await ledger.claim('slack:abc')).toBe(true);
    expect(await ledger.claim('decision:run_old')).toBe(false);
  });
});

describe('CLI bridge', () => {
  const lines: string[] = [];
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
  // a data directory of its own: under the default one the CLI would find (and use) the sandbox a
  // bot in another test file announced there, which may stop at any moment
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bridge-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = () => ({
    DATABASE_URL: db.url,
    ADMIN_USERS: 'cli:root',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
  });

  it("fits cards to the terminal's columns when it has them, and cuts nothing when it has none", async () => {
    const cut: string[] = [];
    const narrow = { out: (t: string) => cut.push(t), err: (t: string) => cut.push(t), columns: 30 };
    expect(await runCli(['chat', 'roles', '--as', 'root'], narrow, env())).toBe(0);
    lines.length = 0;
    expect(await runCli(['chat', 'roles', '--as', 'root'], io, env())).toBe(0);
    expect(lines.join('\n')).not.toContain('…');
    expect(cut.join('\n')).toContain('…');
  });

  it('runs chat commands through the same router, roles and cards', async () => {
    lines.length = 0;
    expect(await runCli(['validate', 'northwind', '--as', 'nobody'], io, env())).toBe(1);
    expect(lines.join('\n')).toContain('validate needs the operator role');
    lines.length = 0;
    expect(await runCli(['grant', 'carol', 'viewer', '--as', 'root'], io, env())).toBe(0);
    expect(lines.join('\n')).toContain('cli:carol is now viewer');
    lines.length = 0;
    expect(await runCli(['chat', 'roles', '--json', '--as', 'root'], io, env())).toBe(0);
    const model = JSON.parse(lines.join('\n')) as ChatReply;
    expect(model.cards[0]!.kind).toBe('roles');
    expect(JSON.stringify(model)).toContain('cli:carol');
    lines.length = 0;
    expect(await runCli(['schedule', 'all', 'sometimes', '--as', 'root'], io, env())).toBe(2);
    expect(lines.join('\n')).toContain('Example: autotask-bot schedule all "0 6 * * 1"');
    lines.length = 0;
    // validate reaches the real use case (wired in src/app): a run, and the mapping finding
    expect(await runCli(['validate', 'northwind', '--as', 'root'], io, env())).toBe(0);
    expect(lines.join('\n')).toContain('CUSTOMER_UNMAPPED: Northwind Traders is not mapped');
    expect(lines.join('\n')).toMatch(/Run r-[0-9a-f]{8}/);
  });
});
