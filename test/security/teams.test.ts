// Probes at the wire for Teams (issue 17, point 4; docs/security/teams-and-playground.md): real
// HTTP to /api/messages, botbuilder's own token check against a local stand-in for Microsoft's
// edge (OpenID metadata, signing keys, Bot Connector — the recording connector).
//  - with MICROSOFT_APP_ID: no token, a forged token, a token for another app → 401, nothing read,
//    echoed, stored or sent; a valid token naming a serviceUrl off Microsoft's hosts → 403 and no
//    outbound request; signing keys that cannot be fetched → 503, never 500;
//  - without it: Teams starts only for the local demo, and replies (also proactive ones) go only
//    to this machine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import {
  NOTIFICATION_TARGET_SETTING,
  NotificationTargetSchema,
} from '../../src/settings/notificationTargetSetting.js';
import { startTeamsApp } from '../../src/chat/teams/startTeamsApp.js';
import { TeamsConversationStore } from '../../src/chat/teams/teamsConversationStore.js';
import { loadConfig } from '../../src/config.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../src/http/httpServer.js';
import { startBot } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { writeSetting } from '../../src/settings/settingsStore.js';
import { CollectingStream } from '../helpers/collectingStream.js';
import {
  startRecordingBotConnector,
  TOKEN_ISSUER,
  type RecordingBotConnector,
} from '../helpers/recordingBotConnector.js';
import { installActivity, messageActivity, postActivity } from '../helpers/teamsActivities.js';
import { startTeamsBotHarness, TEAMS_ADMIN, TEAMS_TENANT } from '../helpers/teamsBotHarness.js';
import { InMemoryChatServices } from '../helpers/inMemoryChatServices.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const MICROSOFT = 'https://smba.trafficmanager.net/emea/';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** Teams with MICROSOFT_APP_ID, its Bot Framework keys published at `openIdMetadataUrl`. */
async function authenticatedTeams(openIdMetadataUrl: string) {
  const config = loadConfig({
    DATABASE_URL: db.url,
    AUTOTASK_MODE: 'sandbox',
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'client-secret-for-tests',
    MICROSOFT_APP_TENANT_ID: TEAMS_TENANT,
    ADMIN_USERS: `teams:${TEAMS_TENANT}:${TEAMS_ADMIN.aadObjectId}`,
  });
  const logs = new CollectingStream();
  const logger = createLogger({ level: 'info', format: 'json', secrets: config.secrets, destination: logs });
  const app = createHttpApp({ logger, health: [] });
  await startTeamsApp({
    config,
    prisma: db.prisma,
    logger,
    app,
    services: new InMemoryChatServices({ customers: [], prisma: db.prisma }),
    authSettings: {
      ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: TOKEN_ISSUER,
    },
  });
  finishHttpApp(app, logger);
  const server = await listen(app, 0, '127.0.0.1');
  return { url: `${server.url}/api/messages`, server, logs };
}

const rowCounts = async () => ({
  audit: await db.prisma.auditRecord.count(),
  grants: await db.prisma.chatRoleGrant.count(),
  conversations: await db.prisma.teamsConversation.count(),
});

/** the one answer an unauthenticated caller gets: fixed text, nothing of its request in it */
const UNAUTHORIZED = {
  error: 'UNAUTHORIZED',
  message: 'A valid Bot Framework token is required.',
  hint: expect.stringContaining('MICROSOFT_APP_ID'),
  // the request's own id (docs/operations.md), made by the bot: nothing the caller sent
  requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
};

describe('Teams with MICROSOFT_APP_ID', () => {
  let connector: RecordingBotConnector;
  let teams: Awaited<ReturnType<typeof authenticatedTeams>>;
  beforeAll(async () => {
    connector = await startRecordingBotConnector();
    teams = await authenticatedTeams(connector.openIdMetadataUrl);
  });
  afterAll(async () => {
    await teams?.server.close(100);
    await connector?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const grant = () => messageActivity(TEAMS_ADMIN, { serviceUrl: MICROSOFT }, 'grant aad-intruder admin');

  it('answers 401 to no token, a forged token and a token for another app — reading, storing and sending nothing', async () => {
    const before = await rowCounts();
    const refusals = [
      await postActivity(teams.url, grant()),
      await postActivity(teams.url, grant(), { authorization: 'Basic YWRtaW46YWRtaW4=' }),
      await postActivity(teams.url, grant(), bearer('not.a.token')),
      await postActivity(
        teams.url,
        grant(),
        bearer(connector.forgeToken({ aud: APP_ID, serviceurl: MICROSOFT })),
      ),
      await postActivity(
        teams.url,
        grant(),
        bearer(connector.signToken({ aud: '11111111-2222-4333-8444-555555555555', serviceurl: MICROSOFT })),
      ),
      // signed for this app, but for another service URL than the activity names
      await postActivity(
        teams.url,
        grant(),
        bearer(connector.signToken({ aud: APP_ID, serviceurl: 'https://smba.trafficmanager.net/amer/' })),
      ),
      // expired
      await postActivity(
        teams.url,
        grant(),
        bearer(
          connector.signToken({
            aud: APP_ID,
            serviceurl: MICROSOFT,
            exp: Math.floor(Date.now() / 1000) - 600,
          }),
        ),
      ),
      await postActivity(teams.url, installActivity(TEAMS_ADMIN, { serviceUrl: MICROSOFT })),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual(UNAUTHORIZED);
    }
    expect(connector.calls).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers a body that is no activity with 401 before reading it, not with schema details', async () => {
    const forged = bearer(connector.forgeToken({ aud: APP_ID, serviceurl: MICROSOFT }));
    for (const body of ['{not json', JSON.stringify({ hello: 'world' }), '[]', 'null', '']) {
      for (const headers of [{}, forged]) {
        const answer = await postActivity(teams.url, body, headers);
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual(UNAUTHORIZED);
        expect(JSON.stringify(answer.body)).not.toMatch(/serviceUrl|channelId|invalid_type|hello/);
      }
    }
  });

  it('takes a valid token naming a Microsoft service URL (an install is stored, nothing is sent)', async () => {
    const place = {
      serviceUrl: MICROSOFT,
      channel: { id: '19:probe@thread.tacv2', name: 'probe', teamId: 't' },
    };
    const answer = await postActivity(
      teams.url,
      installActivity(TEAMS_ADMIN, place),
      bearer(connector.signToken({ aud: APP_ID, serviceurl: MICROSOFT })),
    );
    expect(answer.status).toBe(200);
    expect(
      await db.prisma.teamsConversation.findUnique({ where: { conversationId: '19:probe@thread.tacv2' } }),
    ).toMatchObject({ serviceUrl: MICROSOFT });
  });

  it('refuses a valid token whose serviceUrl is not a Bot Connector host: 403, no outbound request', async () => {
    const before = await rowCounts();
    // the recording connector itself is the target: had the bot answered, it would be recorded here
    for (const serviceurl of [connector.serviceUrl, 'https://smba.trafficmanager.net.evil.example/amer/']) {
      const activity = messageActivity(TEAMS_ADMIN, { serviceUrl: serviceurl }, 'grant aad-intruder admin');
      const answer = await postActivity(
        teams.url,
        activity,
        bearer(connector.signToken({ aud: APP_ID, serviceurl })),
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: 'SERVICE_URL_REFUSED' });
    }
    expect(connector.calls).toEqual([]);
    expect(await rowCounts()).toEqual(before);
    expect(teams.logs.text()).toContain('service URL not allowed');
  });
});

describe('Teams when the signing keys cannot be fetched', () => {
  it('answers 503 (never 500) to a token it cannot check, whether Microsoft answers 500 or nothing', async () => {
    const connector = await startRecordingBotConnector();
    // Microsoft's OpenID metadata endpoint failing
    const failing = http.createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('upstream down');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/openid/.well-known/openidconfiguration`;
    // and one that is not there at all (a port nobody listens on any more)
    const gone = http.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/openid/.well-known/openidconfiguration`;
    await new Promise<void>((resolve) => gone.close(() => resolve()));

    const started: HttpServerHandle[] = [];
    try {
      for (const metadataUrl of [failingUrl, goneUrl]) {
        const teams = await authenticatedTeams(metadataUrl);
        started.push(teams.server);
        const token = connector.signToken({ aud: APP_ID, serviceurl: MICROSOFT });
        const activity = messageActivity(TEAMS_ADMIN, { serviceUrl: MICROSOFT }, 'roles');
        const answer = await fetch(teams.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(activity),
        });
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('30');
        expect(await answer.json()).toMatchObject({ error: 'TEAMS_KEYS_UNAVAILABLE' });
        // without a token nothing is fetched at all: still 401
        expect((await postActivity(teams.url, activity)).status).toBe(401);
      }
      expect(connector.calls).toEqual([]);
    } finally {
      for (const server of started) await server.close(100);
      await new Promise<void>((resolve) => failing.close(() => resolve()));
      await connector.close();
    }
  });
});

/** An IPv4 address of this machine other than loopback: "somewhere else" the test can observe. */
const otherAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
const itWithInterface = otherAddress ? it : it.skip;

describe('Teams without MICROSOFT_APP_ID', () => {
  it('does not start outside the local demo (an external database here), and the log says why', async () => {
    const logs = new CollectingStream();
    const config = loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      AUTOTASK_MODE: 'sandbox',
      DEMO_PARTNER: 'off',
    });
    const bot = await startBot(config, {
      logger: createLogger({ level: 'info', format: 'json', secrets: config.secrets, destination: logs }),
    });
    try {
      const connector = await startRecordingBotConnector();
      const answer = await postActivity(
        `${bot.http.url}/api/messages`,
        messageActivity(TEAMS_ADMIN, { serviceUrl: connector.serviceUrl }, 'roles'),
      );
      expect(answer.status).toBe(404);
      expect(connector.calls).toEqual([]);
      await connector.close();
      expect(logs.text()).toContain('teams is off: MICROSOFT_APP_ID is not set');
      expect(logs.text()).toContain('DATABASE_URL names an external database');
      expect(logs.text()).not.toContain('TEAMS RUNS UNAUTHENTICATED');
      expect(bot.banner).toMatch(/Teams\s+off/);
    } finally {
      await bot.stop();
    }
  });

  itWithInterface(
    'in the demo answers only service URLs on this machine, proactive messages too',
    async () => {
      const h = await startTeamsBotHarness(db);
      // a Bot Connector stand-in on this machine's other address: reached, it would record the call
      const elsewhere = await startRecordingBotConnector({ address: otherAddress! });
      try {
        const activity = messageActivity(TEAMS_ADMIN, { serviceUrl: elsewhere.serviceUrl }, 'roles');
        const answer = await postActivity(h.url, activity);
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ error: 'SERVICE_URL_REFUSED' });

        // a conversation reference naming elsewhere (stored before, or written into the database)
        const conversationId = '19:elsewhere@thread.tacv2';
        await new TeamsConversationStore(db.prisma).remember(
          {
            serviceUrl: elsewhere.serviceUrl,
            channelId: 'msteams',
            conversation: { id: conversationId, conversationType: 'channel', tenantId: TEAMS_TENANT },
            bot: { id: '28:bot-app-id' },
          },
          TEAMS_TENANT,
        );
        await writeSetting(
          db.prisma,
          NOTIFICATION_TARGET_SETTING,
          NotificationTargetSchema.nullable(),
          { platform: 'teams', channel: conversationId, workspace: TEAMS_TENANT },
          { id: 'system:test' },
        );
        await h.bot.chatNotifier.runFailed({
          runId: 'r-elsewhere',
          customerName: 'Acme Corp',
          what: 'it failed',
          errors: [],
          retryCommand: null,
        });
        expect(elsewhere.calls).toEqual([]);

        // the same notice to a conversation on this machine is delivered: the probe can fail
        await new TeamsConversationStore(db.prisma).remember(
          {
            serviceUrl: h.connector.serviceUrl,
            channelId: 'msteams',
            conversation: { id: conversationId, conversationType: 'channel', tenantId: TEAMS_TENANT },
            bot: { id: '28:bot-app-id' },
          },
          TEAMS_TENANT,
        );
        await h.bot.chatNotifier.runFailed({
          runId: 'r-here',
          customerName: 'Acme Corp',
          what: 'it failed',
          errors: [],
          retryCommand: null,
        });
        expect(h.connector.calls.filter((c) => c.conversationId === conversationId)).toHaveLength(1);
      } finally {
        await elsewhere.close();
        await h.close();
      }
    },
  );
});
