// Teams over real HTTP: Bot Framework activities posted to /api/messages on the shared express
// server; replies, card updates and proactive messages land on a local recording Bot Connector
// (each activity's serviceUrl points at it). Every card sent is parsed by Microsoft's
// adaptivecards library and checked against Teams' limits.
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
  type ConnectorCall,
  type RecordingBotConnector,
} from '../helpers/recordingBotConnector.js';
import { randomCommand, seededRandom } from '../helpers/seededRandom.js';
import {
  executeActivity,
  installActivity,
  messageActivity,
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
) {
  const connector = await startRecordingBotConnector();
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
