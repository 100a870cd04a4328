// Teams over real HTTP on the real bot (startBot: PostgreSQL, the in-process Autotask sandbox, the
// demo partner): Bot Framework activities posted to /api/messages for every command of the command
// table, every kind of button (Action.Execute invoke and its Action.Submit fallback) and the
// Data.Query service search. Replies, card updates and proactive messages land on the recording
// Bot Connector; every card sent is parsed by Microsoft's adaptivecards library (no errors,
// version ≤ 1.5) and checked against Teams' limits. The full approval flow is teamsFlow.test.ts.
import { COMMANDS } from '../../../src/chat/commandTable.js';
import { SERVICES_DATASET_PREFIX } from '../../../src/chat/teams/adaptiveCardRenderer.js';
import { getRun } from '../../../src/sync/runStore.js';
import { randomCommand, seededRandom } from '../../helpers/seededRandom.js';
import {
  installActivity,
  messageActivity,
  messageMentioning,
  postActivity,
  searchActivity,
  submitActivity,
  type TeamsPlace,
  type TeamsUser,
} from '../../helpers/teamsActivities.js';
import {
  cardsOf,
  choiceSets,
  commandsOf,
  executeActions,
  expectValidCards,
  startTeamsBotHarness,
  TEAMS_ADMIN as ADMIN,
  TEAMS_TENANT as TENANT,
  textOf,
  type Json,
  type TeamsBotHarness,
} from '../../helpers/teamsBotHarness.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { chatCliBeside } from '../../helpers/chatCli.js';

const OPS: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-ops', name: 'Otto Ops' };
const APPROVER: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-app', name: 'Alma Approver' };
const VIEWER: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-view', name: 'Vera Viewer' };
const CHANNEL_ID = '19:billing@thread.tacv2';

let db: TestDatabase;
let h: TeamsBotHarness;
let personal: TeamsPlace;
let channel: TeamsPlace;
/** every card the bot sent in this file, checked once more at the end */
const seen = () => h.connector.calls.flatMap(cardsOf);

/** the newest run (what `$RUN` in a command stands for) */
async function latestRun(): Promise<string> {
  const run = await db.prisma.syncRun.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
  return run.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  h = await startTeamsBotHarness(db);
  personal = h.personal;
  channel = h.channel(CHANNEL_ID);
  for (const [user, role] of [
    ['aad-ops', 'operator'],
    ['aad-app', 'approver'],
    ['aad-view', 'viewer'],
  ]) {
    const { cards } = await h.say(ADMIN, `grant ${user} ${role}`);
    expect(textOf(cards)).toContain(`is now ${role}`);
  }
  expect((await postActivity(h.url, installActivity(ADMIN, channel))).status).toBe(200);
  const notify = await h.say(ADMIN, 'notify here', channel);
  expect(textOf(notify.cards)).toContain('now receives approval requests');
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

describe('every command in a personal chat', () => {
  // in order: later commands use what earlier ones did (mappings, runs); $RUN is the newest run
  const everyCommand: [TeamsUser, string, string | RegExp][] = [
    [VIEWER, 'help', 'commands'],
    [VIEWER, 'help validate', 'validate <customer>|all'],
    [OPS, 'test', 'Autotask connection (sandbox)'],
    [ADMIN, 'verify tenant', 'Autotask tenant verification'],
    [VIEWER, 'status', 'status'],
    [VIEWER, 'customers', 'Acme Corp'],
    [VIEWER, 'customers wing', 'Wingtip Toys'],
    [OPS, 'map acme', 'Mapping — Acme Corp'],
    // the automatic mapping already chose company 100 for Acme: the same choice changes nothing
    [OPS, 'map acme company 100', 'Nothing needed changing'],
    [OPS, 'map acme contract monthly 500 default', 'contract 500'],
    [OPS, 'map acme product "Microsoft 365 Copilot" service 1036', 'service 1036'],
    [OPS, 'map northwind', 'Mapping — Northwind Traders'],
    [OPS, 'confirm northwind all', 'Visio Online Plan 2'],
    [OPS, 'confirm 00000000-0000-4000-8000-000000000000', 'SUGGESTION_NOT_FOUND'],
    [VIEWER, 'unmapped', 'Unmapped'],
    [VIEWER, 'unmapped northwind', 'Unmapped — Northwind Traders'],
    [ADMIN, 'mode manual', 'Mapping mode is now **manual**'],
    [ADMIN, 'mode auto', 'Mapping mode is now **automatic**'],
    [OPS, 'validate northwind', 'Valid'],
    [OPS, 'correct northwind', 'Valid'],
    [OPS, 'validate all', 'Northwind Traders'],
    [OPS, 'upload northwind', 'requested'],
    [APPROVER, 'reject $RUN "wrong contract"', 'You rejected'],
    [OPS, 'upload northwind', 'requested'],
    [APPROVER, 'approve $RUN', 'You approved'],
    [VIEWER, 'runs', 'Runs'],
    [VIEWER, 'runs northwind', 'Runs — Northwind Traders'],
    [VIEWER, 'run $RUN', 'Run $RUN'],
    [VIEWER, 'explain northwind "Visio Plan 2"', 'Visio Plan 2 (monthly) — Northwind Traders'],
    [OPS, 'reconcile northwind', /Reconciliation \d{4}-\d{2} — Northwind Traders/],
    [OPS, 'retry r-none', 'RUN_NOT_FOUND'],
    [ADMIN, 'schedule all daily', 'Scheduled validate-then-upload for all customers, daily'],
    [ADMIN, 'schedules', 'all customers'],
    [ADMIN, 'unschedule sch_1', 'No schedule sch_1'],
    [VIEWER, 'sources', 'Subscription sources'],
    [OPS, 'source test pax8', '✅ Pax8 connection'],
    [VIEWER, 'audit', 'Audit log'],
    [VIEWER, 'audit northwind since 2026-01-01', 'Audit log — Northwind Traders since 2026-01-01'],
    [ADMIN, 'roles', 'teams:tenant-1:aad-ops'],
    [ADMIN, 'grant aad-temp viewer', 'teams:tenant-1:aad-temp is now viewer'],
    [ADMIN, 'revoke aad-temp viewer', 'no longer holds viewer'],
    [VIEWER, 'validate northwind', 'needs the **operator** role'],
    [OPS, 'validate a', 'matches several customers'],
    [OPS, 'frobnicate', "I don't know the command"],
  ];

  it('covers every verb of the command table (notify is said in the channel)', () => {
    const verbs = new Set(everyCommand.map(([, text]) => text.split(' ')[0]));
    expect(COMMANDS.map((c) => c.verb).filter((v) => !verbs.has(v))).toEqual(['notify']);
  });

  it.each(everyCommand)('%j: "%s" is answered with valid Adaptive Cards', async (who, command, expected) => {
    const text = command.includes('$RUN') ? command.replace('$RUN', await latestRun()) : command;
    const { response, reply, cards } = await h.say(who, text);
    expect(response.status).toBe(200);
    expect(reply).toBeDefined();
    expect(cards.length).toBeGreaterThan(0);
    if (typeof expected === 'string')
      expect(textOf(cards)).toContain(
        expected.includes('$RUN') ? expected.replace('$RUN', await latestRun()) : expected,
      );
    else expect(textOf(cards)).toMatch(expected);
    expect(textOf(cards)).not.toContain('failed unexpectedly');
    expectValidCards(cards);
  });

  it('the approved upload runs against the sandbox and its card in the channel shows the outcome', async () => {
    const runId = await latestRun();
    const card = await db.prisma.chatPostedCard.findFirstOrThrow({ where: { runId, platform: 'teams' } });
    expect(card.channel).toBe(CHANNEL_ID);
    const [done] = await h.connector.waitFor(
      (c) =>
        c.method === 'PUT' && c.activityId === card.messageId && textOf(c.body).includes('Upload succeeded'),
      1,
      30_000,
    );
    expectValidCards(cardsOf(done!));
    expect((await getRun(db.prisma, runId))!.state).toBe('succeeded');
  });
});

describe('in a channel and a group chat', () => {
  it('in a channel the @mention is removed: "@Autotask validate wingtip" validates', async () => {
    const { response, reply, cards } = await h.say(OPS, 'validate wingtip', channel);
    expect(response.status).toBe(200);
    expect(reply!.conversationId).toBe(CHANNEL_ID);
    expect(textOf(cards)).toContain('Wingtip Toys');
    expect(textOf(cards)).not.toContain('know the command');
    expectValidCards(cards);
    const runs = await db.prisma.syncRun.count({ where: { createdBy: 'teams:tenant-1:aad-ops' } });
    expect(runs).toBeGreaterThan(0);
  });

  it('in a group chat too; another person @mentioned in grant becomes their identity', async () => {
    const group: TeamsPlace = { serviceUrl: h.connector.serviceUrl, group: '19:group-chat@thread.v2' };
    const { reply, cards } = await h.say(VIEWER, 'status', group);
    expect(reply!.conversationId).toBe('19:group-chat@thread.v2');
    expectValidCards(cards);

    h.connector.addMember({ id: '29:dana', name: 'Dana', aadObjectId: 'aad-dana' });
    const before = h.connector.calls.length;
    const response = await postActivity(
      h.url,
      messageMentioning(ADMIN, channel, 'grant @person viewer', { id: '29:dana', name: 'Dana' }),
    );
    expect(response.status).toBe(200);
    const answer = h.connector.calls.slice(before).find((c) => c.method === 'POST')!;
    expect(textOf(cardsOf(answer))).toContain('teams:tenant-1:aad-dana is now viewer');
    expect(await db.prisma.chatRoleGrant.count({ where: { identity: 'teams:tenant-1:aad-dana' } })).toBe(1);
  });

  it('turns 100 random command strings into usage or help over HTTP — never a 5xx', async () => {
    const random = seededRandom(7_10);
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => h.say(VIEWER, randomCommand(random))),
      );
      for (const r of results) {
        statuses.set(r.response.status, (statuses.get(r.response.status) ?? 0) + 1);
        expect(textOf(r.cards)).not.toContain('failed unexpectedly');
        expectValidCards(r.cards);
      }
    }
    expect([...statuses.entries()]).toEqual([[200, 100]]);
  });
});

describe('buttons: Action.Execute invokes and their Action.Submit fallbacks', () => {
  it('every Action.Execute the bot sent carries an Action.Submit fallback with the same data', () => {
    const buttons = seen().flatMap(executeActions);
    expect(buttons.length).toBeGreaterThan(10);
    for (const button of buttons)
      expect(button.fallback).toMatchObject({ type: 'Action.Submit', data: button.data });
  });

  it('"Show all" on a validation card, clicked as an invoke and as a submit, shows the run', async () => {
    const { reply, cards } = await h.say(OPS, 'validate wingtip');
    const show = executeActions(cards[0]!).find((a) => a.title === 'Show all')!;
    const runId = String(show.data.command).split(' ')[1]!;

    const invoked = await h.click(VIEWER, personal, reply!.assignedId!, show.data);
    expect(invoked.response.status).toBe(200);
    const invokedCards = invoked.calls.filter((c) => c.method === 'POST').flatMap(cardsOf);
    expect(textOf(invokedCards)).toContain(`Run ${runId}`);
    expectValidCards(invokedCards);

    // one person's click on a card counts once within a short window (a double click does nothing); a
    // Teams client sends either the invoke or the submit: the submit is tried on a card of its own
    const again = await h.say(OPS, 'validate wingtip');
    const showAgain = executeActions(again.cards[0]!).find((a) => a.title === 'Show all')!;
    const runAgain = String(showAgain.data.command).split(' ')[1]!;
    const before = h.connector.calls.length;
    const submitted = await postActivity(
      h.url,
      submitActivity(VIEWER, personal, again.reply!.assignedId!, showAgain.data),
    );
    expect(submitted.status).toBe(200);
    const submittedCards = h.connector.calls
      .slice(before)
      .filter((c) => c.method === 'POST')
      .flatMap(cardsOf);
    expect(textOf(submittedCards)).toContain(`Run ${runAgain}`);
    expectValidCards(submittedCards);
  });

  it('"Request upload" (invoke) asks for approval in the notify-here channel', async () => {
    const { reply, cards } = await h.say(OPS, 'validate acme');
    const request = executeActions(cards[0]!).find((a) => a.title === 'Request upload')!;
    const runId = String(request.data.command).split(' ')[1]!;
    const clicked = await h.click(OPS, personal, reply!.assignedId!, request.data);
    expect(clicked.response.status).toBe(200);
    const approval = clicked.calls.find((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID)!;
    expect(commandsOf(cardsOf(approval)[0]!)).toEqual([`approve ${runId}`, `reject ${runId}`]);
    expectValidCards(cardsOf(approval));
    expect((await getRun(db.prisma, runId))!.state).toBe('upload_requested');
  });

  it('"Confirm all suggestions" (invoke) and a single suggestion (submit) confirm on the mapping card', async () => {
    const { reply, cards } = await h.say(OPS, 'map proseware');
    const confirmAll = executeActions(cards[0]!).find((a) => a.title.startsWith('Confirm all'))!;
    expect(confirmAll.data).toEqual({ command: 'confirm Proseware all' });
    const clicked = await h.click(OPS, personal, reply!.assignedId!, confirmAll.data);
    expect(clicked.response.status).toBe(200);
    expect(textOf(clicked.calls.flatMap(cardsOf))).toContain('Teams Essentials');

    // another customer's suggestion, confirmed through the Action.Submit path by its id
    const contoso = await h.say(OPS, 'map contoso');
    const id = /confirm ([0-9a-f-]{36})/.exec(textOf(contoso.cards))![1]!;
    const before = h.connector.calls.length;
    const submitted = await postActivity(
      h.url,
      submitActivity(OPS, personal, contoso.reply!.assignedId!, { command: `confirm ${id}` }),
    );
    expect(submitted.status).toBe(200);
    expect(textOf(h.connector.calls.slice(before).flatMap(cardsOf))).toContain('Contoso Pharmaceuticals');
  });

  it('"Set" next to a service select maps the product, as an invoke and as a submit', async () => {
    const { reply, cards } = await h.say(OPS, 'map litware');
    const [select] = choiceSets(cards[0]!);
    expect(select).toBeDefined();
    const set = executeActions(cards[0]!).find((a) => a.title === 'Set')!;
    const input = String(set.data.input);
    expect(select!.id).toBe(input);
    const firstChoice = (select!.choices as { value: string }[])[0]!.value;

    const empty = await h.click(OPS, personal, reply!.assignedId!, set.data);
    expect(empty.response.body).toMatchObject({ value: 'Pick a value in the list first, then press Set.' });

    const picked = await h.click(OPS, personal, reply!.assignedId!, { ...set.data, [input]: firstChoice });
    expect(picked.response.status).toBe(200);
    expect(textOf(picked.calls.flatMap(cardsOf))).toContain(`service ${firstChoice}`);
    expect(h.puts(reply!.assignedId!)).toEqual([]);

    const relecloud = await h.say(OPS, 'map relecloud');
    const relecloudSet = executeActions(relecloud.cards[0]!).find((a) => a.title === 'Set')!;
    const before = h.connector.calls.length;
    const submitted = await postActivity(
      h.url,
      submitActivity(OPS, personal, relecloud.reply!.assignedId!, {
        ...relecloudSet.data,
        [String(relecloudSet.data.input)]: firstChoice,
      }),
    );
    expect(submitted.status).toBe(200);
    expect(textOf(h.connector.calls.slice(before).flatMap(cardsOf))).toContain(`service ${firstChoice}`);
  });

  it('an unknown button is answered, not crashed on', async () => {
    const clicked = await h.click(OPS, personal, 'activity-1', { something: 'else' });
    expect(clicked.response.body).toMatchObject({ value: 'That button is not one of mine.' });
  });
});

describe('the Data.Query service search', () => {
  it('answers the search invoke with at most 15 matching services, and nothing to a viewer', async () => {
    const customer = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Fabrikam' } });
    const dataset = `${SERVICES_DATASET_PREFIX}${customer.id}`;
    const found = await postActivity(h.url, searchActivity(OPS, personal, dataset, 'microsoft'));
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ type: 'application/vnd.microsoft.search.searchResponse' });
    const results = ((found.body as Json).value as { results: { title: string; value: string }[] }).results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(15);
    expect(results.every((r) => r.title.toLowerCase().includes('microsoft'))).toBe(true);
    expect(results.every((r) => /^\d+$/.test(r.value))).toBe(true);
    const denied = await postActivity(h.url, searchActivity(VIEWER, personal, dataset, 'microsoft'));
    expect(((denied.body as Json).value as { results: unknown[] }).results).toEqual([]);
  });
});

describe('another way in', () => {
  it('an upload requested and approved from the CLI shows on the Teams card too', async () => {
    const { out, cli } = chatCliBeside(h.bot, { services: h.bot.services.chat });
    await db.prisma.chatRoleGrant.createMany({
      data: [
        { identity: 'cli:carol', role: 'operator', grantedBy: 'test' },
        { identity: 'cli:dave', role: 'approver', grantedBy: 'test' },
      ],
    });
    const before = h.connector.calls.length;
    expect(await cli('carol', 'upload', 'proseware')).toBe(0);
    const cliRun = /run (r-[0-9a-f]+)/.exec(out.join('\n'))![1]!;
    const [post] = h.connector.calls
      .slice(before)
      .filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID);
    expect(commandsOf(cardsOf(post!)[0]!)).toEqual([`approve ${cliRun}`, `reject ${cliRun}`]);
    expect(await cli('dave', 'approve', cliRun)).toBe(0);
    const [final] = await h.connector.waitFor(
      (c) =>
        c.method === 'PUT' &&
        c.activityId === post!.assignedId &&
        textOf(c.body).includes('Upload succeeded'),
      1,
      30_000,
    );
    expect(textOf(final!.body)).toContain('cli:dave');
    expect(executeActions(cardsOf(final!)[0]!)).toEqual([]);
  });
});

describe('who may talk to the bot', () => {
  it('stores the conversation reference when the bot is installed in a channel', async () => {
    const row = await db.prisma.teamsConversation.findUnique({ where: { conversationId: CHANNEL_ID } });
    expect(row).toMatchObject({
      tenantId: TENANT,
      conversationType: 'channel',
      serviceUrl: h.connector.serviceUrl,
    });
  });

  it('refuses activities from another tenant with 403, processing nothing', async () => {
    const stranger: TeamsUser = { tenant: 'tenant-2', aadObjectId: 'aad-admin' };
    const calls = h.connector.calls.length;
    const audit = await db.prisma.auditRecord.count();
    const response = await postActivity(h.url, messageActivity(stranger, personal, 'grant aad-x admin'));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'TENANT_REFUSED' });
    expect(h.connector.calls.length).toBe(calls);
    expect(await db.prisma.auditRecord.count()).toBe(audit);
    expect(await db.prisma.chatRoleGrant.count({ where: { identity: { contains: 'aad-x' } } })).toBe(0);
  });

  it('answers malformed bodies and non-activities with 400', async () => {
    expect((await postActivity(h.url, '{not json')).status).toBe(400);
    const notActivity = await postActivity(h.url, { hello: 'world' });
    expect(notActivity.status).toBe(400);
    expect(notActivity.body).toMatchObject({ error: 'BAD_ACTIVITY' });
  });
});

describe('proactive sends under Teams throttling', () => {
  it('retries a send Teams answered with 429 and delivers it once', async () => {
    const before = h.connector.calls.length;
    const refused = h.connector.refused429;
    h.connector.throttleNext(2);
    await h.bot.chatNotifier.runFailed({
      runId: 'r-throttled',
      customerName: 'Acme Corp',
      what: 'it failed',
      errors: [],
      retryCommand: 'retry r-throttled',
    });
    expect(h.connector.refused429).toBe(refused + 2);
    const delivered = h.connector.calls.slice(before).filter((c) => c.conversationId === CHANNEL_ID);
    expect(delivered).toHaveLength(1);
    expectValidCards(cardsOf(delivered[0]!));
  });

  it('delivers a burst of 20 proactive messages to one channel, each once (the pace: teamsThrottle.test.ts)', async () => {
    const before = h.connector.calls.length;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.bot.chatNotifier.runFailed({
          runId: `r-burst-${i}`,
          customerName: 'Acme Corp',
          what: 'it failed',
          errors: [],
          retryCommand: null,
        }),
      ),
    );
    const sent = h.connector.calls.slice(before).filter((c) => c.conversationId === CHANNEL_ID);
    expect(sent).toHaveLength(20);
    expect(new Set(sent.map((c) => textOf(c.body).match(/r-burst-\d+/)![0])).size).toBe(20);
  });
});

describe('every card the bot sent in this file', () => {
  it('parses without errors in the adaptivecards library, version ≤ 1.5, within Teams limits', () => {
    const cards = seen();
    expect(cards.length).toBeGreaterThan(100);
    expectValidCards(cards);
  });
});
