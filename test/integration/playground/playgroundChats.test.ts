// The playground is one chat among others: an upload asked for in the playground posts its
// approval card to Slack's notification channel too, and the approval given in the playground
// rewrites that Slack card — the same notifier path as uploads and jobs. Slack is a local recorder.
import { SYSTEM_ACTOR } from '../../../src/audit/actor.js';
import {
  NOTIFICATION_TARGET_SETTING,
  NotificationTargetSchema,
} from '../../../src/settings/notificationTargetSetting.js';
import { loadConfig } from '../../../src/config.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { writeSetting } from '../../../src/settings/settingsStore.js';
import { startRecordingSlackServer, type RecordingSlackServer } from '../../helpers/recordingSlackServer.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let recorder: RecordingSlackServer;
let bot: RunningBot;

beforeAll(async () => {
  db = await createTestDatabase();
  recorder = await startRecordingSlackServer({ teamId: 'T1' });
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    AUTOTASK_MODE: 'sandbox',
    DEMO_PARTNER: 'on',
    SLACK_BOT_TOKEN: 'xoxb-playground',
    SLACK_SIGNING_SECRET: 'playground-signing-secret',
    SLACK_API_URL: recorder.apiUrl,
  });
  bot = await startBot(config, {
    logger: createLogger({ level: 'silent', format: 'json', secrets: config.secrets }),
  });
  await writeSetting(
    db.prisma,
    NOTIFICATION_TARGET_SETTING,
    NotificationTargetSchema,
    { platform: 'slack', channel: 'CBILLING', workspace: 'T1', label: '#billing' },
    SYSTEM_ACTOR,
  );
});
afterAll(async () => {
  await bot?.stop();
  await recorder?.close();
  await db?.drop();
});

const say = async (as: string, text: string) => {
  const res = await fetch(`${bot.http.url}/playground/api/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as, text }),
  });
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
};

describe('the playground beside Slack', () => {
  it('posts approval requests made in the playground to Slack, and rewrites them on approval', async () => {
    await say('cli:alice', 'map wingtip');
    await say('cli:alice', 'confirm wingtip all');
    await say('cli:alice', 'map wingtip product "Azure plan" service 1036');
    const validation = await say('cli:alice', 'validate wingtip');
    const runId = /Run (r-[0-9a-f]+)/.exec(validation)?.[1];
    expect(runId).toBeDefined();
    expect(await say('cli:alice', `upload ${runId}`)).toContain('requested');

    const [posted] = await recorder.waitFor((c) => c.method === 'chat.postMessage');
    expect(posted!.body.channel).toBe('CBILLING');
    expect(JSON.stringify(posted!.body.blocks)).toContain(`approve ${runId}`);

    expect(await say('cli:bob', `approve ${runId}`)).toContain('You approved');
    const updates = await recorder.waitFor(
      (c) => c.method === 'chat.update' && JSON.stringify(c.body.blocks).includes('Upload succeeded'),
      1,
      20_000,
    );
    expect(JSON.stringify(updates[0]!.body.blocks)).toContain('cli:bob');
    expect(JSON.stringify(updates[0]!.body.blocks)).not.toContain(`approve ${runId}`);
  });
});
