// The real bot (src/main.ts startBot) as Slack sees it: a fresh database, the in-process Autotask
// sandbox, Slack's Web API and response_url served by a recording server, and signed requests to
// /slack/events. Tests speak as Slack users and assert on what the bot sent back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRecordingSlackServer, type RecordingSlackServer } from './recordingSlackServer.js';
import {
  blockActionBody,
  postSigned,
  slashCommandBody,
  type SlackAction,
  type SlackUser,
} from './signedSlackRequests.js';
import { DEMO_PARTNER_SETTING } from '../../src/demo/demoMode.js';
import { DEMO_CUSTOMERS } from '../../src/demo/demoWorld.js';
import { buttonsOf, textOfCall } from './slackMessages.js';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';

/** the demo partner's history ends here, whatever day the tests run (same data every day) */
export const DEMO_END_DATE = '2026-11-25';
export const SLACK_TEST_SECRET = 'signing-secret-for-tests-0123456789';
export const ADMIN: SlackUser = { team: 'T1', user: 'UADMIN' };
export const OPS: SlackUser = { team: 'T1', user: 'UOPS' };
export const APPROVER: SlackUser = { team: 'T1', user: 'UAPP' };
export const APPROVER2: SlackUser = { team: 'T1', user: 'UAPP2' };
export const VIEWER: SlackUser = { team: 'T1', user: 'UVIEW' };
/** the demo people every harness grants (ADMIN is an admin through ADMIN_USERS) */
const PEOPLE: [SlackUser, string][] = [
  [OPS, 'operator'],
  [APPROVER, 'approver'],
  [APPROVER2, 'approver'],
  [VIEWER, 'viewer'],
];

export interface SlackHarness {
  bot: RunningBot;
  db: TestDatabase;
  recorder: RecordingSlackServer;
  /** /slack/events of the running bot */
  url: string;
  secret: string;
  /** a slash command; with wait (the default) also the response_url message that answers it */
  command(
    who: SlackUser,
    text: string,
    options?: { channel?: string; wait?: boolean; timeoutMs?: number },
  ): Promise<{
    http: { status: number; text: string };
    id: string;
    answeredBeforeAck: boolean;
    message: import('./recordingSlackServer.js').RecordedCall;
  }>;
  /** a block_actions click; the answer (if any) arrives on response_url under `id` */
  click(
    who: SlackUser,
    action: SlackAction,
    messageTs: string,
    actionTs?: string,
  ): Promise<{ http: { status: number; text: string }; id: string; body: string }>;
  /** the number of Web API calls of one method so far */
  countOf(method: string): number;
  close(): Promise<void>;
}

let responseCounter = 0;

export async function startSlackHarness(
  options: {
    secret?: string;
    /** what auth.test answers as the bot's workspace */
    team?: string;
    /** the demo partner (32 customers) imported at start; on by default */
    demo?: boolean;
    /** more environment, e.g. SANDBOX_SEED */
    env?: Record<string, string>;
    /** grant the demo people their roles through Slack; on by default */
    grantPeople?: boolean;
    /** where the bot's log lines go (at info level); default: no logging */
    logStream?: NodeJS.WritableStream;
    logLevel?: 'info' | 'debug' | 'trace';
    /** the DATABASE_URL the bot uses, made from the test database's (another role, say) */
    databaseUrl?: (testDatabaseUrl: string) => string | Promise<string>;
    /** extra Web API answers of the recording Slack server, by method */
    slackAnswers?: Record<string, unknown>;
  } = {},
): Promise<SlackHarness> {
  const secret = options.secret ?? SLACK_TEST_SECRET;
  const db = await createTestDatabase();
  const recorder = await startRecordingSlackServer({
    teamId: options.team ?? 'T1',
    ...(options.slackAnswers ? { answers: options.slackAnswers } : {}),
  });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'slack-harness-'));
  // demo mode imports the partner generated up to a remembered end date: remember a fixed one
  await db.prisma.setting.create({
    data: {
      key: DEMO_PARTNER_SETTING,
      value: { endDate: DEMO_END_DATE, importedAt: null },
      updatedBy: 'test',
    },
  });
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ? await options.databaseUrl(db.url) : db.url,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    AUTOTASK_MODE: 'sandbox',
    DEMO_PARTNER: options.demo === false ? 'off' : 'on',
    SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: recorder.apiUrl,
    ADMIN_USERS: 'slack:T1:UADMIN',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const bot = await startBot(config, {
    logger: createLogger({
      level: options.logStream ? (options.logLevel ?? 'info') : 'silent',
      format: 'json',
      secrets: config.secrets,
      ...(options.logStream ? { destination: options.logStream } : {}),
    }),
    // the test database stands in for the demo's embedded one: Teams runs as in the demo
    teamsDemoDatabase: true,
  });
  const url = `${bot.http.url}/slack/events`;

  const harness: SlackHarness = {
    bot,
    db,
    recorder,
    url,
    secret,
    async command(who, text, commandOptions = {}) {
      const id = `cmd-${++responseCounter}`;
      const body = slashCommandBody({
        who,
        text,
        responseUrl: recorder.responseUrl(id),
        channel: commandOptions.channel,
      });
      const http = await postSigned(url, body, { secret });
      const answeredBeforeAck = recorder.calls.some((c) => c.responseId === id);
      if (commandOptions.wait === false) return { http, id, answeredBeforeAck, message: undefined as never };
      const [message] = await recorder.waitFor(
        (c) => c.responseId === id,
        1,
        commandOptions.timeoutMs ?? 60_000,
      );
      return { http, id, answeredBeforeAck, message: message! };
    },
    async click(who, action, messageTs, actionTs) {
      const id = `click-${++responseCounter}`;
      const body = blockActionBody({
        who,
        action,
        responseUrl: recorder.responseUrl(id),
        messageTs,
        actionTs,
      });
      const http = await postSigned(url, body, { secret });
      return { http, id, body };
    },
    countOf: (method) => recorder.calls.filter((c) => c.method === method).length,
    async close() {
      await bot.stop();
      await recorder.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  if (options.grantPeople !== false)
    for (const [who, role] of PEOPLE) {
      const { message } = await harness.command(ADMIN, `grant <@${who.user}> ${role}`);
      if (!textOfCall(message).includes(`is now ${role}`))
        throw new Error(`could not grant ${who.user} ${role}: ${textOfCall(message)}`);
    }
  return harness;
}

/**
 * Demo customers whose validation (as OPS) offers "Request upload" and whose upload goes through.
 * Looked up rather than named: a few demo subscriptions have two changes on one day, stored in an
 * order that is not always the same, so which customers validate clean can vary.
 */
export async function uploadableCustomers(harness: SlackHarness, count: number): Promise<string[]> {
  const found: string[] = [];
  for (const customer of DEMO_CUSTOMERS) {
    const { message } = await harness.command(OPS, `validate "${customer.name}"`);
    if (buttonsOf(message).some((b) => b.text.text.startsWith('Request upload'))) found.push(customer.name);
    if (found.length === count) return found;
  }
  throw new Error(`only ${found.length} demo customers validate clean with changes, ${count} needed`);
}
