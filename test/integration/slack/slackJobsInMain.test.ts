// The jobs part in the running bot (startBot, src/main.ts), driven through signed Slack requests:
// `notify here`, then schedules made, listed and removed from Slack; and an approved upload that
// fails in Autotask posts exactly one failure card to the notify-here channel, whose Retry button,
// clicked, queues a retry that completes. Real PostgreSQL, Agenda and the bot's sandbox over HTTP;
// only Slack's servers are a recording fake.
import { loadConfig } from '../../../src/config.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { readSetting } from '../../../src/settings/settingsStore.js';
import {
  NOTIFICATION_TARGET_SETTING,
  NotificationTargetSchema,
} from '../../../src/settings/notificationTargetSetting.js';
import { eventually } from '../../helpers/eventually.js';
import { jobsSettled } from '../../helpers/jobQueue.js';
import {
  startRecordingSlackServer,
  type RecordedCall,
  type RecordingSlackServer,
} from '../../helpers/recordingSlackServer.js';
import {
  blockActionBody,
  postSigned,
  slashCommandBody,
  type SlackUser,
} from '../../helpers/signedSlackRequests.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const SECRET = 'jobs-in-main-signing-secret';
const ADMIN: SlackUser = { team: 'T1', user: 'UADMIN' };
const APPROVER: SlackUser = { team: 'T1', user: 'UAPP' };
let db: TestDatabase;
let recorder: RecordingSlackServer;
let bot: RunningBot;
let sequence = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  recorder = await startRecordingSlackServer();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    AUTOTASK_MODE: 'sandbox',
    DEMO_PARTNER: 'on',
    SLACK_BOT_TOKEN: 'xoxb-jobs-in-main',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: recorder.apiUrl,
    ADMIN_USERS: 'slack:T1:UADMIN',
  });
  bot = await startBot(config, {
    logger: createLogger({ level: 'silent', format: 'json', secrets: config.secrets }),
  });
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await recorder?.close();
  await db?.drop();
});

const url = () => `${bot.http.url}/slack/events`;
const textOf = (call: RecordedCall) => JSON.stringify(call.body.blocks ?? call.body.text);

/** A slash command in `channel`; answers the text of the bot's reply (via response_url). */
async function slash(who: SlackUser, text: string, channel = 'CNOTIFY'): Promise<string> {
  const id = `cmd-${++sequence}`;
  const body = slashCommandBody({ who, text, responseUrl: recorder.responseUrl(id), channel });
  expect(await postSigned(url(), body, { secret: SECRET })).toEqual({ status: 200, text: '' });
  const [answer] = await recorder.waitFor((c) => c.responseId === id, 1, 60_000);
  return textOf(answer!);
}

const failureCards = () =>
  recorder.calls.filter((c) => c.method === 'chat.postMessage' && textOf(c).includes('Upload failed'));

describe('the jobs part through Slack in the running bot', () => {
  it('notify here, then schedule, schedules, unschedule', async () => {
    expect(await slash(ADMIN, 'notify here')).toContain('This channel now receives');
    expect(
      await readSetting(db.prisma, NOTIFICATION_TARGET_SETTING, NotificationTargetSchema.nullable(), null),
    ).toMatchObject({ platform: 'slack', channel: 'CNOTIFY' });

    const made = await slash(ADMIN, 'schedule acme daily');
    expect(made).toContain('Scheduled validate-then-upload for Acme Corp, daily');
    const id = /(sch_[0-9a-f]{6})/.exec(made)![1]!;
    // the repeating job is queued in Agenda, so the list shows when it runs next
    const listed = await slash(ADMIN, 'schedules');
    expect(listed).toContain(id);
    expect(listed).toContain('Acme Corp');
    expect(await slash(ADMIN, 'schedule all "*/5 * * * *"')).toContain('SCHEDULE_TOO_FREQUENT');
    expect(await slash(ADMIN, `unschedule ${id}`)).toContain(`Schedule \`${id}\` removed`);
    expect(await slash(ADMIN, 'schedules')).toContain('No schedules');
    expect(await db.prisma.jobSchedule.count()).toBe(0);
  }, 90_000);

  it('a failed upload: one failure card in the notify-here channel; its Retry button retries to success', async () => {
    expect(await slash(ADMIN, 'grant slack:T1:UAPP approver')).toContain('is now approver');
    // Acme's Copilot has no exact match in the demo tenant: map it, then validate and request
    expect(await slash(ADMIN, 'map acme product "Microsoft 365 Copilot" service 1004')).toContain(
      'service 1004',
    );
    const validation = await slash(ADMIN, 'validate acme');
    expect(validation).toContain('Valid');
    const runId = /(r-[0-9a-f]{8})/.exec(validation)![1]!;
    expect(await slash(ADMIN, `upload ${runId}`)).toContain('requested');

    // Autotask answers every new line (Copilot's) with a 500 that says nothing: the line and the
    // adjustments waiting on it are not done, the rest is
    const sandbox = bot.autotask.sandbox!;
    sandbox.controls.setFaults({ rate: 1, kinds: ['500'], endpoints: ['POST Contracts/Services'] });
    expect(await slash(APPROVER, `approve ${runId}`)).toContain(`You approved run`);
    const [failure] = await recorder.waitFor(
      (c) => c.method === 'chat.postMessage' && textOf(c).includes('Upload failed'),
      1,
      120_000,
    );
    expect(failure!.body.channel).toBe('CNOTIFY');
    expect(textOf(failure!)).toContain(runId);
    expect((await bot.services.chat.getRun!({ runId }))!.state).toMatch(/failed/);
    // a duplicate would come from a job still running or retrying: wait until none is
    await eventually('the jobs to settle', () => jobsSettled(db.prisma));
    expect(failureCards()).toHaveLength(1);

    // the Retry button is the command `retry <run>`; clicked, it queues a retry that completes
    sandbox.controls.clearFaults();
    const retry = (
      failure!.body.blocks as {
        type: string;
        elements?: { type: string; action_id: string; value: string; text: { text: string } }[];
      }[]
    )
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.type === 'button' && e.text.text.startsWith('Retry'));
    expect(retry?.value).toBe(`retry ${runId}`);
    const clickId = `click-${++sequence}`;
    const click = blockActionBody({
      who: ADMIN,
      action: { type: 'button', action_id: retry!.action_id, value: retry!.value },
      responseUrl: recorder.responseUrl(clickId),
      messageTs: String(failure!.body.ts ?? '1.1'),
    });
    expect((await postSigned(url(), click, { secret: SECRET })).status).toBe(200);
    const [answer] = await recorder.waitFor((c) => c.responseId === clickId, 1, 30_000);
    expect(textOf(answer!)).toContain('Retrying');
    await eventually(
      'the retried run to succeed',
      async () => (await bot.services.chat.getRun!({ runId }))?.state === 'succeeded',
      120_000,
    );
    // the approval card in the channel was rewritten with the outcome
    await recorder.waitFor(
      (c) => c.method === 'chat.update' && textOf(c).includes(runId) && /succeeded|Uploaded/i.test(textOf(c)),
      1,
      30_000,
    );
    expect(failureCards()).toHaveLength(1);
  }, 300_000);

  it('a scheduled validation posts its validation card to the notify-here channel', async () => {
    const acme = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Acme Corp' } });
    const runsBefore = await db.prisma.syncRun.count();
    // what a schedule's repeating job runs when it fires
    await bot.jobs.enqueueValidation(acme.id);
    const run = await eventually('the scheduled run', async () =>
      (await db.prisma.syncRun.count()) > runsBefore
        ? db.prisma.syncRun.findFirst({ orderBy: { createdAt: 'desc' } })
        : null,
    );
    const [card] = await recorder.waitFor(
      (c) => c.method === 'chat.postMessage' && textOf(c).includes(run!.id),
      1,
      30_000,
    );
    expect(card!.body.channel).toBe('CNOTIFY');
    // everything was uploaded above: the validation is clean with nothing to do
    expect(textOf(card!)).toContain('Valid');
  }, 60_000);
});
