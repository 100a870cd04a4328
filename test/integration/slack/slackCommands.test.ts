// Every command of the command table (but the schedule ones, see the jobs tests) as a signed slash
// command to the real bot: the demo partner in the database, the in-process Autotask sandbox
// behind the real use cases, Slack's side a recording server. Each is acknowledged with an empty
// 200 before anything is posted, then answered through response_url within Block Kit's limits.
import { buildDemoSeed } from '../../../src/sandbox/demoSeed.js';
import { randomCommand, seededRandom } from '../../helpers/seededRandom.js';
import { postSigned, slashCommandBody, type SlackUser } from '../../helpers/signedSlackRequests.js';
import {
  ADMIN,
  APPROVER,
  OPS,
  startSlackHarness,
  uploadableCustomers,
  VIEWER,
  type SlackHarness,
} from '../../helpers/slackBotHarness.js';
import { limitProblems, textOfCall } from '../../helpers/slackMessages.js';

let h: SlackHarness;
/** two demo customers with changes to upload (see uploadableCustomers) */
let uploadable: [string, string];
const seed = buildDemoSeed();
const contoso = seed.companies.find((c) => c.companyName === 'Contoso Pharmaceuticals')!;
const contosoMonthly = seed.contracts.find(
  (c) => c.companyID === contoso.id && c.contractPeriodType === 2 && !c.isDefaultContract,
)!;
const basic = seed.services.find((s) => s.name === 'Microsoft 365 Business Basic')!;

beforeAll(async () => {
  h = await startSlackHarness();
  uploadable = (await uploadableCustomers(h, 2)) as [string, string];
}, 120_000);
afterAll(() => h?.close());

const latestRun = async () =>
  (await h.db.prisma.syncRun.findFirstOrThrow({ orderBy: { createdAt: 'desc' }, select: { id: true } })).id;
const visioSuggestion = async () =>
  (
    await h.db.prisma.mappingSuggestion.findFirstOrThrow({
      where: { status: 'pending', productName: 'Visio Plan 2' },
    })
  ).id;
/** placeholders for what earlier commands created */
const PLACEHOLDERS: Record<string, () => Promise<string>> = {
  '{visio suggestion}': visioSuggestion,
  '{latest run}': latestRun,
  '{uploadable}': async () => `"${uploadable[0]}"`,
};
async function filledIn(text: string): Promise<string> {
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS))
    if (text.includes(placeholder)) text = text.replace(placeholder, await value());
  return text;
}

/** who types what (in this order), and a piece of the answer */
const everyCommand: [SlackUser, string, string][] = [
  [VIEWER, 'help', 'commands'],
  [VIEWER, 'help validate', 'validate &lt;customer&gt;|all'],
  [OPS, 'test', 'Autotask connection (sandbox)'],
  [VIEWER, 'status', 'Mapping mode'],
  [VIEWER, 'customers', 'Wingtip Toys'],
  [VIEWER, 'customers north', 'Northwind Traders'],
  [OPS, 'map northwind', 'Mapping — Northwind Traders'],
  [OPS, 'confirm {visio suggestion}', '→ service'],
  [OPS, `map contoso company ${contoso.id}`, `Contoso Ltd → Autotask company ${contoso.id}`],
  [OPS, `map contoso contract monthly ${contosoMonthly.id} default`, `contract ${contosoMonthly.id}`],
  [
    OPS,
    `map "Acme Corp" product "Microsoft 365 Copilot" service ${basic.id}`,
    `service ${basic.id} \\"Microsoft 365 Business Basic\\"`,
  ],
  // the suggestion names its service in full: id · name · period · SKU · price
  [OPS, 'map "Tailspin Toys"', 'Teams Essentials · Monthly · no SKU · 4.00?'],
  [OPS, 'confirm "Tailspin Toys" all', 'Teams Essentials'],
  [VIEWER, 'unmapped', 'Unmapped'],
  [VIEWER, 'unmapped fabrikam', 'Fabrikam — CUSTOMER_'],
  [ADMIN, 'mode manual', 'Mapping mode is now *manual*'],
  [ADMIN, 'mode auto', 'Mapping mode is now *automatic*'],
  [OPS, 'validate northwind', 'Run r-'],
  [OPS, 'validate all', 'Total monthly change'],
  [OPS, 'upload {uploadable}', 'requested; an approver decides'],
  [VIEWER, 'runs', 'awaiting approval'],
  [VIEWER, 'runs northwind', 'Runs — Northwind Traders'],
  [VIEWER, 'run {latest run}', '*State*\\nawaiting approval'],
  [OPS, 'retry {latest run}', 'RUN_STATE'],
  [APPROVER, 'reject {latest run} "wrong contract"', 'rejected'],
  [VIEWER, 'audit', 'upload.rejected'],
  [VIEWER, 'audit northwind since 2026-01-01', 'Audit log — Northwind Traders since 2026-01-01'],
  [ADMIN, 'roles', 'slack:T1:UOPS'],
  [ADMIN, 'grant <@UTEMP> viewer', 'slack:T1:UTEMP is now viewer'],
  [ADMIN, 'revoke <@UTEMP> viewer', 'no longer holds viewer'],
  [VIEWER, 'validate northwind', 'needs the *operator* role'],
  [OPS, 'validate toys', 'matches several customers'],
  [OPS, 'frobnicate', "I don't know the command"],
];

describe('every command over signed HTTP, on the real use cases', () => {
  it.each(everyCommand)('%j /autotask %s', async (who, text, expected) => {
    const { http, message, answeredBeforeAck } = await h.command(who, await filledIn(text), {
      timeoutMs: 60_000,
    });
    expect(http).toEqual({ status: 200, text: '' });
    expect(answeredBeforeAck).toBe(false);
    expect(textOfCall(message)).toContain(expected);
    expect(textOfCall(message)).not.toContain('failed unexpectedly');
    expect(message.body.response_type).toBe('ephemeral');
    expect(limitProblems(message)).toEqual([]);
  });

  it('acknowledges at once while the Autotask sandbox answers after 5 s; the result arrives later', async () => {
    const sandbox = h.bot.autotask.sandbox!;
    sandbox.controls.setLatency(5_000);
    try {
      const started = Date.now();
      const { http, id, answeredBeforeAck } = await h.command(OPS, 'validate northwind', { wait: false });
      const ackMs = Date.now() - started;
      expect(http).toEqual({ status: 200, text: '' });
      // nothing could have been answered yet: every Autotask request takes 5 s
      expect(answeredBeforeAck).toBe(false);
      expect(ackMs).toBeLessThan(3_000);
      const [message] = await h.recorder.waitFor((c) => c.responseId === id, 1, 120_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
      expect(textOfCall(message!)).toContain('Northwind Traders');
      expect(textOfCall(message!)).not.toContain('failed unexpectedly');
    } finally {
      sandbox.controls.setLatency(0);
    }
  }, 150_000);

  it('handles a command delivered 3 times (X-Slack-Retry-Num) once: one run, one answer, one approval card', async () => {
    await h.command(ADMIN, 'notify here', { channel: 'CNOTIFY' });
    const runsBefore = await h.db.prisma.syncRun.count();
    const postsBefore = h.countOf('chat.postMessage');
    const id = 'retried-upload';
    const body = slashCommandBody({
      who: OPS,
      text: `upload "${uploadable[1]}"`,
      responseUrl: h.recorder.responseUrl(id),
    });
    const retry = (n: number) => ({ 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' });
    const answers = [
      await postSigned(h.url, body, { secret: h.secret }),
      await postSigned(h.url, body, { secret: h.secret, headers: retry(1) }),
      await postSigned(h.url, body, { secret: h.secret, headers: retry(2) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const [answer] = await h.recorder.waitFor((c) => c.responseId === id, 1, 60_000);
    expect(textOfCall(answer!)).toContain('requested; an approver decides');
    await h.recorder.waitFor((c) => c.method === 'chat.postMessage', postsBefore + 1);
    await h.bot.slack!.idle();
    expect(await h.db.prisma.syncRun.count()).toBe(runsBefore + 1);
    expect(h.recorder.calls.filter((c) => c.responseId === id)).toHaveLength(1);
    expect(h.countOf('chat.postMessage')).toBe(postsBefore + 1);
  });

  it('turns 1,000 random command strings into usage or help over HTTP — never a 5xx', async () => {
    const random = seededRandom(6_10);
    const statuses = new Map<number, number>();
    const prefix = 'fuzz-';
    let n = 0;
    for (let batch = 0; batch < 100; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => {
          const body = slashCommandBody({
            who: VIEWER,
            text: randomCommand(random),
            responseUrl: h.recorder.responseUrl(`${prefix}${++n}`),
          });
          return postSigned(h.url, body, { secret: h.secret });
        }),
      );
      for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    expect([...statuses.entries()]).toEqual([[200, 1000]]);
    const answers = await h.recorder.waitFor((c) => (c.responseId ?? '').startsWith(prefix), 1000, 240_000);
    for (const answer of answers) {
      expect(limitProblems(answer)).toEqual([]);
      expect(textOfCall(answer)).not.toContain('failed unexpectedly');
    }
  }, 300_000);
});
