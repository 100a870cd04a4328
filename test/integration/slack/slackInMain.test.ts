// The Slack app as the bot starts it (src/main.ts): with SLACK_BOT_TOKEN set, /slack/events is on
// the one HTTP server next to /healthz, and the CLI and Slack share roles through the database.
import { loadConfig } from '../../../src/config.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { startRecordingSlackServer, type RecordingSlackServer } from '../../helpers/recordingSlackServer.js';
import { postSigned, slashCommandBody } from '../../helpers/signedSlackRequests.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const SECRET = 'main-wiring-signing-secret';
let db: TestDatabase;
let recorder: RecordingSlackServer;
let bot: RunningBot;

beforeAll(async () => {
  db = await createTestDatabase();
  recorder = await startRecordingSlackServer();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-main-wiring',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: recorder.apiUrl,
    ADMIN_USERS: 'slack:T1:UADMIN',
  });
  bot = await startBot(config, {
    logger: createLogger({ level: 'silent', format: 'json', secrets: config.secrets }),
  });
});
afterAll(async () => {
  await bot?.stop();
  await recorder?.close();
  await db?.drop();
});

describe('Slack in the running bot', () => {
  it('serves /slack/events beside /healthz: unsigned → 401, signed → acknowledged and answered', async () => {
    expect((await fetch(`${bot.http.url}/healthz`)).status).toBe(200);
    const url = `${bot.http.url}/slack/events`;
    const body = slashCommandBody({
      who: { team: 'T1', user: 'UADMIN' },
      text: 'roles',
      responseUrl: recorder.responseUrl('main-1'),
    });
    expect(
      (
        await fetch(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(401);
    expect(await postSigned(url, body, { secret: SECRET })).toEqual({ status: 200, text: '' });
    const [answer] = await recorder.waitFor((c) => c.responseId === 'main-1');
    expect(JSON.stringify(answer!.body.blocks)).toContain('slack:T1:UADMIN');
    // the bot's identity is looked up once, not per request
    expect(recorder.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
    expect(
      await postSigned(
        url,
        slashCommandBody({
          who: { team: 'T1', user: 'UADMIN' },
          text: 'help',
          responseUrl: recorder.responseUrl('main-2'),
        }),
        { secret: SECRET },
      ),
    ).toEqual({ status: 200, text: '' });
    await recorder.waitFor((c) => c.responseId === 'main-2');
    expect(recorder.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
  });
});
