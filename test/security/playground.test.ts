// Probes at the wire for the playground (issue 17, point 8; docs/security/teams-and-playground.md):
// a page in the operator's browser reaching the demo playground on 127.0.0.1 — by DNS rebinding
// (`Host: rebind.example`) or by posting from its own origin — gets 403 and changes nothing;
// requests addressed to the bot itself (loopback names, PUBLIC_URL) still work.
import http from 'node:http';
import { RoleStore } from '../../src/chat/roleStore.js';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

let db: TestDatabase;
const running: RunningBot[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const bot of running) await bot.stop();
  await db?.drop();
});

async function demoBot(env: Record<string, string> = {}): Promise<RunningBot> {
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    AUTOTASK_MODE: 'sandbox',
    DEMO_PARTNER: 'on',
    ...env,
  });
  const bot = await startBot(config, {
    logger: createLogger({ level: 'silent', format: 'json', secrets: config.secrets }),
  });
  running.push(bot);
  return bot;
}

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** node:http, not fetch: a browser under rebinding sends a Host header fetch would not let us write */
function request(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? (payload ? 'POST' : 'GET'),
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> | undefined;
          try {
            body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const grantMallory = { as: 'cli:admin', text: 'grant cli:mallory admin' };

describe('the demo playground addressed by another name or from another origin', () => {
  let bot: RunningBot;
  let port: string;
  beforeAll(async () => {
    bot = await demoBot();
    port = new URL(bot.http.url).port;
    expect(bot.playground.access).toEqual({ on: true, authenticated: false });
  });

  const expectRefused = (answer: Answer) => {
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      error: 'PLAYGROUND_FOREIGN_ORIGIN',
      message: expect.stringMatching(/^Refused: its (Host|Origin) is not this bot\./),
      hint: expect.stringContaining('PUBLIC_URL'),
      requestId: expect.any(String),
    });
  };

  it('answers 403 to Host: rebind.example (DNS rebinding) and changes nothing', async () => {
    const roles = new RoleStore(db.prisma, []);
    const audit = await db.prisma.auditRecord.count();
    const rebound = { host: `rebind.example:${port}` };
    for (const host of [
      rebound.host,
      'rebind.example',
      `127.0.0.1.rebind.example:${port}`,
      `[::1]x:${port}`,
    ]) {
      expectRefused(
        await request(bot.http.url, '/playground/api/command', { headers: { host }, json: grantMallory }),
      );
    }
    expectRefused(await request(bot.http.url, '/playground/api/session', { headers: rebound }));
    expectRefused(await request(bot.http.url, `/playground/api/feed?as=cli:admin`, { headers: rebound }));
    expectRefused(await request(bot.http.url, '/playground', { headers: rebound }));
    expectRefused(
      await request(bot.http.url, '/playground/api/sandbox/faults', {
        headers: rebound,
        json: { failing: true },
      }),
    );
    // the right name on another port is another server
    expectRefused(
      await request(bot.http.url, '/playground/api/command', {
        headers: { host: `127.0.0.1:${Number(port) + 1}` },
        json: grantMallory,
      }),
    );
    expect(await roles.roleOf('cli:mallory')).toBeUndefined();
    expect(await db.prisma.auditRecord.count()).toBe(audit);
    expect(bot.autotask.sandbox?.controls.counters().faultsInjected).toEqual({});
  });

  it('answers 403 to a foreign Origin posting to the right Host', async () => {
    const roles = new RoleStore(db.prisma, []);
    for (const origin of [
      'https://evil.example',
      `http://rebind.example:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${Number(port) + 1}`,
    ]) {
      expectRefused(
        await request(bot.http.url, '/playground/api/command', {
          headers: { host: `127.0.0.1:${port}`, origin },
          json: grantMallory,
        }),
      );
    }
    expect(await roles.roleOf('cli:mallory')).toBeUndefined();
  });

  it('still answers requests addressed to itself: loopback names with its port, same origin', async () => {
    for (const [host, origin] of [
      [`127.0.0.1:${port}`, undefined],
      [`127.0.0.1:${port}`, `http://127.0.0.1:${port}`],
      [`localhost:${port}`, `http://localhost:${port}`],
    ] as const) {
      const session = await request(bot.http.url, '/playground/api/session', {
        headers: { host, ...(origin ? { origin } : {}) },
      });
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({ authenticated: false });
    }
    const page = await request(bot.http.url, '/playground', { headers: { host: `localhost:${port}` } });
    expect(page.status).toBe(200);
    // the probe above can fail: the same command, addressed to the bot, does grant
    const granted = await request(bot.http.url, '/playground/api/command', {
      headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` },
      json: grantMallory,
    });
    expect(granted.status).toBe(200);
    expect(await new RoleStore(db.prisma, []).roleOf('cli:mallory')).toBe('admin');
    await new RoleStore(db.prisma, []).revoke('cli:mallory', 'admin', { id: 'system:test' });
  });
});

describe('the playground with PUBLIC_URL', () => {
  it('answers its public name (any port the proxy hides) and loopback; other names get 403', async () => {
    const bot = await demoBot({ PUBLIC_URL: 'https://billing-bot.partner.example/' });
    const port = new URL(bot.http.url).port;
    const session = (headers: Record<string, string>) =>
      request(bot.http.url, '/playground/api/session', { headers });

    // behind a TLS proxy that keeps the Host: the public name, https origin
    const viaProxy = await session({
      host: 'billing-bot.partner.example',
      origin: 'https://billing-bot.partner.example',
    });
    expect(viaProxy.status).toBe(200);
    expect((await session({ host: `127.0.0.1:${port}` })).status).toBe(200);

    const foreign: Record<string, string>[] = [
      { host: 'rebind.example' },
      { host: 'billing-bot.partner.example:8443' },
      { host: 'billing-bot.partner.example', origin: 'http://billing-bot.partner.example' },
      { host: 'billing-bot.partner.example', origin: 'https://evil.example' },
    ];
    for (const headers of foreign) {
      const refused = await session(headers);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        error: 'PLAYGROUND_FOREIGN_ORIGIN',
        hint: expect.stringContaining('https://billing-bot.partner.example/playground'),
      });
    }
  });

  it('is refused at start when it is not an http(s) URL', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://bot.example' })).toThrow(/PUBLIC_URL: must start with http/);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ PUBLIC_URL: 'https://Bot.Example:8443/some/path' }).publicUrl).toBe(
      'https://bot.example:8443',
    );
  });
});
