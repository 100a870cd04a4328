// Probes of Slack's delivery promises at the wire: signed requests to the real Bolt receiver of the
// real bot, the database made to fail where the probe needs it. A delivery whose work fails answers
// the user ("try again") and lets the redelivery through; a claim the database refuses is answered
// and not processed (fail closed); a duplicate of a handled delivery is dropped; an unauthorised
// workspace claims nothing.
import { SELECT_REF_PREFIX } from '../../src/chat/slack/blockKitRenderer.js';
import {
  NOT_CHECKED_TEXT,
  slackDeliveryKey,
  TRY_AGAIN_TEXT,
} from '../../src/chat/slack/slackDeliveryGuard.js';
import { CollectingStream } from '../helpers/collectingStream.js';
import { eventually } from '../helpers/eventually.js';
import {
  blockActionBody,
  postSigned,
  slashCommandBody,
  type SlackUser,
} from '../helpers/signedSlackRequests.js';
import { ADMIN, startSlackHarness, type SlackHarness } from '../helpers/slackBotHarness.js';
import { textOfCall } from '../helpers/slackMessages.js';

const retry = (n: number) => ({ 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_error' });

describe('Slack deliveries (signed requests to the real receiver)', () => {
  let h: SlackHarness;
  const log = new CollectingStream();
  let sequence = 0;

  beforeAll(async () => {
    h = await startSlackHarness({ demo: false, grantPeople: false, logStream: log });
  }, 120_000);
  afterAll(async () => {
    await h.db.prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS refuse_claims ON chat_deliveries');
    await h.close();
  });

  const linesWith = (text: string) => log.chunks.filter((line) => line.includes(text)).length;
  const answersTo = (id: string) => h.recorder.calls.filter((c) => c.responseId === id);
  const grantBody = (user: string, id: string) =>
    slashCommandBody({
      who: ADMIN,
      text: `grant <@${user}> viewer`,
      responseUrl: h.recorder.responseUrl(id),
    });
  const grantOf = (user: string) =>
    h.db.prisma.chatRoleGrant.findFirst({ where: { identity: `slack:T1:${user}` } });
  const fresh = () => {
    sequence += 1;
    return { user: `UPROBE${sequence}`, id: `probe-${sequence}` };
  };

  it('a command whose work fails tells the user to try again, and the redelivery is processed', async () => {
    const { user, id } = fresh();
    const body = grantBody(user, id);
    // the work (granting a role) fails: its table is gone for a moment
    await h.db.prisma.$executeRawUnsafe('ALTER TABLE chat_role_grants RENAME TO chat_role_grants_away');
    try {
      expect((await postSigned(h.url, body, { secret: h.secret })).status).toBe(200);
      const [failed] = await h.recorder.waitFor((c) => c.responseId === id, 1);
      expect(textOfCall(failed!)).toContain('try again');
      expect(textOfCall(failed!)).not.toMatch(/at \w+ \(|\.ts:\d+|stack/i);
    } finally {
      await h.db.prisma.$executeRawUnsafe('ALTER TABLE chat_role_grants_away RENAME TO chat_role_grants');
    }
    expect(await grantOf(user)).toBeNull();

    // Slack's redelivery: the same body, with X-Slack-Retry-Num
    expect((await postSigned(h.url, body, { secret: h.secret, headers: retry(1) })).status).toBe(200);
    const answers = await h.recorder.waitFor((c) => c.responseId === id, 2);
    expect(textOfCall(answers[1]!)).toContain('is now viewer');
    expect((await grantOf(user))?.role).toBe('viewer');
  });

  it('a click whose listener throws answers "try again", and its redelivery is processed', async () => {
    const { user, id } = fresh();
    // a select whose command prefix is stored under a short key (as the bot does for long ones)
    await h.db.prisma.chatActionRef.create({ data: { key: `ref-${id}`, command: `grant <@${user}>` } });
    const body = blockActionBody({
      who: ADMIN,
      action: {
        type: 'static_select',
        action_id: 'select',
        block_id: `${SELECT_REF_PREFIX}ref-${id}`,
        selected_option: { value: 'viewer' },
      },
      responseUrl: h.recorder.responseUrl(id),
      messageTs: '5.5',
    });
    // reading the stored prefix throws: the listener itself fails, outside the command router
    await h.db.prisma.$executeRawUnsafe('ALTER TABLE chat_action_refs RENAME TO chat_action_refs_away');
    try {
      await postSigned(h.url, body, { secret: h.secret });
      const [first] = await h.recorder.waitFor((c) => c.responseId === id, 1);
      expect(textOfCall(first!)).toContain(TRY_AGAIN_TEXT);
    } finally {
      await h.db.prisma.$executeRawUnsafe('ALTER TABLE chat_action_refs_away RENAME TO chat_action_refs');
    }
    expect(await grantOf(user)).toBeNull();
    // the redelivery is neither a "handled delivery" nor a double click: it is processed
    await postSigned(h.url, body, { secret: h.secret, headers: retry(1) });
    const answers = await h.recorder.waitFor((c) => c.responseId === id, 2);
    expect(textOfCall(answers[1]!)).toContain('is now viewer');
    expect((await grantOf(user))?.role).toBe('viewer');
  });

  it('a claim the database refuses is answered and not processed (fail closed), then retried fine', async () => {
    const { user, id } = fresh();
    const body = grantBody(user, id);
    await h.db.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_claims() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the database is unavailable'; END $$`);
    await h.db.prisma.$executeRawUnsafe(
      'CREATE TRIGGER refuse_claims BEFORE INSERT ON chat_deliveries FOR EACH ROW EXECUTE FUNCTION refuse_claims()',
    );
    const refusedBefore = linesWith('could not be claimed; not processed');
    try {
      expect((await postSigned(h.url, body, { secret: h.secret })).status).toBe(200);
      const [answer] = await h.recorder.waitFor((c) => c.responseId === id, 1);
      expect(textOfCall(answer!)).toContain(JSON.stringify(NOT_CHECKED_TEXT).slice(1, -1));
      expect(linesWith('could not be claimed; not processed')).toBe(refusedBefore + 1);
    } finally {
      await h.db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_claims ON chat_deliveries');
    }
    // not processed: no grant, no audit record of one, and only the one answer
    expect(await grantOf(user)).toBeNull();
    expect(
      await h.db.prisma.auditRecord.count({
        where: { details: { path: ['identity'], equals: `slack:T1:${user}` } },
      }),
    ).toBe(0);
    expect(answersTo(id)).toHaveLength(1);

    // the database is back: Slack's redelivery is processed
    await postSigned(h.url, body, { secret: h.secret, headers: retry(1) });
    const answers = await h.recorder.waitFor((c) => c.responseId === id, 2);
    expect(textOfCall(answers[1]!)).toContain('is now viewer');
  });

  it('a duplicate of a handled delivery is still dropped', async () => {
    const { user, id } = fresh();
    const body = grantBody(user, id);
    await postSigned(h.url, body, { secret: h.secret });
    const [answer] = await h.recorder.waitFor((c) => c.responseId === id, 1);
    expect(textOfCall(answer!)).toContain('is now viewer');
    // the receiver reads a form body exactly like this
    const key = slackDeliveryKey(Object.fromEntries(new URLSearchParams(body)));
    await eventually(
      'the delivery marked handled',
      async () => (await h.db.prisma.chatDelivery.findUnique({ where: { key } }))?.handledAt,
    );
    const droppedBefore = linesWith('already handled; acknowledged again, not processed');
    for (const n of [1, 2]) {
      const http = await postSigned(h.url, body, { secret: h.secret, headers: retry(n) });
      expect(http.status).toBe(200);
    }
    await eventually(
      'both duplicates dropped',
      async () => linesWith('already handled; acknowledged again, not processed') === droppedBefore + 2,
    );
    expect(answersTo(id)).toHaveLength(1);
  });

  it('a request from another workspace is refused by authorize before anything is claimed', async () => {
    const stranger: SlackUser = { team: 'TOTHER', user: 'UADMIN' };
    const id = 'stranger';
    const body = slashCommandBody({ who: stranger, text: 'roles', responseUrl: h.recorder.responseUrl(id) });
    const claimsBefore = await h.db.prisma.chatDelivery.count();
    const refusedBefore = linesWith('Authorization of incoming event did not succeed. No listeners');
    expect((await postSigned(h.url, body, { secret: h.secret })).status).toBe(200);
    await eventually(
      'the refusal by authorize',
      async () =>
        linesWith('Authorization of incoming event did not succeed. No listeners') === refusedBefore + 1,
    );
    expect(await h.db.prisma.chatDelivery.count()).toBe(claimsBefore);
    expect(answersTo(id)).toHaveLength(0);
  });
});
