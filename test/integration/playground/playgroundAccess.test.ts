// Issue [9/10], must show 4: against a live Autotask the playground is off unless PLAYGROUND=on,
// and then it asks who you are (a token minted in the terminal) and lets you do what your chat
// role allows — the same router and roles as Slack and Teams. Real bot, real HTTP; "live" is an
// Autotask sandbox on another port reached the way a real tenant is (zone lookup, credentials).
// Issue #10: in the demo, picking an identity works only from the bot's own machine; a client on
// another address (this machine's non-loopback interface, so the connection really comes from it)
// needs a token.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { RoleStore } from '../../../src/chat/roleStore.js';
import { loadConfig } from '../../../src/config.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { mintPlaygroundToken, playgroundAccess } from '../../../src/playground/playgroundAccess.js';
import { smallSeed, startTestSandbox, TEST_CREDENTIALS } from '../../helpers/autotaskSandbox.js';
import { CollectingStream } from '../../helpers/collectingStream.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
const running: RunningBot[] = [];
const admin = { id: 'system:test' };

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(smallSeed());
});
afterAll(async () => {
  for (const bot of running) await bot.stop();
  await sandbox?.stop();
  await db?.drop();
});

async function liveBot(extra: Record<string, string>): Promise<RunningBot> {
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    AUTOTASK_MODE: 'live',
    AUTOTASK_USERNAME: TEST_CREDENTIALS.username,
    AUTOTASK_SECRET: TEST_CREDENTIALS.secret,
    AUTOTASK_INTEGRATION_CODE: TEST_CREDENTIALS.integrationCode,
    AUTOTASK_ZONE_URL: sandbox.zoneUrl,
    ...extra,
  });
  const bot = await startBot(config, {
    logger: createLogger({
      level: 'warn',
      format: 'json',
      secrets: config.secrets,
      destination: new CollectingStream(),
    }),
  });
  running.push(bot);
  return bot;
}

const post = (url: string, body: unknown, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/** An IPv4 address of this machine other than loopback: a request to it comes from it. */
const otherAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('the demo playground from another address than loopback', () => {
  // without any network interface there is no second address to come from
  const itWithInterface = otherAddress ? it : it.skip;

  itWithInterface(
    'lets loopback pick an identity; another address needs a token (403 saying how)',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-loopback-'));
      try {
        const config = loadConfig({
          DATABASE_URL: db.url,
          DATA_DIR: dataDir,
          HOST: '0.0.0.0',
          PORT: '0',
          AUTOTASK_MODE: 'sandbox',
          DEMO_PARTNER: 'off',
        });
        const bot = await startBot(config, {
          logger: createLogger({
            level: 'warn',
            format: 'json',
            secrets: config.secrets,
            destination: new CollectingStream(),
          }),
        });
        running.push(bot);
        expect(bot.playground.access).toEqual({ on: true, authenticated: false });
        const port = new URL(bot.http.url).port;
        const local = `http://127.0.0.1:${port}`;
        const remote = `http://${otherAddress}:${port}`;
        const roles = new RoleStore(db.prisma, []);
        await roles.grant('cli:remy', 'viewer', admin);

        // this machine: pick anyone, as the guided tour does
        const session = (await (await fetch(`${local}/playground/api/session`)).json()) as {
          authenticated: boolean;
        };
        expect(session.authenticated).toBe(false);
        const picked = await post(`${local}/playground/api/command`, { as: 'cli:remy', text: 'status' });
        expect(picked.status).toBe(200);

        // another address: the page loads, but nobody can be picked, nor the sandbox controlled
        expect((await fetch(`${remote}/playground`)).status).toBe(200);
        const refusals = [
          await fetch(`${remote}/playground/api/session`),
          await post(`${remote}/playground/api/command`, { as: 'cli:admin', text: 'grant cli:remy admin' }),
          await post(`${remote}/playground/api/action`, {
            as: 'cli:admin',
            slack: { type: 'button', value: 'roles' },
          }),
          await fetch(`${remote}/playground/api/feed?as=cli:admin`),
          await post(`${remote}/playground/api/sandbox/faults`, { failing: true }),
        ];
        for (const refused of refusals) {
          expect(refused.status).toBe(403);
          const body = (await refused.json()) as { error: string; message: string };
          expect(body.error).toBe('PLAYGROUND_LOOPBACK_ONLY');
          if (!refused.url.includes('/sandbox/'))
            expect(body.message).toMatch(
              /only from the bot's own machine \(you connect from [^)]*\)\..*npx autotask-bot playground-token/,
            );
        }
        expect(await roles.roleOf('cli:remy')).toBe('viewer');

        // with a token it is that person, whatever the body claims, and no sandbox controls
        const token = await mintPlaygroundToken(db.prisma, 'cli:remy', admin);
        const remoteSession = await fetch(`${remote}/playground/api/session`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(await remoteSession.json()).toEqual({
          authenticated: true,
          people: [{ identity: 'cli:remy', role: 'viewer' }],
          faultControls: false,
        });
        const denied = await post(
          `${remote}/playground/api/command`,
          { as: 'cli:admin', text: 'grant cli:remy admin' },
          token,
        );
        expect(await denied.json()).toMatchObject({ denied: true });
        expect(await roles.roleOf('cli:remy')).toBe('viewer');
        expect((await post(`${remote}/playground/api/sandbox/faults`, { failing: true }, token)).status).toBe(
          403,
        );
        expect(bot.autotask.sandbox?.controls.counters().faultsInjected).toEqual({});
        await bot.stop();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('the playground against a live Autotask', () => {
  it('is off without PLAYGROUND=on: no page, no API, and the banner says how to turn it on', async () => {
    const bot = await liveBot({});
    expect(bot.playground.access).toEqual({ on: false, reason: expect.stringContaining('PLAYGROUND=on') });
    expect((await fetch(`${bot.http.url}/playground`)).status).toBe(404);
    const api = await post(`${bot.http.url}/playground/api/command`, { as: 'cli:admin', text: 'roles' });
    expect(api.status).toBe(404);
    expect(bot.banner).toMatch(/Playground\s+off .*→ PLAYGROUND=on/);
    expect(bot.demo).toBeUndefined();
    await bot.stop();
  });

  it('with PLAYGROUND=on needs a token, a chat role, and the command’s role — whoever the body claims to be', async () => {
    const bot = await liveBot({ PLAYGROUND: 'on' });
    const url = bot.http.url;
    expect(bot.playground.access).toEqual({ on: true, authenticated: true });
    expect((await fetch(`${url}/playground`)).status).toBe(200);

    // no token, a made-up token: 401, whatever "as" says
    const anonymous = await post(`${url}/playground/api/command`, { as: 'cli:admin', text: 'roles' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'PLAYGROUND_TOKEN_REQUIRED' });
    const forged = await post(
      `${url}/playground/api/command`,
      { text: 'roles' },
      'pgt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    expect(forged.status).toBe(401);

    // a real token of someone without any chat role: 403
    const roles = new RoleStore(db.prisma, []);
    const nobody = await mintPlaygroundToken(db.prisma, 'cli:nobody', admin);
    const noRole = await post(`${url}/playground/api/command`, { text: 'help' }, nobody);
    expect(noRole.status).toBe(403);
    expect(await noRole.json()).toMatchObject({ error: 'PLAYGROUND_NO_ROLE' });

    // a viewer may read but not validate, even claiming to be an admin in the body
    await roles.grant('cli:vera', 'viewer', admin);
    const vera = await mintPlaygroundToken(db.prisma, 'cli:vera', admin);
    const session = await fetch(`${url}/playground/api/session`, {
      headers: { authorization: `Bearer ${vera}` },
    });
    expect(await session.json()).toEqual({
      authenticated: true,
      people: [{ identity: 'cli:vera', role: 'viewer' }],
      faultControls: false,
    });
    const denied = await post(
      `${url}/playground/api/command`,
      { as: 'cli:admin', text: 'validate all' },
      vera,
    );
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({ denied: true, cards: { model: [{ kind: 'denied' }] } });
    const audit = await db.prisma.auditRecord.findFirst({
      where: { action: 'chat.denied' },
      orderBy: { id: 'desc' },
    });
    expect(audit).toMatchObject({ actorId: 'cli:vera' });
    const read = await post(`${url}/playground/api/command`, { text: 'status' }, vera);
    expect(await read.json()).toMatchObject({ denied: false, cards: { model: [{ kind: 'status' }] } });

    // an admin's token does admin things; the sandbox controls do not exist against a live tenant
    await roles.grant('cli:ada', 'admin', admin);
    const ada = await mintPlaygroundToken(db.prisma, 'cli:ada', admin);
    const granted = await post(`${url}/playground/api/command`, { text: 'grant cli:vera operator' }, ada);
    expect(await granted.json()).toMatchObject({ denied: false });
    expect(await roles.roleOf('cli:vera')).toBe('operator');
    const faults = await post(`${url}/playground/api/sandbox/faults`, { failing: true }, ada);
    expect(faults.status).toBe(404);

    // a new token replaces the old one
    const again = await mintPlaygroundToken(db.prisma, 'cli:vera', admin);
    expect((await post(`${url}/playground/api/command`, { text: 'status' }, vera)).status).toBe(401);
    expect((await post(`${url}/playground/api/command`, { text: 'status' }, again)).status).toBe(200);
  });

  it('is on in the demo unless PLAYGROUND=off, and off live unless PLAYGROUND=on', () => {
    const live = { mode: 'live' as const };
    const sandboxed = { mode: 'sandbox' as const };
    const access = (playground: 'on' | 'off' | 'auto', autotask: { mode: 'live' | 'sandbox' }) =>
      playgroundAccess({ playground, autotask } as Parameters<typeof playgroundAccess>[0]);
    expect(access('auto', sandboxed)).toEqual({ on: true, authenticated: false });
    expect(access('off', sandboxed)).toMatchObject({ on: false });
    expect(access('auto', live)).toMatchObject({ on: false });
    expect(access('off', live)).toMatchObject({ on: false });
    expect(access('on', live)).toEqual({ on: true, authenticated: true });
  });
});
