// Socket Mode (SLACK_APP_TOKEN): the bot opens a WebSocket to the URL apps.connections.open gives
// (here a local server standing in for Slack), receives envelopes, acknowledges them on the socket
// and answers through response_url; a redelivered envelope is handled once.
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { loadConfig } from '../../../src/config.js';
import { startSlackApp } from '../../../src/chat/slack/startSlackApp.js';
import type { SlackBot } from '../../../src/chat/slack/slackBot.js';
import { createHttpApp } from '../../../src/http/httpServer.js';
import { createLogger } from '../../../src/observability/logger.js';
import { startRecordingSlackServer, type RecordingSlackServer } from '../../helpers/recordingSlackServer.js';
import { InMemoryChatServices } from '../../helpers/inMemoryChatServices.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let recorder: RecordingSlackServer;
let sockets: WebSocket.Server;
let bot: SlackBot;
const fromBot: Record<string, unknown>[] = [];
let connection: WebSocket | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  sockets = new WebSocket.Server({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => sockets.once('listening', resolve));
  const wsUrl = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/`;
  sockets.on('connection', (ws) => {
    connection = ws;
    ws.on('message', (data) => fromBot.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A1' },
        debug_info: { approximate_connection_time: 3600 },
      }),
    );
  });
  recorder = await startRecordingSlackServer({
    answers: { 'apps.connections.open': { ok: true, url: wsUrl } },
  });
  const config = loadConfig({
    DATABASE_URL: db.url,
    SLACK_BOT_TOKEN: 'xoxb-socket-test',
    SLACK_APP_TOKEN: 'xapp-1-socket-test',
    SLACK_API_URL: recorder.apiUrl,
    ADMIN_USERS: 'slack:T1:UADMIN',
  });
  const logger = createLogger({ level: 'silent', format: 'json', secrets: config.secrets });
  const app = createHttpApp({ logger, health: [] });
  bot = await startSlackApp({
    config,
    prisma: db.prisma,
    logger,
    app,
    services: new InMemoryChatServices({ customers: [], prisma: db.prisma }),
  });
});
afterAll(async () => {
  await bot?.stop();
  await new Promise((resolve) => sockets?.close(resolve));
  await recorder?.close();
  await db?.drop();
});

function envelope(id: string, retry: number) {
  return JSON.stringify({
    envelope_id: id,
    type: 'slash_commands',
    accepts_response_payload: true,
    retry_attempt: retry,
    retry_reason: retry ? 'timeout' : '',
    payload: {
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'partner',
      channel_id: 'C1',
      channel_name: 'general',
      user_id: 'UADMIN',
      user_name: 'admin',
      command: '/autotask',
      text: 'roles',
      api_app_id: 'A1',
      response_url: recorder.responseUrl('socket-1'),
      trigger_id: 'trigger.1',
    },
  });
}

describe('Slack in Socket Mode', () => {
  it('serves no HTTP route, takes commands over the socket, acks each envelope, answers once', async () => {
    expect(bot.httpRouter).toBeUndefined();
    expect(recorder.calls.some((c) => c.method === 'apps.connections.open')).toBe(true);
    connection!.send(envelope('env-1', 0));
    const [answer] = await recorder.waitFor((c) => c.responseId === 'socket-1');
    expect(JSON.stringify(answer!.body.blocks)).toContain('slack:T1:UADMIN');
    connection!.send(envelope('env-2', 1));
    for (let i = 0; i < 50 && fromBot.filter((m) => m.envelope_id === 'env-2').length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(fromBot.map((m) => m.envelope_id)).toEqual(expect.arrayContaining(['env-1', 'env-2']));
    await bot.idle();
    expect(recorder.calls.filter((c) => c.responseId === 'socket-1')).toHaveLength(1);
  });
});
