// The validate → request → approve → upload path clicked through Slack on the real bot: the
// validation card's buttons, the approval card in the notification channel, who may decide
// (roles, four eyes — each refusal answered and audited), double clicks and retried deliveries
// (one decision, one upload), the card rewritten as the upload runs against the Autotask sandbox,
// and a failed upload's notification with its Retry and Show run buttons.
import type { RecordedCall } from '../../helpers/recordingSlackServer.js';
import { postSigned } from '../../helpers/signedSlackRequests.js';
import {
  ADMIN,
  APPROVER,
  APPROVER2,
  OPS,
  startSlackHarness,
  uploadableCustomers,
  VIEWER,
  type SlackHarness,
} from '../../helpers/slackBotHarness.js';
import { button, buttonsOf, limitProblems, textOfCall } from '../../helpers/slackMessages.js';
import { eventually } from '../../helpers/eventually.js';
import { chatCliBeside } from '../../helpers/chatCli.js';

let h: SlackHarness;
/** demo customers with changes to upload: the approval path, four eyes, a failed upload, the CLI */
let approved: string, ownRequest: string, failing: string, fromCli: string;
beforeAll(async () => {
  h = await startSlackHarness();
  [approved, ownRequest, failing, fromCli] = (await uploadableCustomers(h, 4)) as [
    string,
    string,
    string,
    string,
  ];
  const notify = await h.command(ADMIN, 'notify here', { channel: 'CNOTIFY' });
  expect(notify.message.body.response_type).toBe('in_channel');
}, 120_000);
afterAll(() => h?.close());

const runIdOf = (call: RecordedCall) => /Run (r-[0-9a-f]+)/.exec(textOfCall(call))![1]!;
const postedCard = (runId: string) =>
  eventually(`the approval card of ${runId}`, () =>
    h.db.prisma.chatPostedCard.findUnique({
      where: { kind_runId_platform: { kind: 'approval', runId, platform: 'slack' } },
    }),
  );
const approvalPostOf = (runId: string) =>
  h.recorder
    .waitFor(
      (c) =>
        c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes(`approve ${runId}`),
    )
    .then((calls) => calls[0]!);
const updatesOf = (ts: string) =>
  h.recorder.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts);
const denials = (actorId: string) =>
  h.db.prisma.auditRecord.findMany({ where: { actorId, action: 'chat.denied', outcome: 'denied' } });
const answerTo = async (id: string) => (await h.recorder.waitFor((c) => c.responseId === id, 1, 30_000))[0]!;

let runId: string;
let approvalPost: RecordedCall;

describe('Slack buttons on the approval path', () => {
  it('validation card: "Show all" shows the run; "Request upload" posts an approval card to the notification channel', async () => {
    const { message } = await h.command(OPS, `validate "${approved}"`);
    expect(limitProblems(message)).toEqual([]);
    runId = runIdOf(message);
    const showAll = await h.click(OPS, button(message, 'Show all'), '1.1');
    expect(showAll.http.status).toBe(200);
    const detail = await answerTo(showAll.id);
    expect(textOfCall(detail)).toContain(`Run ${runId}`);
    expect(limitProblems(detail)).toEqual([]);

    const posts = h.countOf('chat.postMessage');
    const request = await h.click(OPS, button(message, 'Request upload'), '1.1');
    expect(textOfCall(await answerTo(request.id))).toContain('requested');
    approvalPost = await approvalPostOf(runId);
    expect(h.countOf('chat.postMessage')).toBe(posts + 1);
    expect(approvalPost.body.channel).toBe('CNOTIFY');
    expect(buttonsOf(approvalPost).map((b) => b.value)).toEqual([`approve ${runId}`, `reject ${runId}`]);
    expect(limitProblems(approvalPost)).toEqual([]);
    expect(await postedCard(runId)).toMatchObject({
      channel: 'CNOTIFY',
      messageId: expect.stringMatching(/^\d+\.\d+$/),
    });
  });

  it('a viewer cannot validate and an operator cannot approve: answered, audited, nothing decided', async () => {
    const byViewer = await h.command(VIEWER, `validate "${approved}"`);
    expect(textOfCall(byViewer.message)).toContain('needs the *operator* role');
    expect((await denials('slack:T1:UVIEW')).map((d) => d.details)).toContainEqual(
      expect.objectContaining({ command: 'validate', reason: 'role', needed: 'operator', held: 'viewer' }),
    );

    const ts = (await postedCard(runId)).messageId;
    const byOperator = await h.click(OPS, button(approvalPost, 'Approve'), ts);
    expect(textOfCall(await answerTo(byOperator.id))).toContain('needs the *approver* role');
    expect((await denials('slack:T1:UOPS')).map((d) => d.details)).toContainEqual(
      expect.objectContaining({ command: 'approve', reason: 'role', needed: 'approver' }),
    );
    expect(await h.db.prisma.syncDecision.count({ where: { runId } })).toBe(0);
  });

  it('a requester cannot approve their own run (four eyes): answered and audited', async () => {
    // an approver may request; then someone else must decide
    const { message } = await h.command(APPROVER, `upload "${ownRequest}"`);
    const ownRun = /run `(r-[0-9a-f]+)`/.exec(textOfCall(message))![1]!;
    const card = await approvalPostOf(ownRun);
    const ts = (await postedCard(ownRun)).messageId;
    const own = await h.click(APPROVER, button(card, 'Approve'), ts);
    const refusal = await answerTo(own.id);
    expect(textOfCall(refusal)).toMatch(/four eyes|someone else/i);
    const audited = await h.db.prisma.auditRecord.findMany({
      where: { actorId: 'slack:T1:UAPP', action: 'chat.denied', runId: ownRun },
    });
    expect(audited.map((a) => a.details)).toEqual([expect.objectContaining({ reason: 'four-eyes' })]);
    expect(await h.db.prisma.syncDecision.count({ where: { runId: ownRun } })).toBe(0);

    // Reject by another approver rewrites the card with who rejected it
    const rejected = await h.click(APPROVER2, button(card, 'Reject'), ts);
    await answerTo(rejected.id);
    const [update] = await h.recorder.waitFor((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(textOfCall(update!)).toContain('Rejected by <@UAPP2>');
    expect(buttonsOf(update!)).toEqual([]);
    expect(await h.db.prisma.syncDecision.findUnique({ where: { runId: ownRun } })).toMatchObject({
      decision: 'rejected',
      actorId: 'slack:T1:UAPP2',
    });
  });

  it('Approve double-clicked and its delivery retried → one decision, one upload; the card shows the outcome without buttons', async () => {
    const ts = (await postedCard(runId)).messageId;
    const approve = button(approvalPost, 'Approve');
    const operations = await h.db.prisma.syncOperationRecord.count({ where: { runId } });
    expect(operations).toBeGreaterThan(0);
    const writesBefore = h.bot.autotask.sandbox!.controls.writeLog().length;

    const now = Date.now() / 1000;
    const first = await h.click(APPROVER, approve, ts, String(now));
    const doubleClick = await h.click(APPROVER, approve, ts, String(now + 0.3));
    const retried = await postSigned(h.url, first.body, {
      secret: h.secret,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect([first.http.status, doubleClick.http.status, retried.status]).toEqual([200, 200, 200]);
    // the upload runs against the sandbox; the card is rewritten until the outcome
    const finalUpdate = await h.recorder.waitFor(
      (c) => c.method === 'chat.update' && c.body.ts === ts && textOfCall(c).includes('Upload succeeded'),
      1,
      60_000,
    );
    // a second approver a moment later is told it is decided
    const late = await h.click(APPROVER2, approve, ts, String(now + 0.5));
    expect(textOfCall(await answerTo(late.id))).toContain('already been decided');
    await h.bot.slack!.idle();

    expect(await h.db.prisma.syncDecision.findMany({ where: { runId } })).toEqual([
      expect.objectContaining({ decision: 'approved', actorId: 'slack:T1:UAPP' }),
    ]);
    expect(await h.db.prisma.auditRecord.count({ where: { runId, action: 'upload.started' } })).toBe(1);
    expect(h.bot.autotask.sandbox!.controls.writeLog().length - writesBefore).toBe(operations);
    // one of the two clicks was handled, the other dropped (which one depends on arrival)
    expect(
      h.recorder.calls.filter((c) => c.responseId === first.id || c.responseId === doubleClick.id),
    ).toHaveLength(1);
    const updates = updatesOf(ts);
    expect(textOfCall(updates[0]!)).toContain('Approved by <@UAPP>');
    for (const update of updates) {
      expect(buttonsOf(update)).toEqual([]);
      expect(limitProblems(update)).toEqual([]);
    }
    expect(finalUpdate).toHaveLength(1);
  }, 120_000);

  it('a failed upload posts a notification whose Retry and Show run buttons work', async () => {
    const sandbox = h.bot.autotask.sandbox!;
    const writes = Object.keys(sandbox.controls.counters().byEndpoint).filter(
      (label) => !label.startsWith('GET') && !/\/query/i.test(label),
    );
    expect(writes.length).toBeGreaterThan(0);
    const { message } = await h.command(OPS, `upload "${failing}"`);
    const failingRun = /run `(r-[0-9a-f]+)`/.exec(textOfCall(message))![1]!;
    const card = await approvalPostOf(failingRun);
    const ts = (await postedCard(failingRun)).messageId;
    const posts = h.countOf('chat.postMessage');
    sandbox.controls.setFaults({ rate: 1, kinds: ['500'], endpoints: writes });
    let failure: RecordedCall;
    try {
      await h.click(APPROVER, button(card, 'Approve'), ts);
      [failure] = (await h.recorder.waitFor((c) => c.method === 'chat.postMessage', posts + 1, 90_000)).slice(
        -1,
      ) as [RecordedCall];
    } finally {
      sandbox.controls.clearFaults();
    }
    expect(failure.body.channel).toBe('CNOTIFY');
    expect(textOfCall(failure)).toContain(failing);
    expect(limitProblems(failure)).toEqual([]);

    const show = await h.click(OPS, button(failure, 'Show run'), '9.9');
    expect(textOfCall(await answerTo(show.id))).toContain(`Run ${failingRun}`);
    const retry = await h.click(OPS, button(failure, 'Retry'), '9.9');
    expect(textOfCall(await answerTo(retry.id))).not.toContain('❌');
    await h.recorder.waitFor(
      (c) => c.method === 'chat.update' && c.body.ts === ts && textOfCall(c).includes('Upload succeeded'),
      1,
      90_000,
    );
    expect((await h.db.prisma.syncRun.findUniqueOrThrow({ where: { id: failingRun } })).state).toBe(
      'succeeded',
    );
  }, 240_000);

  it("a run's detail pages with Next page", async () => {
    const { message } = await h.command(OPS, 'validate all');
    const showAll = await h.click(OPS, button(message, 'Show all'), '1.1');
    const detail = await answerTo(showAll.id);
    expect(textOfCall(detail)).toContain(`Run ${runIdOf(message)}`);
    const next = await h.click(OPS, button(detail, 'Next page'), '1.1');
    const page2 = await answerTo(next.id);
    expect(textOfCall(page2)).toMatch(/Page 2 of \d+/);
    expect(limitProblems(page2)).toEqual([]);
  });

  it('an upload requested and approved from the CLI shows on the Slack approval card', async () => {
    const { out, cli } = chatCliBeside(h.bot);
    expect(await cli('slack:T1:UOPS', 'upload', fromCli)).toBe(0);
    const cliRun = /run (r-[0-9a-f]+)/.exec(out.join('\n'))![1]!;
    const card = await approvalPostOf(cliRun);
    expect(card.body.channel).toBe('CNOTIFY');
    // the CLI runs the approved upload itself (against the bot's sandbox) and waits for it
    expect(await cli('slack:T1:UAPP', 'approve', cliRun)).toBe(0);
    const ts = (await postedCard(cliRun)).messageId;
    const [update] = await h.recorder.waitFor((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(buttonsOf(update!)).toEqual([]);
    expect((await h.db.prisma.syncRun.findUniqueOrThrow({ where: { id: cliRun } })).state).toBe('succeeded');
  });

  it('an unknown action is answered, not crashed on', async () => {
    const clicked = await h.click(OPS, { type: 'button', action_id: 'x', value: 'self-destruct now' }, '1.1');
    expect(clicked.http.status).toBe(200);
    expect(textOfCall(await answerTo(clicked.id))).toContain("I don't know the command");
  });
});
