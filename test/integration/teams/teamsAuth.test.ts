// Issue #8, point 4: with MICROSOFT_APP_ID set, /api/messages of the running bot takes only
// activities carrying a Bot Framework token Teams signed for this app. An unsigned or forged
// request is refused with 401 and nothing happens: no reply, no audit row, nothing stored.
import { loadConfig } from '../../../src/config.js';
import { startTeamsApp } from '../../../src/chat/teams/startTeamsApp.js';
import { createHttpApp, finishHttpApp, listen } from '../../../src/http/httpServer.js';
import { createLogger } from '../../../src/observability/logger.js';
import { startRecordingBotConnector, TOKEN_ISSUER } from '../../helpers/recordingBotConnector.js';
import {
  installActivity,
  messageActivity,
  postActivity,
  type TeamsPlace,
} from '../../helpers/teamsActivities.js';
import {
  startTeamsBotHarness,
  TEAMS_ADMIN,
  TEAMS_TENANT,
  type TeamsBotHarness,
} from '../../helpers/teamsBotHarness.js';
import { InMemoryChatServices } from '../../helpers/inMemoryChatServices.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const APP_ENV = { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'client-secret-for-tests' };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('the running bot with MICROSOFT_APP_ID set', () => {
  let h: TeamsBotHarness;
  beforeAll(async () => {
    h = await startTeamsBotHarness(db, APP_ENV);
  });
  afterAll(() => h?.close());

  it('refuses an unsigned request and a forged token with 401, processing nothing', async () => {
    const audit = await db.prisma.auditRecord.count();
    const grants = await db.prisma.chatRoleGrant.count();
    // the admin (ADMIN_USERS) asks for a change that would be audited and answered
    const grant = messageActivity(TEAMS_ADMIN, h.personal, 'grant aad-intruder admin');
    const unsigned = await postActivity(h.url, grant);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ error: 'UNAUTHORIZED' });
    const forged = await postActivity(h.url, grant, { authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);
    const install = await postActivity(
      h.url,
      installActivity(TEAMS_ADMIN, h.channel('19:unsigned@thread.tacv2')),
    );
    expect(install.status).toBe(401);

    expect(h.connector.calls).toEqual([]);
    expect(await db.prisma.auditRecord.count()).toBe(audit);
    expect(await db.prisma.chatRoleGrant.count()).toBe(grants);
    expect(await db.prisma.teamsConversation.count()).toBe(0);
  });
});

describe('signed tokens', () => {
  // startBot takes the Bot Framework's public OpenID metadata; here the recording connector
  // serves it (and signs the tokens), so the adapter is started as startBot does, with that URL
  it('accepts an install signed by the channel for this app; refuses a token for another app or service URL', async () => {
    const connector = await startRecordingBotConnector();
    const config = loadConfig({
      DATABASE_URL: db.url,
      AUTOTASK_MODE: 'sandbox',
      MICROSOFT_APP_TENANT_ID: TEAMS_TENANT,
      ...APP_ENV,
    });
    const logger = createLogger({ level: 'silent', format: 'json', secrets: config.secrets });
    const app = createHttpApp({ logger, health: [] });
    await startTeamsApp({
      config,
      prisma: db.prisma,
      logger,
      app,
      services: new InMemoryChatServices({ customers: [], prisma: db.prisma }),
      authSettings: {
        ToBotFromChannelOpenIdMetadataUrl: connector.openIdMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: connector.openIdMetadataUrl,
        ToBotFromChannelTokenIssuer: TOKEN_ISSUER,
        ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
        ToChannelFromBotOAuthScope: 'https://api.botframework.com',
        OAuthUrl: 'https://api.botframework.com',
        CallerId: 'urn:botframework:azure',
      },
    });
    finishHttpApp(app, logger);
    const http = await listen(app, 0, '127.0.0.1');
    try {
      const url = `${http.url}/api/messages`;
      // an install is stored, not answered: a Microsoft service URL is named and never called
      const serviceurl = 'https://smba.trafficmanager.net/amer/';
      const place: TeamsPlace = {
        serviceUrl: serviceurl,
        channel: { id: '19:signed@thread.tacv2', name: 'signed', teamId: 'team-2' },
      };
      const bearer = (claims: { aud: string; serviceurl: string }) => ({
        authorization: `Bearer ${connector.signToken(claims)}`,
      });
      const stored = () =>
        db.prisma.teamsConversation.findUnique({ where: { conversationId: '19:signed@thread.tacv2' } });

      const otherApp = await postActivity(
        url,
        installActivity(TEAMS_ADMIN, place),
        bearer({ aud: '11111111-2222-4333-8444-555555555555', serviceurl }),
      );
      expect(otherApp.status).toBe(401);
      const otherUrl = await postActivity(
        url,
        installActivity(TEAMS_ADMIN, place),
        bearer({ aud: APP_ID, serviceurl: 'https://smba.example.com/' }),
      );
      expect(otherUrl.status).toBe(401);
      expect(await stored()).toBeNull();

      const signed = await postActivity(
        url,
        installActivity(TEAMS_ADMIN, place),
        bearer({ aud: APP_ID, serviceurl }),
      );
      expect(signed.status).toBe(200);
      expect(await stored()).toMatchObject({ tenantId: TEAMS_TENANT, conversationType: 'channel' });
    } finally {
      await http.close(100);
      await connector.close();
    }
  });
});
