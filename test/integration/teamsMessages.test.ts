// Teams over real HTTP: Bot Framework activities posted to /api/messages on the shared express
// server; replies, card updates and proactive messages land on a local recording Bot Connector
// (each activity's serviceUrl points at it). Every card sent is parsed by Microsoft's
// adaptivecards library and checked against Teams' limits.
import { runChatCommandFromCli } from '../../src/chat/console/cliChatBridge.js';
import { loadConfig } from '../../src/config.js';
import { checkAdaptiveCard } from '../../src/chat/teams/adaptiveCardLimits.js';
import { startTeamsApp } from '../../src/chat/teams/startTeamsApp.js';
import type { TeamsBot } from '../../src/chat/teams/teamsBot.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../src/http/httpServer.js';
import { createLogger } from '../../src/observability/logger.js';
import { parseAdaptiveCard } from '../helpers/adaptiveCardCheck.js';
import { InMemoryChatServices } from '../helpers/inMemoryChatServices.js';
import {
  startRecordingBotConnector,
  TOKEN_ISSUER,
  type ConnectorCall,
  type RecordingBotConnector,
} from '../helpers/recordingBotConnector.js';
import { randomCommand, seededRandom } from '../helpers/seededRandom.js';
import {
  executeActivity,
  installActivity,
  messageActivity,
  messageMentioning,
  postActivity,
  searchActivity,
  submitActivity,
  type TeamsPlace,
  type TeamsUser,
} from '../helpers/teamsActivities.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const TENANT = 'tenant-1';
const ADMIN: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-admin', name: 'Ada Admin' };
const OPS: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-ops', name: 'Otto Ops' };
const APPROVER: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-app', name: 'Alma Approver' };
const APPROVER2: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-app2', name: 'Arne Approver' };
const VIEWER: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-view', name: 'Vera Viewer' };
const CHANNEL_ID = '19:billing@thread.tacv2';

type Json = Record<string, unknown>;

interface Harness {
  connector: RecordingBotConnector;
  http: HttpServerHandle;
  bot: TeamsBot;
  url: string;
  close(): Promise<void>;
}

async function startHarness(
  db: TestDatabase,
  services: InMemoryChatServices,
  env: Record<string, string> = {},
  options: { checkTokens?: boolean } = {},
) {
  const connector = await startRecordingBotConnector();
  // the Bot Framework's public-cloud settings, with the OpenID metadata served by the recorder
  const authSettings = options.checkTokens
    ? {
        ToBotFromChannelOpenIdMetadataUrl: connector.openIdMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: connector.openIdMetadataUrl,
        ToBotFromChannelTokenIssuer: TOKEN_ISSUER,
        ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
        ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        OAuthUrl: 'https://api.botframework.com',
        CallerId: 'urn:botframework:azure',
      }
    : undefined;
  const config = loadConfig({
    DATABASE_URL: db.url,
    ADMIN_USERS: `teams:${TENANT}:aad-admin`,
    MICROSOFT_APP_TENANT_ID: TENANT,
    ...env,
  });
  const logger = createLogger({ level: 'silent', format: 'json', secrets: config.secrets });
  const app = createHttpApp({ logger, health: [] });
  const bot = await startTeamsApp({
    config,
    prisma: db.prisma,
    logger,
    app,
    services,
    throttle: { baseBackoffMs: 20 },
    ...(authSettings ? { authSettings } : {}),
  });
  finishHttpApp(app, logger);
  const http = await listen(app, 0, '127.0.0.1');
  return {
    connector,
    http,
    bot: bot!,
    url: `${http.url}/api/messages`,
    close: async () => {
      await http.close(100);
      await connector.close();
    },
  } satisfies Harness;
}

let db: TestDatabase;
let services: InMemoryChatServices;
let h: Harness;
let personal: TeamsPlace;
let channel: TeamsPlace;

const cardsOf = (call: ConnectorCall): Json[] =>
  ((call.body.attachments as { contentType: string; content: Json }[] | undefined) ?? [])
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content);
const textOf = (value: unknown) => JSON.stringify(value);

/** every card the bot sent: Microsoft's parser finds nothing wrong, version ≤ 1.5, within limits */
function expectValidCards(cards: Json[]) {
  for (const card of cards) {
    const parsed = parseAdaptiveCard(card);
    expect(parsed.errors).toEqual([]);
    expect(Number(parsed.version)).toBeLessThanOrEqual(1.5);
    expect(card.version).toBe('1.5');
    expect(checkAdaptiveCard(card)).toEqual([]);
  }
}

/** all Action.Execute (and their ShowCard confirmations) of a card, with their data */
function executeActions(card: Json): { title: string; data: Json }[] {
  const out: { title: string; data: Json }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Json;
      if (n.type === 'Action.Execute') out.push({ title: String(n.title), data: n.data as Json });
      for (const [key, value] of Object.entries(n)) if (key !== 'fallback') walk(value);
    }
  };
  walk(card);
  return out;
}
const commandsOf = (card: Json) => executeActions(card).map((a) => a.data.command ?? a.data.prefix);

async function say(who: TeamsUser, text: string, place: TeamsPlace = personal) {
  const before = h.connector.calls.length;
  const activity = messageActivity(who, place, text);
  const response = await postActivity(h.url, activity);
  const calls = h.connector.calls.slice(before);
  const reply = calls.find((c) => c.method === 'POST' && c.conversationId === activity.conversation.id);
  return { response, calls, reply, cards: reply ? cardsOf(reply) : [] };
}

async function click(who: TeamsUser, place: TeamsPlace, replyToId: string, data: Json) {
  const before = h.connector.calls.length;
  const response = await postActivity(h.url, executeActivity(who, place, replyToId, data));
  return { response, calls: h.connector.calls.slice(before) };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const customers: { id: string; name: string }[] = [];
  for (const name of ['Acme Corp', 'Acme Holdings', 'Northwind Traders', 'Contoso Ltd'])
    customers.push(await db.prisma.customer.create({ data: { name }, select: { id: true, name: true } }));
  services = new InMemoryChatServices({
    customers,
    unmappedProducts: 300,
    services: 250,
    smallCatalogueCustomerIds: [customers[3]!.id],
  });
  h = await startHarness(db, services);
  personal = { serviceUrl: h.connector.serviceUrl };
  channel = {
    serviceUrl: h.connector.serviceUrl,
    channel: { id: CHANNEL_ID, name: 'billing', teamId: 'team-1' },
  };
  for (const [user, role] of [
    ['aad-ops', 'operator'],
    ['aad-app', 'approver'],
    ['aad-app2', 'approver'],
    ['aad-view', 'viewer'],
  ]) {
    const { cards } = await say(ADMIN, `grant ${user} ${role}`);
    expect(textOf(cards)).toContain(`is now ${role}`);
  }
  expect((await postActivity(h.url, installActivity(ADMIN, channel))).status).toBe(200);
  const notify = await say(ADMIN, 'notify here', channel);
  expect(textOf(notify.cards)).toContain('now receives approval requests');
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

describe('commands', () => {
  const everyCommand: [TeamsUser, string, string][] = [
    [VIEWER, 'help', 'commands'],
    [VIEWER, 'help validate', 'validate <customer>|all'],
    [OPS, 'test', 'Autotask connection'],
    [VIEWER, 'status', 'Mapping mode'],
    [VIEWER, 'customers', 'Northwind Traders'],
    [VIEWER, 'customers acme', 'Acme Holdings'],
    [OPS, 'map "Acme Corp"', 'Mapping — Acme Corp'],
    [OPS, 'map "Acme Corp" company 7', 'mapCompany done'],
    [OPS, 'map "Acme Corp" contract monthly 70 default', 'mapContract done'],
    [OPS, 'map "Acme Corp" product "Visio Plan 2" service 31', 'mapProduct done'],
    [OPS, 'confirm sug_1', 'confirmSuggestion done'],
    [OPS, 'confirm "Acme Corp" all', 'confirmAll done'],
    [VIEWER, 'unmapped', 'Visio Plan 2'],
    [VIEWER, 'unmapped northwind', 'Unmapped — Northwind Traders'],
    [ADMIN, 'mode auto', 'Mapping mode is now **auto**'],
    [OPS, 'validate northwind', 'Valid'],
    [OPS, 'autotask validate northwind', 'Valid'],
    [OPS, 'validate all', 'for 4 customers'],
    [OPS, 'upload contoso', 'requested'],
    [VIEWER, 'runs', 'Runs'],
    [VIEWER, 'runs northwind', 'Runs — Northwind Traders'],
    [VIEWER, 'run run_1', 'Run run_1'],
    [OPS, 'retry run_1', 'Retrying'],
    [ADMIN, 'schedule all daily', 'Scheduled validate-then-upload for all'],
    [ADMIN, 'schedules', 'sch_1'],
    [ADMIN, 'unschedule sch_1', 'removed'],
    [VIEWER, 'audit', 'role.granted'],
    [VIEWER, 'audit northwind since 2026-01-01', 'Audit log — Northwind Traders since 2026-01-01'],
    [ADMIN, 'roles', 'teams:tenant-1:aad-ops'],
    [ADMIN, 'grant aad-temp viewer', 'teams:tenant-1:aad-temp is now viewer'],
    [ADMIN, 'revoke aad-temp viewer', 'no longer holds viewer'],
    [APPROVER, 'reject run_2 "wrong contract"', 'You rejected run'],
    [VIEWER, 'validate acme', 'needs the **operator** role'],
    [OPS, 'validate acme', 'matches several customers'],
    [OPS, 'frobnicate', "I don't know the command"],
  ];

  it.each(everyCommand)(
    '%j in a personal chat: "%s" is answered with Adaptive Cards',
    async (who, text, expected) => {
      const { response, reply, cards } = await say(who, text);
      expect(response.status).toBe(200);
      expect(reply).toBeDefined();
      expect(cards.length).toBeGreaterThan(0);
      expect(textOf(cards)).toContain(expected);
      expect(textOf(cards)).not.toContain('failed unexpectedly');
      expectValidCards(cards);
    },
  );

  it('in a channel the @mention is removed: "@Autotask validate northwind" validates', async () => {
    const before = services.callsOf('validate').length;
    const { response, reply, cards } = await say(OPS, 'validate northwind', channel);
    expect(response.status).toBe(200);
    expect(reply!.conversationId).toBe(CHANNEL_ID);
    expect(textOf(cards)).toContain('Valid');
    expect(services.callsOf('validate')).toHaveLength(before + 1);
    expectValidCards(cards);
  });

  it('in a group chat too; another person @mentioned in grant becomes their identity', async () => {
    const group: TeamsPlace = { serviceUrl: h.connector.serviceUrl, group: '19:group-chat@thread.v2' };
    const { reply, cards } = await say(VIEWER, 'status', group);
    expect(reply!.conversationId).toBe('19:group-chat@thread.v2');
    expect(textOf(cards)).toContain('Mapping mode');

    h.connector.addMember({ id: '29:dana', name: 'Dana', aadObjectId: 'aad-dana' });
    const before = h.connector.calls.length;
    const response = await postActivity(
      h.url,
      messageMentioning(ADMIN, channel, 'grant @person viewer', { id: '29:dana', name: 'Dana' }),
    );
    expect(response.status).toBe(200);
    const answer = h.connector.calls.slice(before).find((c) => c.method === 'POST')!;
    expect(textOf(cardsOf(answer))).toContain('teams:tenant-1:aad-dana is now viewer');
  });

  it('turns 300 random command strings into usage or help over HTTP — never a 5xx', async () => {
    const random = seededRandom(7_10);
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 30; batch++) {
      const results = await Promise.all(Array.from({ length: 10 }, () => say(VIEWER, randomCommand(random))));
      for (const r of results) {
        statuses.set(r.response.status, (statuses.get(r.response.status) ?? 0) + 1);
        expect(textOf(r.cards)).not.toContain('failed unexpectedly');
        expectValidCards(r.cards);
      }
    }
    expect([...statuses.entries()]).toEqual([[200, 300]]);
  });
});

const puts = (activityId: string) =>
  h.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === activityId);

describe('the full flow: validate → approval card → Approve (invoke) → card updated → upload → notification', () => {
  let runId: string;
  let approvalId: string;

  it('validate, then "Request upload" (Action.Execute) posts the approval card to the notify-here channel and stores it', async () => {
    const { reply, cards } = await say(OPS, 'validate northwind');
    expectValidCards(cards);
    const request = executeActions(cards[0]!).find((a) => a.title === 'Request upload')!;
    runId = String(request.data.command).split(' ')[1]!;
    const clicked = await click(OPS, personal, reply!.assignedId!, request.data);
    expect(clicked.response.status).toBe(200);
    expect(clicked.response.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
    });
    const approvalPost = clicked.calls.find((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID)!;
    expect(approvalPost).toBeDefined();
    approvalId = approvalPost.assignedId!;
    const [card] = cardsOf(approvalPost);
    expectValidCards([card!]);
    expect(commandsOf(card!)).toEqual([`approve ${runId}`, `reject ${runId}`]);
    // the person who asked hears back in their own chat
    const answer = clicked.calls.find(
      (c) => c.method === 'POST' && c.conversationId === 'a:personal-aad-ops',
    )!;
    expect(textOf(cardsOf(answer))).toContain('requested');
    const stored = await db.prisma.chatPostedCard.findUnique({
      where: { kind_runId_platform: { kind: 'approval', runId, platform: 'teams' } },
    });
    expect(stored).toMatchObject({ channel: CHANNEL_ID, messageId: approvalId });
  });

  it('Approve (and Reject) ask twice: a ShowCard with what will happen, then the real button', async () => {
    const post = h.connector.calls.find((c) => c.assignedId === approvalId)!;
    const actionSet = (cardsOf(post)[0]!.body as Json[]).find((e) => e.type === 'ActionSet')!;
    const [approve, reject] = actionSet.actions as Json[];
    expect(approve).toMatchObject({ type: 'Action.ShowCard', title: 'Approve…' });
    const confirm = (approve!.card as Json).actions as Json[];
    expect(confirm).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        title: 'Approve',
        data: { command: `approve ${runId}` },
        fallback: expect.objectContaining({ type: 'Action.Submit', data: { command: `approve ${runId}` } }),
      }),
    ]);
    expect(textOf(approve!.card)).toContain('operations will be written to Autotask');
    // Reject asks for confirmation too (the approval card's Reject carries a confirm dialog)
    expect(reject).toMatchObject({ type: 'Action.ShowCard', title: 'Reject…' });
    expect((reject!.card as Json).actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        title: 'Reject',
        style: 'destructive',
        data: { command: `reject ${runId}` },
      }),
    ]);
  });

  it('the requester may not approve (four-eyes): the card shows progress, then is put back with its buttons', async () => {
    const before = puts(approvalId).length;
    const { response } = await click(OPS, channel, approvalId, { command: `approve ${runId}` });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    const updates = puts(approvalId).slice(before);
    expect(updates).toHaveLength(2);
    expect(textOf(updates[0]!.body)).toContain('working');
    expect(executeActions(cardsOf(updates[0]!)[0]!)).toEqual([]);
    expect(commandsOf(cardsOf(updates[1]!)[0]!)).toEqual([`approve ${runId}`, `reject ${runId}`]);
    expect(services.decisions.filter((d) => d.runId === runId)).toEqual([]);
  });

  it('Approve by an approver rewrites the clicked card in place without buttons; a double click and a second approver change nothing', async () => {
    const before = puts(approvalId).length;
    const first = await click(APPROVER, channel, approvalId, { command: `approve ${runId}` });
    expect(first.response.status).toBe(200);
    expect(first.response.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
    });
    const clickerCard = (first.response.body as Json).value as Json;
    expectValidCards([clickerCard]);
    expect(executeActions(clickerCard)).toEqual([]);
    expect(textOf(clickerCard)).toContain('Approved by teams:tenant-1:aad-app');

    const updates = puts(approvalId).slice(before);
    expect(updates.map((u) => textOf(u.body).includes('working'))).toEqual([true, false]);
    const final = cardsOf(updates[1]!)[0]!;
    expectValidCards([final]);
    expect(executeActions(final)).toEqual([]);
    expect(textOf(final)).toContain('Approved by teams:tenant-1:aad-app');

    const doubleClick = await click(APPROVER, channel, approvalId, { command: `approve ${runId}` });
    expect(doubleClick.response.body).toMatchObject({ value: 'Already on it.' });
    const other = await click(APPROVER2, channel, approvalId, { command: `approve ${runId}` });
    expect(textOf(other.calls.filter((c) => c.method === 'POST').map(cardsOf))).toContain(
      'already been decided',
    );
    expect(services.decisions.filter((d) => d.runId === runId)).toEqual([
      { runId, decision: 'approved', by: 'teams:tenant-1:aad-app' },
    ]);
    expect(services.uploads.filter((r) => r === runId)).toHaveLength(1);
    expect(executeActions(cardsOf(puts(approvalId).at(-1)!)[0]!)).toEqual([]);
  });

  it('upload progress and the outcome rewrite the card; a failure notification reaches the stored channel proactively', async () => {
    const run = services.runs.get(runId)!;
    run.progress = { done: 600, total: 1200 };
    await h.bot.notifier.runChanged({ ...run });
    expect(textOf(puts(approvalId).at(-1)!.body)).toContain('600 / 1,200 operations · 50 %');

    run.state = 'succeeded';
    run.outcome = { succeeded: 1200, failed: 0 };
    await h.bot.notifier.runChanged({ ...run });
    const done = cardsOf(puts(approvalId).at(-1)!)[0]!;
    expect(textOf(done)).toContain('Upload succeeded: 1,200 operations done, 0 failed');
    expect(executeActions(done)).toEqual([]);
    expectValidCards([done]);

    const posts = h.connector.calls.filter(
      (c) => c.method === 'POST' && c.conversationId === CHANNEL_ID,
    ).length;
    await h.bot.notifier.runFailed({
      runId,
      customerName: 'Northwind Traders',
      what: '2 of 1,200 adjustments were refused by Autotask',
      retryCommand: `retry ${runId}`,
      errors: [
        {
          code: 'CONTRACT_TERM_GAP',
          message: 'the contract ends 2026-06-30',
          fix: 'extend the contract end date',
        },
      ],
    });
    const [notification] = h.connector.calls
      .filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID)
      .slice(posts);
    expect(notification).toBeDefined();
    const card = cardsOf(notification!)[0]!;
    expectValidCards([card]);
    expect(textOf(card)).toContain('Upload failed — Northwind Traders');
    expect(commandsOf(card)).toEqual([`retry ${runId}`, `run ${runId}`]);

    // Retry on the failure card: the approval card shows the new upload; the notice stays as it is
    const approvalUpdates = puts(approvalId).length;
    const retried = await click(OPS, channel, notification!.assignedId!, { command: `retry ${runId}` });
    expect(retried.response.status).toBe(200);
    expect(services.callsOf('retry').at(-1)!.input).toMatchObject({ runId });
    expect(puts(approvalId).length).toBe(approvalUpdates + 1);
    expect(puts(notification!.assignedId!)).toEqual([]);
    expect(textOf(retried.calls.filter((c) => c.method === 'POST').map(cardsOf))).toContain('Retrying');
  });

  it('a scheduled run asking for approval posts its card to the notify-here channel proactively', async () => {
    const scheduled = services.runs.get(runId)!;
    const posts = h.connector.calls.length;
    await h.bot.notifier.approvalRequested({
      ...scheduled,
      runId: 'run_scheduled',
      state: 'awaiting_approval',
      requestedBy: 'system',
    });
    const [post] = h.connector.calls.slice(posts).filter((c) => c.method === 'POST');
    expect(post!.conversationId).toBe(CHANNEL_ID);
    expect(commandsOf(cardsOf(post!)[0]!)).toEqual(['approve run_scheduled', 'reject run_scheduled']);
    expectValidCards(cardsOf(post!));
    const stored = await db.prisma.chatPostedCard.findFirstOrThrow({
      where: { runId: 'run_scheduled', platform: 'teams' },
    });
    expect(stored).toMatchObject({ channel: CHANNEL_ID, messageId: post!.assignedId });
  });

  it('an upload requested and approved from the CLI shows on the Teams card too', async () => {
    const config = () =>
      loadConfig({
        DATABASE_URL: db.url,
        ADMIN_USERS: `teams:${TENANT}:aad-admin`,
        MICROSOFT_APP_TENANT_ID: TENANT,
        LOG_LEVEL: 'silent',
      });
    const out: string[] = [];
    const cli = (as: string, ...args: string[]) =>
      runChatCommandFromCli(
        { config, io: { out: (t) => out.push(t), err: (t) => out.push(t) }, flags: { json: false, as } },
        args,
        { services },
      );
    const before = h.connector.calls.length;
    expect(await cli('teams:tenant-1:aad-ops', 'upload', 'Northwind Traders')).toBe(0);
    const cliRun = /run (run_\d+)/.exec(out.join('\n'))![1]!;
    const [post] = h.connector.calls
      .slice(before)
      .filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID);
    expect(commandsOf(cardsOf(post!)[0]!)).toEqual([`approve ${cliRun}`, `reject ${cliRun}`]);
    expect(await cli('teams:tenant-1:aad-app', 'approve', cliRun)).toBe(0);
    const final = cardsOf(puts(post!.assignedId!).at(-1)!)[0]!;
    expect(textOf(final)).toContain('Approved by teams:tenant-1:aad-app');
    expect(executeActions(final)).toEqual([]);
  });

  it('Reject through the Action.Submit fallback (a message with a value) rewrites the card with who rejected it', async () => {
    const { calls } = await say(OPS, 'upload contoso');
    const posted = calls.find((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID)!;
    const otherRun = String(commandsOf(cardsOf(posted)[0]!)[1]).split(' ')[1]!;
    const response = await postActivity(
      h.url,
      submitActivity(APPROVER, channel, posted.assignedId!, { command: `reject ${otherRun}` }),
    );
    expect(response.status).toBe(200);
    const final = cardsOf(puts(posted.assignedId!).at(-1)!)[0]!;
    expect(textOf(final)).toContain('Rejected by teams:tenant-1:aad-app');
    expect(executeActions(final)).toEqual([]);
    expect(services.decisions.filter((d) => d.runId === otherRun)).toEqual([
      { runId: otherRun, decision: 'rejected', by: 'teams:tenant-1:aad-app' },
    ]);
  });
});

describe('mapping card with 300 unmapped products', () => {
  let card: Json;
  let replyId: string;
  const choiceSets = (c: Json) => {
    const out: Json[] = [];
    const walk = (n: unknown) => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        if ((n as Json).type === 'Input.ChoiceSet') out.push(n as Json);
        Object.values(n).forEach(walk);
      }
    };
    walk(c);
    return out;
  };

  it('renders searchable selects (Data.Query, 15 shown) within the limits, parsed without errors', async () => {
    const { reply, cards } = await say(OPS, 'map "Acme Corp"');
    expectValidCards(cards);
    [card] = cards as [Json];
    replyId = reply!.assignedId!;
    const sets = choiceSets(card);
    // as many as fit in a Teams message; the card says how to reach the rest
    expect(sets.length).toBeGreaterThanOrEqual(5);
    expect(sets.length).toBeLessThanOrEqual(20);
    expect(textOf(card)).toContain('more parts not shown');
    // the rest are one click away: the card pages through them (20 a page)
    expect(textOf(card)).toContain('300 products without a service');
    expect(textOf(card)).toContain('page 1 of 15');
    expect(JSON.stringify(card)).toContain('page 2"');
    for (const set of sets) {
      expect((set.choices as unknown[]).length).toBe(15);
      expect(set['choices.data']).toEqual({
        type: 'Data.Query',
        dataset: expect.stringMatching(/^services:/),
        count: 15,
      });
    }
    expect(JSON.stringify(card)).toContain('Next products');
  });

  it('answers the search invoke with at most 15 services, and nothing to a viewer', async () => {
    const dataset = String(
      choiceSets(card)[0]!['choices.data'] && (choiceSets(card)[0]!['choices.data'] as Json).dataset,
    );
    const found = await postActivity(h.url, searchActivity(OPS, personal, dataset, 'service 1'));
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ type: 'application/vnd.microsoft.search.searchResponse' });
    const results = ((found.body as Json).value as { results: { title: string; value: string }[] }).results;
    expect(results.length).toBe(15);
    expect(results.every((r) => r.title.toLowerCase().includes('service 1'))).toBe(true);
    const denied = await postActivity(h.url, searchActivity(VIEWER, personal, dataset, 'service'));
    expect(((denied.body as Json).value as { results: unknown[] }).results).toEqual([]);
  });

  it('choosing a service and pressing Set maps the product; the mapping card stays as it is', async () => {
    const set = executeActions(card).find((a) => a.title === 'Set')!;
    const before = services.callsOf('mapProduct').length;
    const picked = await click(OPS, personal, replyId, { ...set.data, [String(set.data.input)]: '1003' });
    expect(picked.response.status).toBe(200);
    const calls = services.callsOf('mapProduct');
    expect(calls).toHaveLength(before + 1);
    expect(calls.at(-1)!.input).toMatchObject({
      product: 'Product 1 ' + 'with a rather long name that goes on and on for a while '.repeat(4).trim(),
      service: '1003',
    });
    expect(puts(replyId)).toEqual([]);
    expect(textOf(picked.calls.map(cardsOf))).toContain('mapProduct done');

    const empty = await click(OPS, personal, replyId, set.data);
    expect(empty.response.body).toMatchObject({ value: 'Pick a value in the list first, then press Set.' });
  });

  it('a small catalogue gets static selects without a search', async () => {
    const { cards } = await say(OPS, 'map contoso');
    expectValidCards(cards);
    const sets = choiceSets(cards[0]!);
    expect(sets.length).toBeGreaterThan(0);
    for (const set of sets) {
      expect((set.choices as unknown[]).length).toBe(30);
      expect(set['choices.data']).toBeUndefined();
    }
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
    const validations = services.callsOf('validate').length;
    const response = await postActivity(h.url, messageActivity(stranger, personal, 'validate northwind'));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'TENANT_REFUSED' });
    expect(h.connector.calls.length).toBe(calls);
    expect(services.callsOf('validate').length).toBe(validations);
    expect(
      await db.prisma.teamsConversation.findUnique({ where: { conversationId: 'a:personal-aad-admin' } }),
    ).toMatchObject({ tenantId: TENANT });
  });

  it('answers malformed bodies and non-activities with 400', async () => {
    expect((await postActivity(h.url, '{not json')).status).toBe(400);
    const notActivity = await postActivity(h.url, { hello: 'world' });
    expect(notActivity.status).toBe(400);
    expect(notActivity.body).toMatchObject({ error: 'BAD_ACTIVITY' });
  });

  it('an unknown button is answered, not crashed on', async () => {
    const clicked = await click(OPS, personal, 'activity-1', { something: 'else' });
    expect(clicked.response.body).toMatchObject({ value: 'That button is not one of mine.' });
  });
});

describe('with MICROSOFT_APP_ID set', () => {
  const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  let secured: Harness;
  beforeAll(async () => {
    secured = await startHarness(db, services, {
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'client-secret-for-tests',
      AUTOTASK_MODE: 'sandbox',
    });
  });
  afterAll(() => secured.close());

  it('refuses an unsigned request and a forged token with 401, processing nothing', async () => {
    const who: TeamsUser = { tenant: TENANT, aadObjectId: 'aad-unsigned' };
    const place = { serviceUrl: secured.connector.serviceUrl };
    const validations = services.callsOf('validate').length;
    const unsigned = await postActivity(secured.url, messageActivity(who, place, 'validate northwind'));
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ error: 'UNAUTHORIZED' });
    const forged = await postActivity(secured.url, messageActivity(who, place, 'validate northwind'), {
      authorization: 'Bearer not.a.token',
    });
    expect(forged.status).toBe(401);
    expect(secured.connector.calls).toEqual([]);
    expect(services.callsOf('validate').length).toBe(validations);
    expect(
      await db.prisma.teamsConversation.findUnique({ where: { conversationId: 'a:personal-aad-unsigned' } }),
    ).toBeNull();
  });
});

describe('with MICROSOFT_APP_ID set, signed tokens', () => {
  const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  let secured: Harness;
  beforeAll(async () => {
    secured = await startHarness(
      db,
      services,
      {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'client-secret-for-tests',
        AUTOTASK_MODE: 'sandbox',
      },
      { checkTokens: true },
    );
  });
  afterAll(() => secured.close());

  it('accepts an install signed by the channel for this app (the conversation is stored); refuses a token for another app or service URL', async () => {
    const place: TeamsPlace = {
      serviceUrl: secured.connector.serviceUrl,
      channel: { id: '19:signed@thread.tacv2', name: 'signed', teamId: 'team-2' },
    };
    const serviceurl = secured.connector.serviceUrl;
    const bearer = (claims: { aud: string; serviceurl: string }) => ({
      authorization: `Bearer ${secured.connector.signToken(claims)}`,
    });
    const otherApp = await postActivity(
      secured.url,
      installActivity(ADMIN, place),
      bearer({ aud: '11111111-2222-4333-8444-555555555555', serviceurl }),
    );
    expect(otherApp.status).toBe(401);
    const otherUrl = await postActivity(
      secured.url,
      installActivity(ADMIN, place),
      bearer({ aud: APP_ID, serviceurl: 'https://smba.example.com/' }),
    );
    expect(otherUrl.status).toBe(401);
    expect(
      await db.prisma.teamsConversation.findUnique({ where: { conversationId: '19:signed@thread.tacv2' } }),
    ).toBeNull();

    const signed = await postActivity(
      secured.url,
      installActivity(ADMIN, place),
      bearer({ aud: APP_ID, serviceurl }),
    );
    expect(signed.status).toBe(200);
    expect(
      await db.prisma.teamsConversation.findUnique({ where: { conversationId: '19:signed@thread.tacv2' } }),
    ).toMatchObject({
      tenantId: TENANT,
      conversationType: 'channel',
    });
  });
});

describe('throttling', () => {
  it('retries a send Teams answered with 429 and delivers it', async () => {
    const before = h.connector.calls.length;
    const refused = h.connector.refused429;
    h.connector.throttleNext(2);
    await h.bot.notifier.runFailed({
      runId: 'run_1',
      customerName: 'Acme Corp',
      what: 'it failed',
      errors: [],
      retryCommand: 'retry run_1',
    });
    // botbuilder's connector client retries a 429 itself first; the throttle backs off when it gives up
    expect(h.connector.refused429).toBe(refused + 2);
    expect(h.connector.calls.slice(before).filter((c) => c.conversationId === CHANNEL_ID)).toHaveLength(1);
  });

  it('keeps a burst of 20 proactive messages to one channel at 7 a second or fewer', async () => {
    const before = h.connector.calls.length;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.bot.notifier.runFailed({
          runId: `run_${i}`,
          customerName: 'Acme Corp',
          what: 'it failed',
          errors: [],
          retryCommand: `retry run_${i}`,
        }),
      ),
    );
    const sent = h.connector.calls.slice(before).filter((c) => c.conversationId === CHANNEL_ID);
    expect(sent).toHaveLength(20);
    expect(h.bot.throttle.stats.maxPerSecond[CHANNEL_ID]).toBeLessThanOrEqual(7);
  });
});
