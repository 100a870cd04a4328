// Probe: four eyes at the wire. One approver sends `upload <run>` and `approve <run>` as signed
// Slack slash commands a few milliseconds apart, again and again, to the real bot: no run is ever
// approved by the person who requested it. With `sync.four_eyes` switched off on the CLI
// (audited), the same person's own approval goes through — typed in Slack, clicked on the card
// and typed on the CLI alike.
import { runCli } from '../../src/cli/main.js';
import type { RecordedCall } from '../helpers/recordingSlackServer.js';
import { seededRandom } from '../helpers/seededRandom.js';
import {
  ADMIN,
  APPROVER,
  startSlackHarness,
  uploadableCustomers,
  type SlackHarness,
} from '../helpers/slackBotHarness.js';
import { button, textOfCall } from '../helpers/slackMessages.js';
import { chatCliBeside } from '../helpers/chatCli.js';
import { eventually } from '../helpers/eventually.js';

const ROUNDS = 12;
const REQUESTER_ID = 'slack:T1:UAPP';

let h: SlackHarness;
/** demo customers with changes: one for the races (never approved), three for own approvals */
let customer: string, forTyped: string, forCard: string, forCli: string;
beforeAll(async () => {
  // 15 validate+upload rounds by one operator: more than the per-person limit allows in a minute,
  // which is not what this probe is about (test/security/directoryBudget.test.ts is)
  h = await startSlackHarness({ env: { CHAT_RATE_LIMIT_OPERATOR_PER_MINUTE: '0' } });
  [customer, forTyped, forCard, forCli] = (await uploadableCustomers(h, 4)) as [
    string,
    string,
    string,
    string,
  ];
  await h.command(ADMIN, 'notify here', { channel: 'CNOTIFY' });
}, 180_000);
afterAll(() => h?.close());

const runIdOf = (call: RecordedCall) => /Run (r-[0-9a-f]+)/.exec(textOfCall(call))![1]!;
const after = <T>(ms: number, work: () => Promise<T>): Promise<T> =>
  new Promise((resolve, reject) => setTimeout(() => work().then(resolve, reject), ms));

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) },
    {
      DATABASE_URL: h.db.url,
      LOG_LEVEL: 'silent',
      PATH: process.env.PATH,
    },
  );
  return { code, out, err };
}

describe('probe: four eyes against a raced request and approval', () => {
  it(`${ROUNDS} raced "upload <run>" + "approve <run>" by one approver over signed Slack requests: 0 self-approvals`, async () => {
    const random = seededRandom(1717);
    const runIds: string[] = [];
    const answers: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { message } = await h.command(APPROVER, `validate "${customer}"`);
      const runId = runIdOf(message);
      runIds.push(runId);
      const [request, approve] = await Promise.all([
        h.command(APPROVER, `upload ${runId}`),
        after(Math.floor(random() * 31), () => h.command(APPROVER, `approve ${runId}`)),
      ]);
      expect(request.http.status).toBe(200);
      expect(approve.http.status).toBe(200);
      answers.push(textOfCall(approve.message));
    }
    const decided = await h.db.prisma.syncRun.findMany({
      where: { id: { in: runIds }, decidedBy: { not: null } },
      select: { id: true, requestedBy: true, decidedBy: true, state: true },
    });
    expect(decided).toEqual([]);
    expect(await h.db.prisma.syncDecision.count({ where: { runId: { in: runIds } } })).toBe(0);
    // every approval was answered: the four-eyes card, or "not requested yet"
    for (const answer of answers) expect(answer).toMatch(/four eyes|cannot approve|waiting for approval/);
    expect(answers.some((a) => /four eyes/.test(a))).toBe(true);
  }, 300_000);

  it('with sync.four_eyes off (set on the CLI, audited) the requester may approve from Slack, a card and the CLI', async () => {
    expect(await cli('four-eyes')).toMatchObject({ code: 0, out: expect.stringMatching(/ON/) });
    expect(await cli('four-eyes', 'off', '--as', 'security-officer')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/OFF/),
    });
    try {
      const changed = await h.db.prisma.auditRecord.findFirst({
        where: { action: 'settings.changed', actorId: 'cli:security-officer' },
      });
      expect(changed?.details).toMatchObject({ key: 'sync.four_eyes', after: false });

      // typed in Slack
      const typed = runIdOf((await h.command(APPROVER, `validate "${forTyped}"`)).message);
      expect(textOfCall((await h.command(APPROVER, `upload ${typed}`)).message)).toContain('requested');
      expect(textOfCall((await h.command(APPROVER, `approve ${typed}`)).message)).toContain(
        'You approved run',
      );
      await eventually(`run ${typed} uploaded`, async () => {
        const run = await h.db.prisma.syncRun.findUnique({ where: { id: typed } });
        return run?.state === 'succeeded' ? run : null;
      });

      // clicked on the approval card
      const clicked = runIdOf((await h.command(APPROVER, `validate "${forCard}"`)).message);
      await h.command(APPROVER, `upload ${clicked}`);
      const [card] = await h.recorder.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          JSON.stringify(c.body.blocks ?? '').includes(`approve ${clicked}`),
      );
      const click = await h.click(APPROVER, button(card!, 'Approve'), '1.1');
      expect(click.http.status).toBe(200);
      await eventually(`run ${clicked} approved by its requester`, async () => {
        const run = await h.db.prisma.syncRun.findUnique({ where: { id: clicked } });
        return run?.decidedBy === REQUESTER_ID ? run : null;
      });

      // typed on the CLI, as the same person (the CLI runs the upload and waits for it)
      const typedOnCli = runIdOf((await h.command(APPROVER, `validate "${forCli}"`)).message);
      await h.command(APPROVER, `upload ${typedOnCli}`);
      const { out, cli: chatCli } = chatCliBeside(h.bot);
      expect(await chatCli(REQUESTER_ID, 'approve', typedOnCli)).toBe(0);
      expect(out.join('\n')).toContain('You approved run');
      expect(await h.db.prisma.syncRun.findUniqueOrThrow({ where: { id: typedOnCli } })).toMatchObject({
        requestedBy: REQUESTER_ID,
        decidedBy: REQUESTER_ID,
      });
    } finally {
      expect(await cli('four-eyes', 'on', '--as', 'security-officer')).toMatchObject({ code: 0 });
    }
  }, 300_000);
});
