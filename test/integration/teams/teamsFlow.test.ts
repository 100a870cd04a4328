// Issue #8, point 3, on the real bot: `notify here` in a channel → validate → upload → the approval
// card in that channel → Approve (ShowCard, then the Action.Execute invoke) by a second person →
// the card rewritten in place → the upload runs against the in-process Autotask sandbox → the
// outcome on the card. A failing upload (sandbox faults) → one proactive failure notification in
// the stored conversation, whose Retry queues a retry. Microsoft's side is the recording connector.
import { getRun } from '../../../src/sync/runStore.js';
import {
  installActivity,
  postActivity,
  submitActivity,
  type TeamsUser,
} from '../../helpers/teamsActivities.js';
import {
  cardsOf,
  commandsOf,
  executeActions,
  expectValidCards,
  startTeamsBotHarness,
  TEAMS_ADMIN,
  TEAMS_TENANT,
  textOf,
  type Json,
  type TeamsBotHarness,
} from '../../helpers/teamsBotHarness.js';
import { eventually } from '../../helpers/eventually.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const OPS: TeamsUser = { tenant: TEAMS_TENANT, aadObjectId: 'aad-ops', name: 'Otto Ops' };
const APPROVER: TeamsUser = { tenant: TEAMS_TENANT, aadObjectId: 'aad-app', name: 'Alma Approver' };
const CHANNEL_ID = '19:billing-flow@thread.tacv2';

let db: TestDatabase;
let h: TeamsBotHarness;
const channel = () => h.channel(CHANNEL_ID);
const channelPosts = () =>
  h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === CHANNEL_ID);

beforeAll(async () => {
  db = await createTestDatabase();
  h = await startTeamsBotHarness(db);
  // the requester is an approver too: only four-eyes stops them approving their own upload
  for (const [user, role] of [
    ['aad-ops', 'approver'],
    ['aad-app', 'approver'],
  ]) {
    const { cards } = await h.say(TEAMS_ADMIN, `grant ${user} ${role}`);
    expect(textOf(cards)).toContain(`is now ${role}`);
  }
  // customers of the demo partner, mapped as a person would: the mapping card first (it runs the
  // automatic mapping), then its suggestions confirmed; Wingtip Toys also needs a product by hand
  for (const customer of ['wingtip', 'proseware']) {
    expectValidCards((await h.say(OPS, `map ${customer}`)).cards);
    await h.say(OPS, `confirm ${customer} all`);
  }
  const mapped = await h.say(OPS, 'map wingtip product "Azure plan" service 1036');
  expect(textOf(mapped.cards)).toContain('Cloud Storage 1 TB');
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

/** the approval card of `upload <customer>`, posted into the notify-here channel */
async function requestUpload(customer: string): Promise<{ runId: string; approvalId: string; card: Json }> {
  const before = channelPosts().length;
  const { reply, cards } = await h.say(OPS, `upload ${customer}`);
  expect(textOf(cards)).toContain('requested');
  expect(reply!.conversationId).toBe('a:personal-aad-ops');
  const [post] = await h.connector.waitFor(
    (c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && channelPosts().indexOf(c) >= before,
  );
  const card = cardsOf(post!)[0]!;
  expectValidCards([card]);
  const [approve] = commandsOf(card) as string[];
  const runId = approve!.replace('approve ', '');
  expect(commandsOf(card)).toEqual([`approve ${runId}`, `reject ${runId}`]);
  return { runId, approvalId: post!.assignedId!, card };
}

describe('the full flow in Teams on the real services', () => {
  it('stores the channel when the bot is installed, and `notify here` makes it the notification target', async () => {
    expect((await postActivity(h.url, installActivity(TEAMS_ADMIN, channel()))).status).toBe(200);
    const row = await db.prisma.teamsConversation.findUnique({ where: { conversationId: CHANNEL_ID } });
    expect(row).toMatchObject({
      tenantId: TEAMS_TENANT,
      conversationType: 'channel',
      serviceUrl: h.connector.serviceUrl,
    });
    const notify = await h.say(TEAMS_ADMIN, 'notify here', channel());
    expect(notify.reply!.conversationId).toBe(CHANNEL_ID);
    expect(textOf(notify.cards)).toContain('now receives approval requests');
    expectValidCards(notify.cards);
  });

  it('validate → upload → approval card → Approve twice-asked by a second person → card rewritten → upload succeeds', async () => {
    const validated = await h.say(OPS, 'validate wingtip');
    expectValidCards(validated.cards);
    expect(textOf(validated.cards)).toContain('Valid');

    const { runId, approvalId, card } = await requestUpload('wingtip');
    // the card went to the conversation stored at install, not to the person who asked
    expect(
      await db.prisma.chatPostedCard.findUnique({
        where: { kind_runId_platform: { kind: 'approval', runId, platform: 'teams' } },
      }),
    ).toMatchObject({ channel: CHANNEL_ID, messageId: approvalId });

    // Approve asks twice: a ShowCard with what will happen, then the real Action.Execute button
    const actionSet = (card.body as Json[]).find((e) => e.type === 'ActionSet')!;
    const [approveFirst] = actionSet.actions as Json[];
    expect(approveFirst).toMatchObject({ type: 'Action.ShowCard', title: 'Approve…' });
    expect(textOf(approveFirst!.card)).toContain('operations will be written to Autotask');
    const [approve] = executeActions(approveFirst!.card as Json);
    expect(approve).toMatchObject({
      title: 'Approve',
      data: { command: `approve ${runId}` },
      fallback: { type: 'Action.Submit', data: { command: `approve ${runId}` } },
    });

    // the requester may not approve their own upload (four-eyes): the card comes back with its buttons
    const own = await h.click(OPS, channel(), approvalId, approve!.data);
    expect(own.response.status).toBe(200);
    expect(textOf([own.response.body, ...own.calls.map((c) => c.body)])).toContain(
      'someone else has to approve it (four eyes)',
    );
    expect(commandsOf(cardsOf(h.puts(approvalId).at(-1)!)[0]!)).toEqual([
      `approve ${runId}`,
      `reject ${runId}`,
    ]);
    expect((await getRun(db.prisma, runId))!.state).toBe('upload_requested');

    const clicked = await h.click(APPROVER, channel(), approvalId, approve!.data);
    expect(clicked.response.status).toBe(200);
    expect(clicked.response.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    const clickerCard = (clicked.response.body as Json).value as Json;
    expectValidCards([clickerCard]);
    expect(textOf(clickerCard)).toContain('Approved by teams:tenant-1:aad-app');
    expect(executeActions(clickerCard)).toEqual([]);

    // the upload runs in the background against the sandbox; its outcome rewrites the same card
    const [done] = await h.connector.waitFor(
      (c) => c.method === 'PUT' && c.activityId === approvalId && textOf(c.body).includes('Upload succeeded'),
      1,
      30_000,
    );
    const final = cardsOf(done!)[0]!;
    expectValidCards([final]);
    expect(executeActions(final)).toEqual([]);
    expect(textOf(final)).toContain('Approved by teams:tenant-1:aad-app');
    expect((await getRun(db.prisma, runId))!.state).toBe('succeeded');
    const written = h.bot.autotask.sandbox!.controls.writeLog().filter((w) => w.status === 200);
    expect(written.length).toBeGreaterThan(0);
    for (const update of h.puts(approvalId)) expectValidCards(cardsOf(update));
  });

  it('a failing upload sends ONE proactive failure notification to the stored channel; its Retry queues a retry', async () => {
    // Wingtip's lines exist since the upload above; two more seats today make one adjustment
    const seat = await db.prisma.subscription.findFirstOrThrow({
      where: { customer: { name: 'Wingtip Toys' }, billingType: 'quantity', status: 'active' },
    });
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: seat.id,
        effectiveDate: new Date().toISOString().slice(0, 10),
        kind: 'quantity_changed',
        quantityBefore: seat.quantity,
        quantityAfter: seat.quantity + 2,
        idempotencyKey: `teams-flow-${seat.id}`,
        source: 'ingest',
      },
    });
    await db.prisma.subscription.update({ where: { id: seat.id }, data: { quantity: seat.quantity + 2 } });
    const { runId, approvalId, card } = await requestUpload('wingtip');
    expect((await getRun(db.prisma, runId))!.plan).toMatchObject({
      customers: [{ customerName: 'Wingtip Toys', linesToCreate: 0, adjustments: 1 }],
    });
    // from now on Autotask refuses every adjustment with a 429 asking to wait an hour, longer than
    // the bot waits: the operation is not sent, and the upload fails
    const faults = await fetch(`${h.bot.autotask.sandbox!.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        rate: 1,
        kinds: ['429'],
        retryAfterSeconds: 3600,
        endpoints: ['POST Contracts/ServiceAdjustments'],
      }),
    });
    expect(faults.status).toBe(200);

    const before = channelPosts().length;
    const writesBefore = h.bot.autotask.sandbox!.controls.writeLog().filter((w) => w.status === 200).length;
    const [approve] = executeActions(card).filter((a) => a.title === 'Approve');
    expect((await h.click(APPROVER, channel(), approvalId, approve!.data)).response.status).toBe(200);
    const isFailure = (c: { body: Json }) => textOf(c.body).includes('Upload failed');
    const [notice] = await h.connector.waitFor(
      (c) => c.method === 'POST' && c.conversationId === CHANNEL_ID && isFailure(c),
      1,
      60_000,
    );
    await eventually('the run to fail', async () => (await getRun(db.prisma, runId))!.state.includes('fail'));
    const failureCard = cardsOf(notice!)[0]!;
    expectValidCards([failureCard]);
    expect(textOf(failureCard)).toContain('Wingtip Toys');
    expect(commandsOf(failureCard)).toContain(`retry ${runId}`);

    // the Retry button (an invoke) queues a retry of the run; the faults are gone by now
    const cleared = await fetch(`${h.bot.autotask.sandbox!.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 0, kinds: ['429'] }),
    });
    expect(cleared.status).toBe(200);
    const retry = executeActions(failureCard).find((a) => a.data.command === `retry ${runId}`)!;
    const retried = await h.click(APPROVER, channel(), notice!.assignedId!, retry.data);
    expect(retried.response.status).toBe(200);
    const answer = textOf(retried.calls.filter((c) => c.method === 'POST').map(cardsOf));
    expect(answer).toContain(runId);
    expect(answer).not.toContain('failed unexpectedly');
    await eventually(
      'the retried run to succeed',
      async () => (await getRun(db.prisma, runId))!.state === 'succeeded',
      60_000,
    );
    const adjustments = h.bot.autotask.sandbox!.controls.writeLog().filter((w) => w.status === 200);
    expect(adjustments.length).toBeGreaterThan(writesBefore);

    // exactly one failure notification for the run, however long the retry and sweeps took
    expect(channelPosts().slice(before).filter(isFailure)).toHaveLength(1);
  }, 150_000);

  it('a Reject through the Action.Submit fallback rewrites the approval card with who rejected it', async () => {
    const { runId, approvalId } = await requestUpload('proseware');
    const response = await postActivity(
      h.url,
      submitActivity(APPROVER, channel(), approvalId, { command: `reject ${runId}` }),
    );
    expect(response.status).toBe(200);
    const final = cardsOf(h.puts(approvalId).at(-1)!)[0]!;
    expectValidCards([final]);
    expect(textOf(final)).toContain('Rejected by teams:tenant-1:aad-app');
    expect(executeActions(final)).toEqual([]);
    expect((await getRun(db.prisma, runId))!.state).toBe('rejected');
  });
});
