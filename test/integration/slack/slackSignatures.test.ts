// Must show (issue #7 point 2) on the real bot: Slack's documented signature example verifies
// with the clock pinned to its timestamp; a tampered body, a wrong secret, a missing signature or
// a timestamp older than 5 minutes → 401 and nothing processed. Also URL verification, malformed
// and oversized bodies, and requests from another workspace than the bot's.
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { computeSlackSignature, postSigned, slashCommandBody } from '../../helpers/signedSlackRequests.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slackBotHarness.js';

const vector = JSON.parse(
  readFileSync(new URL('../../fixtures/slack/signature-vector.json', import.meta.url), 'utf8'),
) as {
  signingSecret: string;
  timestamp: string;
  body: string;
  signature: string;
};
/** the example's workspace, which the bot believes it belongs to (auth.test) */
const VECTOR_TEAM = 'T1DC2JH3J';
const ADMIN_OF_VECTOR_TEAM = { team: VECTOR_TEAM, user: 'U2CERLKJA' };

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({
    secret: vector.signingSecret,
    team: VECTOR_TEAM,
    demo: false,
    grantPeople: false,
    env: { ADMIN_USERS: `slack:${VECTOR_TEAM}:U2CERLKJA` },
  });
}, 120_000);
afterAll(() => h?.close());

const send = (body: string, headers: Record<string, string>) =>
  fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
const deliveries = () => h.db.prisma.chatDelivery.count();
/** only Date is pinned; timers, I/O and the database run as usual */
function pinClock(ms: number) {
  jest.useFakeTimers({
    now: ms,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

describe('Slack request signatures on the running bot', () => {
  it("verifies Slack's documented example with the clock pinned to its timestamp", async () => {
    const before = await deliveries();
    pinClock(Number(vector.timestamp) * 1000);
    let status: number;
    try {
      status = (
        await send(vector.body, {
          'x-slack-request-timestamp': vector.timestamp,
          'x-slack-signature': vector.signature,
        })
      ).status;
    } finally {
      jest.useRealTimers();
    }
    expect(status).toBe(200);
    // acknowledged first, recorded just after
    await h.bot.slack!.idle();
    expect(await deliveries()).toBe(before + 1);
  });

  it('refuses a tampered body, a wrong secret, a missing signature and a stale timestamp with 401, processing nothing', async () => {
    const before = await deliveries();
    const callsBefore = h.recorder.calls.length;
    const signedBy = (secret: string, timestamp: string, body: string) => ({
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': computeSlackSignature(secret, timestamp, body),
    });
    const now = () => String(Math.floor(Date.now() / 1000));
    const fresh = slashCommandBody({
      who: ADMIN_OF_VECTOR_TEAM,
      text: 'roles',
      responseUrl: h.recorder.responseUrl('refused'),
    });
    const cases: [string, string, Record<string, string>][] = [
      [
        'tampered body',
        fresh.replace('text=roles', 'text=help'),
        signedBy(vector.signingSecret, now(), fresh),
      ],
      ['wrong secret', fresh, signedBy('not-the-secret', now(), fresh)],
      ['missing signature', fresh, { 'x-slack-request-timestamp': now() }],
      // the documented example on the real clock: signed right, but from 2018
      ['stale example', vector.body, signedBy(vector.signingSecret, vector.timestamp, vector.body)],
      [
        'six minutes old',
        fresh,
        signedBy(vector.signingSecret, String(Math.floor(Date.now() / 1000) - 360), fresh),
      ],
    ];
    for (const [what, body, headers] of cases) {
      const response = await send(body, headers);
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect(await response.json()).toEqual({
        error: 'SLACK_SIGNATURE_INVALID',
        message: 'The request is not signed by Slack.',
        requestId: response.headers.get('x-request-id'),
      });
    }
    // a refused request is answered 401 before anything is handed on (slackHttpReceiver): the
    // answers above are the event that proves nothing was processed
    expect(await deliveries()).toBe(before);
    expect(h.recorder.calls.length).toBe(callsBefore);

    // the same request signed right is answered: the refusals above were the signatures' doing
    expect((await send(fresh, signedBy(vector.signingSecret, now(), fresh))).status).toBe(200);
    const [answer] = await h.recorder.waitFor((c) => c.responseId === 'refused');
    expect(JSON.stringify(answer!.body.blocks)).toContain(`slack:${VECTOR_TEAM}:U2CERLKJA`);
  });

  it('answers URL verification, and malformed bodies with 400 and oversized ones with 413', async () => {
    const challenge = await postSigned(
      h.url,
      JSON.stringify({ type: 'url_verification', challenge: 'abc' }),
      { secret: h.secret, contentType: 'application/json' },
    );
    expect(challenge).toEqual({ status: 200, text: '{"challenge":"abc"}' });
    expect((await postSigned(h.url, 'payload=%7Bnot-json', { secret: h.secret })).status).toBe(400);
    const huge = await postSigned(h.url, `text=${'x'.repeat(1_100_000)}`, { secret: h.secret });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text)).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
  });

  it("acknowledges but does not act on requests from another workspace than the bot's", async () => {
    const id = 'other-team';
    const body = slashCommandBody({
      who: { team: 'TOTHER', user: 'U1' },
      text: 'roles',
      responseUrl: h.recorder.responseUrl(id),
    });
    expect((await postSigned(h.url, body, { secret: h.secret })).status).toBe(200);
    await h.bot.slack!.idle();
    expect(h.recorder.calls.some((c) => c.responseId === id)).toBe(false);
  });
});
