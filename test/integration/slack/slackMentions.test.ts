// Mentions and direct messages (issue #23) on the real bot: signed Events API deliveries to
// /slack/events are the same commands as `/autotask …` — same router, roles and answer — posted
// in the mention's thread or in the DM. Retries run once; edits, bot messages and the bot's own
// messages are ignored; an unsigned or badly signed delivery is refused and runs nothing.
import { eventCallbackBody, postSigned, type SlackUser } from '../../helpers/signedSlackRequests.js';
import { OPS, startSlackHarness, VIEWER, type SlackHarness } from '../../helpers/slackBotHarness.js';
import type { RecordedCall } from '../../helpers/recordingSlackServer.js';
import { limitProblems, textOfCall } from '../../helpers/slackMessages.js';
import { NOT_CHECKED_TEXT } from '../../../src/chat/slack/slackDeliveryGuard.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
}, 120_000);
afterAll(async () => {
  await h?.db.prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS refuse_claims ON chat_deliveries');
  await h?.close();
});

let sequence = 0;
/** a fresh message timestamp, so each test finds its own answer */
const nextTs = () => `${1_800_000_000 + ++sequence}.000100`;

const mention = (who: SlackUser, text: string, channel: string, ts: string, extra = {}) => ({
  type: 'app_mention',
  user: who.user,
  text,
  ts,
  channel,
  event_ts: ts,
  ...extra,
});
const directMessage = (who: SlackUser, text: string, channel: string, ts: string, extra = {}) => ({
  type: 'message',
  channel_type: 'im',
  user: who.user,
  text,
  ts,
  channel,
  event_ts: ts,
  ...extra,
});

/** delivers an event signed with the bot's secret; 200 and an empty body are Slack's ack */
const deliver = (body: string, headers: Record<string, string> = {}) =>
  postSigned(h.url, body, { secret: h.secret, contentType: 'application/json', headers });
const postsTo = (channel: string) =>
  h.recorder.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === channel);
const answerIn = async (channel: string, count = 1) =>
  (
    await h.recorder.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === channel,
      count,
      60_000,
    )
  )[count - 1]!;
/** what differs between two runs of the same command: run ids and times */
const normalised = (call: RecordedCall) =>
  JSON.stringify(call.body.blocks)
    .replace(/\br-[A-Za-z0-9_-]+/g, 'r-ID')
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?Z?/g, 'TIME');

describe('mentions and direct messages are commands', () => {
  it('answers `@autotask validate acme` in the thread with the answer `/autotask validate acme` gives', async () => {
    const { message: slash } = await h.command(OPS, 'validate acme');
    const ts = nextTs();
    const http = await deliver(
      eventCallbackBody({ team: OPS.team, event: mention(OPS, '<@UBOT> validate acme', 'CMENTION', ts) }),
    );
    expect(http).toEqual({ status: 200, text: '' });
    const answer = await answerIn('CMENTION');
    expect(answer.body.thread_ts).toBe(ts);
    expect(textOfCall(answer)).toContain('Acme');
    expect(textOfCall(answer)).toContain('Run r-');
    expect(normalised(answer)).toEqual(normalised(slash));
    expect(limitProblems(answer)).toEqual([]);
  });

  it('answers a mention inside a thread in that same thread', async () => {
    const thread = nextTs();
    await deliver(
      eventCallbackBody({
        team: OPS.team,
        event: mention(OPS, '<@UBOT|autotask> status', 'CTHREAD', nextTs(), { thread_ts: thread }),
      }),
    );
    const answer = await answerIn('CTHREAD');
    expect(answer.body.thread_ts).toBe(thread);
    expect(textOfCall(answer)).toContain('Mapping mode');
  });

  it('answers a bare `@autotask` with the help the bare slash command gives', async () => {
    const { message: slash } = await h.command(VIEWER, '');
    await deliver(
      eventCallbackBody({ team: VIEWER.team, event: mention(VIEWER, '<@UBOT>', 'CHELP', nextTs()) }),
    );
    const answer = await answerIn('CHELP');
    expect(textOfCall(answer)).toContain('commands');
    expect(normalised(answer)).toEqual(normalised(slash));
  });

  it('answers a direct message `validate acme` in the DM, as the sender', async () => {
    const runsBefore = await h.db.prisma.syncRun.count();
    const http = await deliver(
      eventCallbackBody({ team: OPS.team, event: directMessage(OPS, 'validate acme', 'DOPS', nextTs()) }),
    );
    expect(http).toEqual({ status: 200, text: '' });
    const answer = await answerIn('DOPS');
    expect(answer.body.thread_ts).toBeUndefined();
    expect(textOfCall(answer)).toContain('Run r-');
    expect(await h.db.prisma.syncRun.count()).toBe(runsBefore + 1);
    const run = await h.db.prisma.syncRun.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(run.createdBy).toBe(`slack:${OPS.team}:${OPS.user}`);
  });

  it('keeps roles: a viewer cannot run an operator command through a mention (answered, audited, no run)', async () => {
    const runsBefore = await h.db.prisma.syncRun.count();
    await deliver(
      eventCallbackBody({
        team: VIEWER.team,
        event: mention(VIEWER, '<@UBOT> validate acme', 'CVIEW', nextTs()),
      }),
    );
    const answer = await answerIn('CVIEW');
    expect(textOfCall(answer)).toContain('needs the *operator* role');
    await h.bot.slack!.idle();
    expect(await h.db.prisma.syncRun.count()).toBe(runsBefore);
    const denied = await h.db.prisma.auditRecord.findFirst({
      where: { action: 'chat.denied', actorId: `slack:${VIEWER.team}:${VIEWER.user}` },
      orderBy: { id: 'desc' },
    });
    expect(denied?.details).toMatchObject({ command: 'validate', reason: 'role', via: 'typed' });
  });

  it('runs a delivery Slack retries (X-Slack-Retry-Num) once: one run, one answer', async () => {
    const runsBefore = await h.db.prisma.syncRun.count();
    const body = eventCallbackBody({
      team: OPS.team,
      event: mention(OPS, '<@UBOT> validate acme', 'CRETRY', nextTs()),
    });
    const retry = (n: number) => ({ 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' });
    const answers = [await deliver(body), await deliver(body, retry(1)), await deliver(body, retry(2))];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await answerIn('CRETRY');
    await h.bot.slack!.idle();
    expect(postsTo('CRETRY')).toHaveLength(1);
    expect(await h.db.prisma.syncRun.count()).toBe(runsBefore + 1);
  });

  it('ignores edits, deletes, bot messages, the bot’s own messages and channel messages; answers the person', async () => {
    const ignored = [
      directMessage(OPS, 'status', 'DQUIET', nextTs(), { subtype: 'message_changed' }),
      directMessage(OPS, '', 'DQUIET', nextTs(), { subtype: 'message_deleted' }),
      directMessage(OPS, 'status', 'DQUIET', nextTs(), { subtype: 'bot_message', bot_id: 'BOTHER' }),
      directMessage(OPS, 'status', 'DQUIET', nextTs(), { bot_id: 'BOTHER' }),
      directMessage({ team: 'T1', user: 'UBOT' }, 'status', 'DQUIET', nextTs(), { bot_id: 'BBOT' }),
      directMessage(OPS, 'status', 'DQUIET', nextTs(), { channel_type: 'channel' }),
    ];
    for (const event of ignored) {
      const http = await deliver(eventCallbackBody({ team: OPS.team, event }));
      expect(http.status).toBe(200);
    }
    await h.bot.slack!.idle();
    expect(postsTo('DQUIET')).toHaveLength(0);
    // the same conversation does get an answer when a person types
    await deliver(
      eventCallbackBody({ team: OPS.team, event: directMessage(OPS, 'status', 'DQUIET', nextTs()) }),
    );
    expect(textOfCall(await answerIn('DQUIET'))).toContain('Mapping mode');
    await h.bot.slack!.idle();
    expect(postsTo('DQUIET')).toHaveLength(1);
  });

  it('refuses an unsigned or badly signed delivery with 401 and runs nothing', async () => {
    const deliveriesBefore = await h.db.prisma.chatDelivery.count();
    const runsBefore = await h.db.prisma.syncRun.count();
    const body = eventCallbackBody({
      team: OPS.team,
      event: mention(OPS, '<@UBOT> validate acme', 'CUNSIGNED', nextTs()),
    });
    const unsigned = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const wrongSecret = await postSigned(h.url, body, {
      secret: 'not-the-signing-secret',
      contentType: 'application/json',
    });
    const tampered = await postSigned(h.url, body, {
      secret: h.secret,
      contentType: 'application/json',
      headers: { 'x-slack-signature': 'v0=' + '0'.repeat(64) },
    });
    expect([unsigned.status, wrongSecret.status, tampered.status]).toEqual([401, 401, 401]);
    await h.bot.slack!.idle();
    expect(postsTo('CUNSIGNED')).toHaveLength(0);
    expect(await h.db.prisma.chatDelivery.count()).toBe(deliveriesBefore);
    expect(await h.db.prisma.syncRun.count()).toBe(runsBefore);
    // the same body, signed, is a command: the refusals were about the signature
    await deliver(body);
    expect(textOfCall(await answerIn('CUNSIGNED'))).toContain('Run r-');
  });

  it('tells a mention whose delivery cannot be checked so in its thread, and runs nothing (fail closed)', async () => {
    const runsBefore = await h.db.prisma.syncRun.count();
    const ts = nextTs();
    const body = eventCallbackBody({
      team: OPS.team,
      event: mention(OPS, '<@UBOT> validate acme', 'CCLOSED', ts),
    });
    await h.db.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_claims() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the database is unavailable'; END $$`);
    await h.db.prisma.$executeRawUnsafe(
      'CREATE TRIGGER refuse_claims BEFORE INSERT ON chat_deliveries FOR EACH ROW EXECUTE FUNCTION refuse_claims()',
    );
    try {
      expect((await deliver(body)).status).toBe(200);
      const told = await answerIn('CCLOSED');
      expect(told.body.text).toBe(NOT_CHECKED_TEXT);
      expect(told.body.thread_ts).toBe(ts);
      await h.bot.slack!.idle();
    } finally {
      await h.db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_claims ON chat_deliveries');
    }
    expect(await h.db.prisma.syncRun.count()).toBe(runsBefore);
    expect(postsTo('CCLOSED')).toHaveLength(1);
  });
});
