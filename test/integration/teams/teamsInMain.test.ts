// Teams as the bot starts it (src/main.ts): in the local demo without MICROSOFT_APP_ID the adapter
// runs unauthenticated on /api/messages beside /healthz, says so loudly in the log, and answers.
// (The test database stands in for the demo's embedded one: startBot's teamsDemoDatabase.)
import { loadConfig } from '../../../src/config.js';
import { teamsMode } from '../../../src/chat/teams/startTeamsApp.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { CollectingStream } from '../../helpers/collectingStream.js';
import {
  startRecordingBotConnector,
  type RecordingBotConnector,
} from '../../helpers/recordingBotConnector.js';
import { messageActivity, postActivity } from '../../helpers/teamsActivities.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let connector: RecordingBotConnector;
let bot: RunningBot;
const logs = new CollectingStream();

beforeAll(async () => {
  db = await createTestDatabase();
  connector = await startRecordingBotConnector();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    AUTOTASK_MODE: 'sandbox',
    ADMIN_USERS: 'teams:tenant-1:aad-admin',
  });
  bot = await startBot(config, {
    logger: createLogger({ level: 'info', format: 'json', secrets: config.secrets, destination: logs }),
    teamsDemoDatabase: true,
  });
});
afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await db?.drop();
});

describe('Teams in the running bot', () => {
  it('serves /api/messages beside /healthz, unauthenticated in the demo with a loud warning', async () => {
    expect((await fetch(`${bot.http.url}/healthz`)).status).toBe(200);
    expect(logs.text()).toContain('TEAMS RUNS UNAUTHENTICATED');
    const activity = messageActivity(
      { tenant: 'tenant-1', aadObjectId: 'aad-admin' },
      { serviceUrl: connector.serviceUrl },
      'roles',
    );
    const response = await postActivity(`${bot.http.url}/api/messages`, activity);
    expect(response.status).toBe(200);
    const [reply] = await connector.waitFor((c) => c.conversationId === activity.conversation.id);
    expect(JSON.stringify(reply!.body.attachments)).toContain('teams:tenant-1:aad-admin');
  });

  it('stays off without MICROSOFT_APP_ID unless it is the local demo, and says why', () => {
    const live = loadConfig({
      AUTOTASK_MODE: 'live',
      AUTOTASK_USERNAME: 'api@partner.example',
      AUTOTASK_SECRET: 'secret-secret',
      AUTOTASK_INTEGRATION_CODE: 'CODE',
    });
    expect(teamsMode(live)).toEqual({ on: false, reason: expect.stringContaining('AUTOTASK_MODE is live') });
    expect(teamsMode({ ...live, teams: { ...live.teams, appId: 'app' } })).toEqual({
      on: true,
      authenticated: true,
    });
    // the demo: sandbox, embedded database, loopback HOST
    expect(teamsMode(loadConfig({ AUTOTASK_MODE: 'sandbox' }))).toEqual({ on: true, authenticated: false });
    expect(teamsMode(loadConfig({ AUTOTASK_MODE: 'sandbox', HOST: 'localhost' }))).toEqual({
      on: true,
      authenticated: false,
    });
    // the Docker image listens on 0.0.0.0; an external database is not the demo's
    expect(teamsMode(loadConfig({ AUTOTASK_MODE: 'sandbox', HOST: '0.0.0.0' }))).toEqual({
      on: false,
      reason: expect.stringContaining('HOST=0.0.0.0 is reachable from other machines'),
    });
    expect(teamsMode(loadConfig({ DATABASE_URL: 'postgresql://u@db.example/bot' }))).toEqual({
      on: false,
      reason: expect.stringContaining('DATABASE_URL names an external database'),
    });
    expect(teamsMode(live)).toEqual({
      on: false,
      reason: expect.stringContaining('Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD'),
    });
  });
});
