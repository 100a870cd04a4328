// Teams on the real bot: startBot() (src/main.ts) on a test database with the in-process Autotask
// sandbox and the demo partner — the local demo, unauthenticated, unless the env sets an app id — /api/messages reached over HTTP, and a local recording Bot
// Connector as every activity's serviceUrl — the only stand-in, for Microsoft's servers.
import { loadConfig } from '../../src/config.js';
import { checkAdaptiveCard } from '../../src/chat/teams/adaptiveCardLimits.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { parseAdaptiveCard } from './adaptiveCardCheck.js';
import {
  startRecordingBotConnector,
  type ConnectorCall,
  type RecordingBotConnector,
} from './recordingBotConnector.js';
import {
  executeActivity,
  messageActivity,
  postActivity,
  type TeamsPlace,
  type TeamsUser,
} from './teamsActivities.js';
import type { TestDatabase } from './testDatabase.js';

export type Json = Record<string, unknown>;

export const TEAMS_TENANT = 'tenant-1';
export const TEAMS_ADMIN: TeamsUser = { tenant: TEAMS_TENANT, aadObjectId: 'aad-admin', name: 'Ada Admin' };

export interface TeamsBotHarness {
  bot: RunningBot;
  connector: RecordingBotConnector;
  /** …/api/messages of the running bot */
  url: string;
  personal: TeamsPlace;
  channel(id: string, name?: string): TeamsPlace;
  /** a typed message; the reply is the bot's POST to the same conversation */
  say(
    who: TeamsUser,
    text: string,
    place?: TeamsPlace,
  ): Promise<{
    response: Awaited<ReturnType<typeof postActivity>>;
    calls: ConnectorCall[];
    reply: ConnectorCall | undefined;
    cards: Json[];
  }>;
  /** a click on an Action.Execute button of the card posted as `replyToId` */
  click(
    who: TeamsUser,
    place: TeamsPlace,
    replyToId: string,
    data: Json,
  ): Promise<{ response: Awaited<ReturnType<typeof postActivity>>; calls: ConnectorCall[] }>;
  /** the card updates (PUT …/activities/{id}) of one posted message */
  puts(activityId: string): ConnectorCall[];
  close(): Promise<void>;
}

export async function startTeamsBotHarness(
  db: TestDatabase,
  env: Record<string, string> = {},
): Promise<TeamsBotHarness> {
  const connector = await startRecordingBotConnector();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    AUTOTASK_MODE: 'sandbox',
    DEMO_PARTNER: 'on',
    ADMIN_USERS: `teams:${TEAMS_TENANT}:${TEAMS_ADMIN.aadObjectId}`,
    MICROSOFT_APP_TENANT_ID: TEAMS_TENANT,
    ...env,
  });
  const bot = await startBot(config, {
    logger: createLogger({ level: 'silent', format: 'json', secrets: config.secrets }),
    // the test database stands in for the demo's embedded one: Teams runs as in the demo
    teamsDemoDatabase: true,
  });
  const url = `${bot.http.url}/api/messages`;
  const personal: TeamsPlace = { serviceUrl: connector.serviceUrl };
  return {
    bot,
    connector,
    url,
    personal,
    channel: (id, name = 'billing') => ({
      serviceUrl: connector.serviceUrl,
      channel: { id, name, teamId: 'team-1' },
    }),
    async say(who, text, place = personal) {
      const before = connector.calls.length;
      const activity = messageActivity(who, place, text);
      const response = await postActivity(url, activity);
      const calls = connector.calls.slice(before);
      const reply = calls.find((c) => c.method === 'POST' && c.conversationId === activity.conversation.id);
      return { response, calls, reply, cards: reply ? cardsOf(reply) : [] };
    },
    async click(who, place, replyToId, data) {
      const before = connector.calls.length;
      const response = await postActivity(url, executeActivity(who, place, replyToId, data));
      return { response, calls: connector.calls.slice(before) };
    },
    puts: (activityId) => connector.calls.filter((c) => c.method === 'PUT' && c.activityId === activityId),
    async close() {
      await bot.stop();
      await connector.close();
    },
  };
}

export const cardsOf = (call: ConnectorCall): Json[] =>
  ((call.body.attachments as { contentType: string; content: Json }[] | undefined) ?? [])
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content);

export const textOf = (value: unknown): string => JSON.stringify(value);

/** every card the bot sent: Microsoft's parser finds nothing wrong, version ≤ 1.5, within limits */
export function expectValidCards(cards: Json[]): void {
  for (const card of cards) {
    const parsed = parseAdaptiveCard(card);
    expect(parsed.errors).toEqual([]);
    expect(Number(parsed.version)).toBeLessThanOrEqual(1.5);
    expect(card.version).toBe('1.5');
    expect(checkAdaptiveCard(card)).toEqual([]);
  }
}

/** all Action.Execute buttons of a card (also inside ShowCard confirmations), with their data */
export function executeActions(card: Json): { title: string; data: Json; fallback?: Json }[] {
  const out: { title: string; data: Json; fallback?: Json }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Json;
      if (n.type === 'Action.Execute')
        out.push({
          title: String(n.title),
          data: n.data as Json,
          ...(n.fallback ? { fallback: n.fallback as Json } : {}),
        });
      for (const [key, value] of Object.entries(n)) if (key !== 'fallback') walk(value);
    }
  };
  walk(card);
  return out;
}

/** the command each button of a card runs (a select's button names its command prefix) */
export const commandsOf = (card: Json): unknown[] =>
  executeActions(card).map((a) => a.data.command ?? a.data.prefix);

/** every Input.ChoiceSet of a card */
export function choiceSets(card: Json): Json[] {
  const out: Json[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if ((n as Json).type === 'Input.ChoiceSet') out.push(n as Json);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}
