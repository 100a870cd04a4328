// The promise of issue [1/10], end to end with real processes: start from nothing, answer
// /healthz, share the embedded database with the CLI, stop cleanly on SIGTERM, keep the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { createEmptyDatabase } from '../helpers/testDatabase.js';
import { killStartedGroups, runCliToEnd, startCli, startNpm, waitFor } from '../helpers/cliProcess.js';
import { readEmbeddedCredentials } from '../../src/db/embeddedCredentials.js';

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start on a fresh data directory', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-e2e-'));
    fs.chmodSync(dataDir, 0o755);
  });
  afterAll(() => {
    killStartedGroups();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /healthz, shares its database with the CLI, stops on SIGTERM and keeps the data', async () => {
    const port = await freePort();
    const secret = 'very-secret-autotask-value';
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'debug',
      AUTOTASK_MODE: 'sandbox',
      AUTOTASK_USERNAME: 'api@partner.example',
      AUTOTASK_SECRET: secret,
      AUTOTASK_INTEGRATION_CODE: 'INTEGRATION',
    };
    const first = startNpm(env);
    const health = await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        return res.status === 200 ? await res.json() : undefined;
      },
      30_000,
      '/healthz',
    );
    expect(health).toEqual({ status: 'ok' }); // liveness only; what it depends on is /readyz's
    const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as {
      checks: Record<string, string>;
    };
    expect(ready.checks).toMatchObject({ database: 'ok', jobs: 'ok' });

    // The CLI, in another process, attaches to the same embedded server.
    const status = await runCliToEnd(['status', '--json'], { DATA_DIR: dataDir });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.output.slice(status.output.indexOf('{')))).toMatchObject({
      database: { kind: 'embedded', sharedWithRunningBot: true },
    });

    // Leave a mark to find after the restart.
    const pgPort = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3],
    );
    const client = new pg.Client({
      host: '127.0.0.1',
      port: pgPort,
      user: readEmbeddedCredentials(dataDir)!.superuser.role,
      password: readEmbeddedCredentials(dataDir)!.superuser.password,
      database: 'autotask_bot',
    });
    await client.connect();
    await client.query(`INSERT INTO settings (key, value, updated_at) VALUES ('e2e.mark', '"kept"', now())`);
    await client.end();

    const pgPid = postmasterPid(dataDir)!;
    expect(alive(pgPid)).toBe(true);
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    expect(alive(pgPid)).toBe(false);
    // npm passed the signal on: no bot process is left behind, orphaned.
    await waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)) ? undefined : true,
      2_000,
      'port to close',
    );
    expect(first.output()).not.toContain(secret);
    expect(first.output()).toContain('embedded PostgreSQL stopped');

    // A second start finds the data of the first.
    const second = startCli(['serve'], env);
    await waitFor(
      async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined),
      30_000,
      'restart',
    );
    const again = await runCliToEnd(['status', '--json'], { DATA_DIR: dataDir });
    expect(JSON.parse(again.output.slice(again.output.indexOf('{'))).settings).toEqual({
      'e2e.mark': 'kept',
    });
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(postmasterPid(dataDir)).toBeUndefined();
  });

  it('on an external DATABASE_URL, SIGTERM still runs the graceful stop (exit 0, "stopped" logged)', async () => {
    const db = await createEmptyDatabase();
    try {
      const port = await freePort();
      const bot = startCli(['serve'], { DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: db.url });
      await waitFor(
        async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined),
        30_000,
        'healthz',
      );
      bot.child.kill('SIGTERM');
      const exit = await bot.exited;
      expect(exit.code).toBe(0);
      expect(bot.output()).toContain('autotask-bot stopped');
    } finally {
      await db.drop();
    }
  });

  it('exits 2 naming each wrong variable, with no stack trace', async () => {
    const result = await runCliToEnd(['status'], {
      DATA_DIR: dataDir,
      PORT: 'abc',
      AUTOTASK_USERNAME: 'api@x.com',
    });
    expect(result.code).toBe(2);
    expect(result.output).toContain('PORT');
    expect(result.output).toContain('AUTOTASK_SECRET');
    expect(result.output).toContain('AUTOTASK_INTEGRATION_CODE');
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('answers unknown commands with the usage and exit 2', async () => {
    const result = await runCliToEnd(['frobnicate'], {});
    expect(result.code).toBe(2);
    expect(result.output).toContain('Unknown command "frobnicate"');
    expect(result.output).toContain('Usage: autotask-bot <command>');
  });
});
