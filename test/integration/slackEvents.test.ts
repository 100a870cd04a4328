// Slack over real HTTP: signed requests to /slack/events on the shared express server, the Web
// API and response_url served by a local recording server, assertions on what the bot sent.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config.js';
import { checkBlockKitMessage, checkOptionsResponse } from '../../src/chat/slack/blockKitLimits.js';
import { startSlackApp } from '../../src/chat/slack/startSlackApp.js';
import { runChatCommandFromCli } from '../../src/chat/console/cliChatBridge.js';
import type { SlackBot } from '../../src/chat/slack/slackBot.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../src/http/httpServer.js';
import { createLogger } from '../../src/observability/logger.js';
import { InMemoryChatServices } from '../helpers/inMemoryChatServices.js';
import {
  startRecordingSlackServer,
  type RecordedCall,
  type RecordingSlackServer,
} from '../helpers/recordingSlackServer.js';
import { randomCommand, seededRandom } from '../helpers/seededRandom.js';
import {
  blockActionBody,
  blockSuggestionBody,
  postSigned,
  slashCommandBody,
  type SlackAction,
  type SlackUser,
} from '../helpers/signedSlackRequests.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const SECRET = 'signing-secret-for-tests-0123456789';
const ADMIN: SlackUser = { team: 'T1', user: 'UADMIN' };
const OPS: SlackUser = { team: 'T1', user: 'UOPS' };
const APPROVER: SlackUser = { team: 'T1', user: 'UAPP' };
const APPROVER2: SlackUser = { team: 'T1', user: 'UAPP2' };
const VIEWER: SlackUser = { team: 'T1', user: 'UVIEW' };

type Block = Record<string, unknown> & { type: string };

interface Harness {
  recorder: RecordingSlackServer;
  http: HttpServerHandle;
  bot: SlackBot;
  url: string;
  close(): Promise<void>;
}

async function startHarness(
  db: TestDatabase,
  services: InMemoryChatServices,
  options: { nowMs?: () => number; team?: string; secret?: string } = {},
): Promise<Harness> {
  const recorder = await startRecordingSlackServer({ teamId: options.team ?? 'T1' });
  const config = loadConfig({
    DATABASE_URL: db.url,
    SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
    SLACK_SIGNING_SECRET: options.secret ?? SECRET,
    SLACK_API_URL: recorder.apiUrl,
    ADMIN_USERS: 'slack:T1:UADMIN',
  });
  const logger = createLogger({ level: 'silent', format: 'json', secrets: config.secrets });
  const app = createHttpApp({ logger, health: [] });
  const bot = await startSlackApp({
    config,
    prisma: db.prisma,
    logger,
    app,
    services,
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  });
  finishHttpApp(app, logger);
  const http = await listen(app, 0, '127.0.0.1');
  return {
    recorder,
    http,
    bot,
    url: `${http.url}/slack/events`,
    close: async () => {
      await http.close(100);
      await bot.stop();
      await recorder.close();
    },
  };
}

let db: TestDatabase;
let services: InMemoryChatServices;
let h: Harness;
let customers: { id: string; name: string }[];
let responseCounter = 0;

/** a slash command; resolves with the HTTP answer and the response_url message that follows */
async function command(who: SlackUser, text: string, options: { channel?: string; wait?: boolean } = {}) {
  const id = `cmd-${++responseCounter}`;
  const body = slashCommandBody({
    who,
    text,
    responseUrl: h.recorder.responseUrl(id),
    channel: options.channel,
  });
  const http = await postSigned(h.url, body, { secret: SECRET });
  const answered = h.recorder.calls.some((c) => c.responseId === id);
  if (options.wait === false) return { http, id, answeredBeforeAck: answered, message: undefined };
  const [message] = await h.recorder.waitFor((c) => c.responseId === id);
  return { http, id, answeredBeforeAck: answered, message: message! };
}

async function click(who: SlackUser, action: SlackAction, messageTs: string, actionTs?: string) {
  const id = `click-${++responseCounter}`;
  const body = blockActionBody({ who, action, responseUrl: h.recorder.responseUrl(id), messageTs, actionTs });
  const http = await postSigned(h.url, body, { secret: SECRET });
  return { http, id, body };
}

const blocksOf = (call: RecordedCall) => call.body.blocks as Block[];
const textOfCall = (call: RecordedCall) => JSON.stringify(call.body.blocks ?? call.body.text);
const buttonsOf = (call: RecordedCall) =>
  blocksOf(call)
    .filter((b) => b.type === 'actions')
    .flatMap(
      (b) => b.elements as { type: string; action_id: string; value: string; text: { text: string } }[],
    )
    .filter((e) => e.type === 'button');
const button = (call: RecordedCall, label: string): SlackAction => {
  const found = buttonsOf(call).find((b) => b.text.text.startsWith(label));
  if (!found) throw new Error(`no button "${label}" in ${textOfCall(call)}`);
  return { type: 'button', action_id: found.action_id, value: found.value };
};
/** the bot stores a posted card's ts right after Slack answers: poll for it */
async function eventually<T>(probe: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting for the bot to store a posted card');
}
const expectWithinLimits = (call: RecordedCall) =>
  expect(checkBlockKitMessage({ text: String(call.body.text ?? ''), blocks: blocksOf(call) ?? [] })).toEqual(
    [],
  );

beforeAll(async () => {
  db = await createTestDatabase();
  customers = [];
  for (const name of ['Acme Corp', 'Acme Holdings', 'Northwind Traders', 'Contoso Ltd'])
    customers.push(await db.prisma.customer.create({ data: { name }, select: { id: true, name: true } }));
  services = new InMemoryChatServices({
    customers,
    unmappedProducts: 300,
    services: 250,
    smallCatalogueCustomerIds: [customers[3]!.id],
  });
  h = await startHarness(db, services);
  for (const [user, role] of [
    ['UOPS', 'operator'],
    ['UAPP', 'approver'],
    ['UAPP2', 'approver'],
    ['UVIEW', 'viewer'],
  ]) {
    const { message } = await command(ADMIN, `grant <@${user}> ${role}`);
    expect(textOfCall(message!)).toContain(`is now ${role}`);
  }
  const notify = await command(ADMIN, 'notify here', { channel: 'CNOTIFY' });
  expect(notify.message!.body.response_type).toBe('in_channel');
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
});

describe('signatures', () => {
  const vector = JSON.parse(readFileSync('/work/shared/fixtures/slack/signature-vector.json', 'utf8')) as {
    signingSecret: string;
    timestamp: string;
    body: string;
    signature: string;
  };
  let pinned: Harness;
  beforeAll(async () => {
    pinned = await startHarness(db, services, {
      secret: vector.signingSecret,
      nowMs: () => Number(vector.timestamp) * 1000,
      team: 'T1DC2JH3J',
    });
  });
  afterAll(() => pinned.close());

  const send = (url: string, body: string, headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  const deliveries = () => db.prisma.chatDelivery.count();

  it("verifies Slack's documented example with the clock pinned to its timestamp", async () => {
    const before = await deliveries();
    const response = await send(pinned.url, vector.body, {
      'x-slack-request-timestamp': vector.timestamp,
      'x-slack-signature': vector.signature,
    });
    expect(response.status).toBe(200);
    // acknowledged first, recorded just after
    for (let i = 0; i < 100 && (await deliveries()) === before; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await deliveries()).toBe(before + 1);
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and a missing signature with 401, processing nothing', async () => {
    const before = await deliveries();
    const callsBefore = pinned.recorder.calls.length;
    const cases: [string, string, Record<string, string>][] = [
      [
        'tampered body',
        vector.body.replace('text=', 'text=approve'),
        { 'x-slack-request-timestamp': vector.timestamp, 'x-slack-signature': vector.signature },
      ],
      [
        'wrong secret',
        vector.body,
        {
          'x-slack-request-timestamp': vector.timestamp,
          'x-slack-signature': (await import('../../src/chat/slack/slackSignature.js')).computeSlackSignature(
            'not-the-secret',
            vector.timestamp,
            vector.body,
          ),
        },
      ],
      ['missing signature', vector.body, { 'x-slack-request-timestamp': vector.timestamp }],
    ];
    for (const [, body, headers] of cases) expect((await send(pinned.url, body, headers)).status).toBe(401);
    // the real clock: the 2018 example is more than 5 minutes old
    const stale = await send(h.url, vector.body, {
      'x-slack-request-timestamp': vector.timestamp,
      'x-slack-signature': (await import('../../src/chat/slack/slackSignature.js')).computeSlackSignature(
        SECRET,
        vector.timestamp,
        vector.body,
      ),
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({
      error: 'SLACK_SIGNATURE_INVALID',
      message: 'The request is not signed by Slack.',
    });
    const sixMinutesAgo = String(Math.floor(Date.now() / 1000) - 360);
    const body = slashCommandBody({
      who: ADMIN,
      text: 'validate all',
      responseUrl: h.recorder.responseUrl('stale'),
    });
    expect((await postSigned(h.url, body, { secret: SECRET, timestamp: sixMinutesAgo })).status).toBe(401);
    expect(await deliveries()).toBe(before);
    expect(pinned.recorder.calls.length).toBe(callsBefore);
    expect(h.recorder.calls.some((c) => c.responseId === 'stale')).toBe(false);
  });

  it('answers URL verification, and malformed bodies with 400', async () => {
    const challenge = await postSigned(
      h.url,
      JSON.stringify({ type: 'url_verification', challenge: 'abc' }),
      { secret: SECRET, contentType: 'application/json' },
    );
    expect(challenge).toEqual({ status: 200, text: '{"challenge":"abc"}' });
    expect((await postSigned(h.url, 'payload=%7Bnot-json', { secret: SECRET })).status).toBe(400);
    const huge = await postSigned(h.url, `text=${'x'.repeat(1_100_000)}`, { secret: SECRET });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text)).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
  });

  it("refuses requests from another workspace than the bot's", async () => {
    const id = 'other-team';
    const body = slashCommandBody({
      who: { team: 'TOTHER', user: 'U1' },
      text: 'roles',
      responseUrl: h.recorder.responseUrl(id),
    });
    expect((await postSigned(h.url, body, { secret: SECRET })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.recorder.calls.some((c) => c.responseId === id)).toBe(false);
  });
});

describe('commands', () => {
  const everyCommand: [SlackUser, string, string][] = [
    [VIEWER, 'help', 'commands'],
    [VIEWER, 'help validate', 'validate &lt;customer&gt;|all'],
    [OPS, 'test', 'Autotask connection'],
    [VIEWER, 'status', 'Mapping mode'],
    [VIEWER, 'customers', 'Northwind Traders'],
    [VIEWER, 'customers acme', 'Acme Holdings'],
    [OPS, 'map "Acme Corp"', 'Mapping — Acme Corp'],
    [OPS, 'map "Acme Corp" company 7', 'mapCompany done'],
    [OPS, 'map "Acme Corp" contract monthly 70 default', 'mapContract done'],
    [OPS, 'map "Acme Corp" product "Visio Plan 2" service 31', 'mapProduct done'],
    [OPS, 'confirm sug_1', 'confirmSuggestion done'],
    [OPS, 'confirm "Acme Corp" all', 'confirmAll done'],
    [VIEWER, 'unmapped', 'Visio Plan 2'],
    [VIEWER, 'unmapped northwind', 'Unmapped — Northwind Traders'],
    [ADMIN, 'mode auto', 'Mapping mode is now *auto*'],
    [OPS, 'validate northwind', 'Valid'],
    [OPS, 'validate all', 'for 4 customers'],
    [OPS, 'upload contoso', 'requested'],
    [VIEWER, 'runs', 'Runs'],
    [VIEWER, 'runs northwind', 'Runs — Northwind Traders'],
    [VIEWER, 'run run_1', 'Run run_1'],
    [OPS, 'retry run_1', 'Retrying'],
    [ADMIN, 'schedule all daily', 'Scheduled validate-then-upload for all'],
    [ADMIN, 'schedules', 'sch_1'],
    [ADMIN, 'unschedule sch_1', 'removed'],
    [VIEWER, 'audit', 'role.granted'],
    [VIEWER, 'audit northwind since 2026-01-01', 'Audit log — Northwind Traders since 2026-01-01'],
    [ADMIN, 'roles', 'slack:T1:UOPS'],
    [ADMIN, 'grant <@UTEMP> viewer', 'slack:T1:UTEMP is now viewer'],
    [ADMIN, 'revoke <@UTEMP> viewer', 'no longer holds viewer'],
    [APPROVER, 'reject run_2 "wrong contract"', 'You rejected run'],
    [VIEWER, 'validate acme', 'needs the *operator* role'],
    [OPS, 'validate acme', 'matches several customers'],
    [OPS, 'frobnicate', "I don't know the command"],
  ];

  it.each(everyCommand)(
    '%j /autotask %s is acknowledged at once and answered through response_url',
    async (who, text, expected) => {
      const { http, message, answeredBeforeAck } = await command(who, text);
      expect(http).toEqual({ status: 200, text: '' });
      expect(answeredBeforeAck).toBe(false);
      expect(textOfCall(message!)).toContain(expected);
      expect(textOfCall(message!)).not.toContain('failed unexpectedly');
      expect(message!.body.response_type).toBe(text === 'notify here' ? 'in_channel' : 'ephemeral');
      expectWithinLimits(message!);
    },
  );

  it('acknowledges at once while Autotask takes 5 s, and the result arrives later', async () => {
    services.validateDelayMs = 5_000;
    try {
      const started = Date.now();
      const { http, id, answeredBeforeAck } = await command(OPS, 'validate northwind', { wait: false });
      const ackMs = Date.now() - started;
      expect(http.status).toBe(200);
      expect(answeredBeforeAck).toBe(false);
      const [message] = await h.recorder.waitFor((c) => c.responseId === id, 1, 20_000);
      const resultMs = Date.now() - started;
      expect(textOfCall(message!)).toContain('Valid');
      // figures, not assertions: the machines are shared
      console.log(`slow Autotask: ack after ${ackMs} ms, result after ${resultMs} ms`);
    } finally {
      services.validateDelayMs = 0;
    }
  });

  it('handles a command delivered 3 times (X-Slack-Retry-Num) once: one run, one approval card', async () => {
    const before = {
      uploads: services.callsOf('requestUpload').length,
      posts: h.recorder.calls.filter((c) => c.method === 'chat.postMessage').length,
    };
    const id = 'retried-upload';
    const body = slashCommandBody({
      who: OPS,
      text: 'upload northwind',
      responseUrl: h.recorder.responseUrl(id),
    });
    const answers = [
      await postSigned(h.url, body, { secret: SECRET }),
      await postSigned(h.url, body, {
        secret: SECRET,
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
      await postSigned(h.url, body, {
        secret: SECRET,
        headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await h.recorder.waitFor((c) => c.responseId === id);
    await h.recorder.waitFor((c) => c.method === 'chat.postMessage', before.posts + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(services.callsOf('requestUpload').length).toBe(before.uploads + 1);
    expect(h.recorder.calls.filter((c) => c.responseId === id)).toHaveLength(1);
    expect(h.recorder.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(before.posts + 1);
  });

  it('turns 1,000 random command strings into usage or help over HTTP — never a 5xx', async () => {
    const random = seededRandom(6_10);
    const statuses = new Map<number, number>();
    const ids: string[] = [];
    for (let batch = 0; batch < 100; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const id = `fuzz-${++responseCounter}`;
          ids.push(id);
          const body = slashCommandBody({
            who: VIEWER,
            text: randomCommand(random),
            responseUrl: h.recorder.responseUrl(id),
          });
          return postSigned(h.url, body, { secret: SECRET });
        }),
      );
      for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    expect([...statuses.entries()]).toEqual([[200, 1000]]);
    const answers = await h.recorder.waitFor((c) => (c.responseId ?? '').startsWith('fuzz-'), 1000, 60_000);
    for (const answer of answers) {
      expectWithinLimits(answer);
      expect(textOfCall(answer)).not.toContain('failed unexpectedly');
    }
  });
});

describe('buttons and selects', () => {
  let approvalPost: RecordedCall;
  let runId: string;

  it('validation card: "Show all" and "Request upload" → an approval card in the notification channel', async () => {
    const { message } = await command(OPS, 'validate northwind');
    runId = /Run (run_\d+)/.exec(textOfCall(message!))![1]!;
    const showAll = await click(OPS, button(message!, 'Show all'), '1.1');
    expect(showAll.http.status).toBe(200);
    const [detail] = await h.recorder.waitFor((c) => c.responseId === showAll.id);
    expect(textOfCall(detail!)).toContain(`Run ${runId}`);
    expectWithinLimits(detail!);
    const next = await click(OPS, button(detail!, 'Next page'), '1.1');
    const [page2] = await h.recorder.waitFor((c) => c.responseId === next.id);
    expect(textOfCall(page2!)).toContain('Page 2 of 3');

    const posts = h.recorder.calls.filter((c) => c.method === 'chat.postMessage').length;
    const request = await click(OPS, button(message!, 'Request upload'), '1.1');
    await h.recorder.waitFor((c) => c.responseId === request.id);
    [approvalPost] = (await h.recorder.waitFor((c) => c.method === 'chat.postMessage', posts + 1)).slice(
      -1,
    ) as [RecordedCall];
    expect(approvalPost.body.channel).toBe('CNOTIFY');
    expect(buttonsOf(approvalPost).map((b) => b.value)).toEqual([`approve ${runId}`, `reject ${runId}`]);
    expectWithinLimits(approvalPost);
    const stored = await eventually(() =>
      db.prisma.chatPostedCard.findUnique({
        where: { kind_runId_platform: { kind: 'approval', runId, platform: 'slack' } },
      }),
    );
    expect(stored).toMatchObject({ channel: 'CNOTIFY', messageId: expect.stringMatching(/^\d+\.\d+$/) });
  });

  it('approval card: the requester and an operator are refused; Approve double-clicked and retried → one decision, one upload, card rewritten without buttons', async () => {
    const ts = (await db.prisma.chatPostedCard.findFirstOrThrow({ where: { runId } })).messageId;
    const approve = button(approvalPost, 'Approve');

    const byRequester = await click(OPS, approve, ts);
    const [refusal] = await h.recorder.waitFor((c) => c.responseId === byRequester.id);
    expect(textOfCall(refusal!)).toContain('needs the *approver* role');

    const now = Date.now() / 1000;
    const first = await click(APPROVER, approve, ts, String(now));
    const doubleClick = await click(APPROVER, approve, ts, String(now + 0.3));
    // Slack retrying the first click's delivery
    const retried = await postSigned(h.url, first.body, {
      secret: SECRET,
      headers: { 'x-slack-retry-num': '1' },
    });
    expect([first.http.status, doubleClick.http.status, retried.status]).toEqual([200, 200, 200]);
    const [update] = await h.recorder.waitFor((c) => c.method === 'chat.update' && c.body.ts === ts);
    // a second approver clicking the card a moment later (the router test covers "at the same moment")
    const otherApprover = await click(APPROVER2, approve, ts, String(now + 0.5));
    expect(otherApprover.http.status).toBe(200);
    await h.recorder.waitFor((c) => c.responseId === otherApprover.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(services.decisions.filter((d) => d.runId === runId)).toEqual([
      { runId, decision: 'approved', by: 'slack:T1:UAPP' },
    ]);
    expect(services.uploads.filter((r) => r === runId)).toHaveLength(1);
    // one of the two clicks was handled, the other dropped (which one depends on arrival)
    expect(
      h.recorder.calls.filter((c) => c.responseId === first.id || c.responseId === doubleClick.id),
    ).toHaveLength(1);
    const [late] = h.recorder.calls.filter((c) => c.responseId === otherApprover.id);
    expect(textOfCall(late!)).toContain('already been decided');
    expect(buttonsOf(update!)).toEqual([]);
    expect(textOfCall(update!)).toContain('Approved by <@UAPP>');
    expectWithinLimits(update!);
  });

  it('approval card shows progress, then the outcome, through chat.update', async () => {
    const ts = (await db.prisma.chatPostedCard.findFirstOrThrow({ where: { runId } })).messageId;
    const run = services.runs.get(runId)!;
    await h.bot.notifier.runChanged({ ...run, state: 'uploading', progress: { done: 340, total: 1200 } });
    await h.bot.notifier.runChanged({
      ...run,
      state: 'succeeded',
      progress: null,
      outcome: { succeeded: 1200, failed: 0 },
    });
    const updates = h.recorder.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(textOfCall(updates.at(-2)!)).toContain('340 / 1,200 operations · 28 %');
    expect(textOfCall(updates.at(-1)!)).toContain('Upload succeeded: 1,200 operations done, 0 failed');
    expect(buttonsOf(updates.at(-1)!)).toEqual([]);
  });

  it('Reject rewrites the card with who rejected it', async () => {
    const upload = await command(OPS, 'upload contoso');
    const rejectRun = /run `(run_\d+)`/.exec(textOfCall(upload.message!))![1]!;
    const posted = await eventually(() =>
      db.prisma.chatPostedCard.findFirst({ where: { runId: rejectRun } }),
    );
    const [card] = h.recorder.calls.filter(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks).includes(`reject ${rejectRun}`),
    );
    const rejected = await click(APPROVER, button(card!, 'Reject'), posted.messageId);
    await h.recorder.waitFor((c) => c.responseId === rejected.id);
    const [update] = await h.recorder.waitFor(
      (c) => c.method === 'chat.update' && c.body.ts === posted.messageId,
    );
    expect(textOfCall(update!)).toContain('Rejected by <@UAPP>');
    expect(buttonsOf(update!)).toEqual([]);
  });

  it('mapping card: 300 unmapped products and 250 services → searchable selects with an options endpoint; choosing maps the product', async () => {
    const { message } = await command(OPS, 'map "Acme Corp"');
    expectWithinLimits(message!);
    const selects = blocksOf(message!).filter(
      (b) => (b.accessory as { type?: string } | undefined)?.type === 'external_select',
    );
    expect(selects).toHaveLength(20);
    expect(textOfCall(message!)).toContain('… and 280 more');

    const options = await postSigned(
      h.url,
      blockSuggestionBody({ who: OPS, blockId: String(selects[0]!.block_id), value: 'service 1' }),
      { secret: SECRET },
    );
    const answer = JSON.parse(options.text) as { options: { text: { text: string }; value: string }[] };
    expect(answer.options.length).toBeGreaterThan(10);
    expect(answer.options.length).toBeLessThanOrEqual(100);
    expect(checkOptionsResponse(answer)).toEqual([]);
    expect(services.callsOf('searchServices').at(-1)!.input).toMatchObject({
      customerId: customers[0]!.id,
      query: 'service 1',
    });
    const viewerOptions = await postSigned(
      h.url,
      blockSuggestionBody({ who: VIEWER, blockId: String(selects[0]!.block_id), value: '' }),
      { secret: SECRET },
    );
    expect(JSON.parse(viewerOptions.text)).toEqual({ options: [] });

    // a product whose name is too long for a block_id: the block carries a stored key
    const long = selects.find((s) => String(s.block_id).startsWith('selectref:'));
    expect(long).toBeDefined();
    for (const select of [selects[1]!, long!]) {
      const chosen = await click(
        OPS,
        {
          type: 'external_select',
          action_id: 'select',
          block_id: String(select.block_id),
          selected_option: { value: answer.options[0]!.value },
        },
        '1.1',
      );
      const [done] = await h.recorder.waitFor((c) => c.responseId === chosen.id);
      expect(textOfCall(done!)).toContain('mapProduct done');
    }
    const mapped = services
      .callsOf('mapProduct')
      .slice(-2)
      .map((c) => c.input as { product: string; service: string; customerId: string });
    expect(mapped[0]).toMatchObject({
      customerId: customers[0]!.id,
      product: 'Product 2',
      service: answer.options[0]!.value,
    });
    expect(mapped[1]!.product).toMatch(/^Product \d+ with a rather long name/);

    const nextProducts = await click(OPS, button(message!, 'Next products'), '1.1');
    const [page2] = await h.recorder.waitFor((c) => c.responseId === nextProducts.id);
    expect(textOfCall(page2!)).toContain('page 2 of 15');
    expect(textOfCall(page2!)).toContain('Product 21 ');
    expectWithinLimits(page2!);
    const confirmAll = await click(OPS, button(message!, 'Confirm all suggestions'), '1.1');
    const [confirmed] = await h.recorder.waitFor((c) => c.responseId === confirmAll.id);
    expect(textOfCall(confirmed!)).toContain('confirmAll done');
  });

  it('mapping card with a small catalogue: static selects; a viewer choosing is refused', async () => {
    const { message } = await command(OPS, 'map contoso');
    const select = blocksOf(message!).find(
      (b) => (b.accessory as { type?: string } | undefined)?.type === 'static_select',
    )!;
    expect((select.accessory as { options: unknown[] }).options).toHaveLength(30);
    const action: SlackAction = {
      type: 'static_select',
      action_id: 'select',
      block_id: String(select.block_id),
      selected_option: { value: '1003' },
    };
    const byViewer = await click(VIEWER, action, '1.1');
    const [refused] = await h.recorder.waitFor((c) => c.responseId === byViewer.id);
    expect(textOfCall(refused!)).toContain('needs the *operator* role');
    const byOps = await click(OPS, action, '1.2');
    await h.recorder.waitFor((c) => c.responseId === byOps.id);
    expect(services.callsOf('mapProduct').at(-1)!.input).toMatchObject({
      customerId: customers[3]!.id,
      service: '1003',
    });
  });

  it('failure notification: posted to the notification channel, Retry and Show run work', async () => {
    const posts = h.recorder.calls.filter((c) => c.method === 'chat.postMessage').length;
    await h.bot.notifier.runFailed({
      runId: 'run_1',
      customerName: 'Northwind Traders',
      what: 'Autotask refused 3 adjustments.',
      retryCommand: 'retry run_1',
      errors: [
        {
          code: 'AUTOTASK_403',
          message: 'no permission on ContractServiceAdjustments',
          fix: 'grant the API user create on it',
        },
      ],
    });
    const [failure] = (await h.recorder.waitFor((c) => c.method === 'chat.postMessage', posts + 1)).slice(-1);
    expect(failure!.body.channel).toBe('CNOTIFY');
    expectWithinLimits(failure!);
    for (const [label, expected] of [
      ['Retry', 'Retrying'],
      ['Show run', 'Run run_1'],
    ] as const) {
      const clicked = await click(OPS, button(failure!, label), '9.9');
      const [answer] = await h.recorder.waitFor((c) => c.responseId === clicked.id);
      expect(textOfCall(answer!)).toContain(expected);
    }
  });

  it('an upload requested from the CLI and approved from the CLI shows on the Slack card; a scheduled run posts its own', async () => {
    const config = () =>
      loadConfig({
        DATABASE_URL: db.url,
        SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: h.recorder.apiUrl,
        ADMIN_USERS: 'slack:T1:UADMIN',
        LOG_LEVEL: 'silent',
      });
    const out: string[] = [];
    const cli = (as: string, ...args: string[]) =>
      runChatCommandFromCli(
        { config, io: { out: (t) => out.push(t), err: (t) => out.push(t) }, flags: { json: false, as } },
        args,
        { services },
      );
    const posts = h.recorder.calls.filter((c) => c.method === 'chat.postMessage').length;
    expect(await cli('slack:T1:UOPS', 'upload', 'Northwind Traders')).toBe(0);
    const cliRun = /run (run_\d+)/.exec(out.join('\n'))![1]!;
    expect(out.join('\n')).toContain(`[1] Approve: autotask-bot approve ${cliRun}`);
    const [card] = (await h.recorder.waitFor((c) => c.method === 'chat.postMessage', posts + 1)).slice(-1);
    expect(card!.body.channel).toBe('CNOTIFY');
    expect(await cli('slack:T1:UAPP', 'approve', cliRun)).toBe(0);
    const ts = (await db.prisma.chatPostedCard.findFirstOrThrow({ where: { runId: cliRun } })).messageId;
    const [update] = await h.recorder.waitFor((c) => c.method === 'chat.update' && c.body.ts === ts);
    expect(buttonsOf(update!)).toEqual([]);

    const scheduled = services.runs.get('run_1')!;
    await h.bot.notifier.approvalRequested({
      ...scheduled,
      runId: 'run_scheduled',
      state: 'awaiting_approval',
      requestedBy: 'system',
    });
    const stored = await db.prisma.chatPostedCard.findFirstOrThrow({ where: { runId: 'run_scheduled' } });
    expect(stored.channel).toBe('CNOTIFY');
  });

  it('an unknown action is answered, not crashed on', async () => {
    const clicked = await click(OPS, { type: 'button', action_id: 'x', value: 'self-destruct now' }, '1.1');
    expect(clicked.http.status).toBe(200);
    const [answer] = await h.recorder.waitFor((c) => c.responseId === clicked.id);
    expect(textOfCall(answer!)).toContain("I don't know the command");
  });
});
