// "Must show" 5, with real processes: `autotask-bot sandbox` runs a sandbox alone, and
// `autotask-bot test` against it reports zone, authentication, permissions, latency and budget;
// against a sandbox started with another secret it explains the 401 and exits non-zero.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { DEMO_SANDBOX_CREDENTIALS } from '../../src/sandbox/sandboxServer.js';
import { runCliToEnd, startCli, waitFor, type RunningProcess } from '../helpers/cliProcess.js';

async function startSandboxProcess(
  env: Record<string, string>,
): Promise<{ run: RunningProcess; zoneUrl: string }> {
  const port = await freePort();
  const run = startCli(['sandbox', '--port', String(port)], env);
  const zoneUrl = await waitFor(
    async () => /AUTOTASK_ZONE_URL=(\S+)/.exec(run.output())?.[1],
    30_000,
    'the sandbox to print its zone URL',
  );
  return { run, zoneUrl };
}

const demo = {
  AUTOTASK_USERNAME: DEMO_SANDBOX_CREDENTIALS.username,
  AUTOTASK_SECRET: DEMO_SANDBOX_CREDENTIALS.secret,
  AUTOTASK_INTEGRATION_CODE: DEMO_SANDBOX_CREDENTIALS.integrationCode,
};

describe('autotask-bot sandbox and autotask-bot test', () => {
  let demoSandbox: { run: RunningProcess; zoneUrl: string };
  let otherSecretSandbox: { run: RunningProcess; zoneUrl: string };
  beforeAll(async () => {
    [demoSandbox, otherSecretSandbox] = await Promise.all([
      startSandboxProcess({}),
      startSandboxProcess({ ...demo, AUTOTASK_SECRET: 'a-different-secret' }),
    ]);
  });
  afterAll(async () => {
    for (const s of [demoSandbox, otherSecretSandbox]) {
      s?.run.child.kill('SIGTERM');
      await s?.run.exited;
    }
  });

  it('the sandbox prints how to reach it, with the demo credentials', () => {
    expect(demoSandbox.run.output()).toContain('Autotask sandbox listening on http://127.0.0.1:');
    expect(demoSandbox.run.output()).toContain(`AUTOTASK_USERNAME=${DEMO_SANDBOX_CREDENTIALS.username}`);
    expect(demoSandbox.run.output()).toContain('41 companies');
    // a secret given through the environment is never printed
    expect(otherSecretSandbox.run.output()).not.toContain('a-different-secret');
  });

  it('test against the running sandbox prints zone, authentication, permissions, latency and budget', async () => {
    const result = await runCliToEnd(['test'], { ...demo, AUTOTASK_ZONE_URL: demoSandbox.zoneUrl });
    process.stdout.write(`${result.output}\n`);
    expect(result.code).toBe(0);
    expect(result.output).toContain('Autotask connectivity: OK');
    expect(result.output).toMatch(/Zone: +Sandbox \(localhost\) http:\/\/127\.0\.0\.1:\d+\/ATServicesRest\//);
    expect(result.output).toContain('Authentication:  OK');
    expect(result.output).toMatch(/ContractServices +yes +yes +query\+create/);
    expect(result.output).toMatch(/Round trip: +[\d.]+ ms/);
    expect(result.output).toMatch(/Budget used: +\d+ of 10000 requests this hour/);

    const json = await runCliToEnd(['test', '--json'], { ...demo, AUTOTASK_ZONE_URL: demoSandbox.zoneUrl });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.output.slice(json.output.indexOf('{')));
    expect(report).toMatchObject({ ok: true, authenticated: true, zone: { source: 'lookup' } });
    expect(report.permissions).toHaveLength(6);
  });

  it('test against a sandbox with another secret explains the 401 and exits 1', async () => {
    const result = await runCliToEnd(['test'], { ...demo, AUTOTASK_ZONE_URL: otherSecretSandbox.zoneUrl });
    process.stdout.write(`${result.output}\n`);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Authentication:  FAILED — AUTOTASK_AUTH_SECRET');
    expect(result.output).toContain('Autotask refused the user name and secret (HTTP 401)');
    expect(result.output).toContain('Check AUTOTASK_SECRET');
    expect(result.output).not.toContain(DEMO_SANDBOX_CREDENTIALS.secret);
  });

  it('names the user name or the integration code when those are wrong', async () => {
    const user = await runCliToEnd(['test'], {
      ...demo,
      AUTOTASK_USERNAME: 'someone@else.example',
      AUTOTASK_ZONE_URL: demoSandbox.zoneUrl,
    });
    expect(user.code).toBe(1);
    expect(user.output).toContain('AUTOTASK_AUTH_UNKNOWN_USER');
    expect(user.output).toContain('Check AUTOTASK_USERNAME');
    const code = await runCliToEnd(['test'], {
      ...demo,
      AUTOTASK_INTEGRATION_CODE: 'NOT-THE-CODE',
      AUTOTASK_ZONE_URL: demoSandbox.zoneUrl,
    });
    expect(code.code).toBe(1);
    expect(code.output).toContain('AUTOTASK_AUTH_INTEGRATION_CODE');
    expect(code.output).toContain('Check AUTOTASK_INTEGRATION_CODE');
  });

  it('test with AUTOTASK_MODE=sandbox tests an in-process sandbox; bad sandbox arguments get the usage line', async () => {
    // a data directory of its own: a bot another test runs on the default one announces its
    // sandbox there, and the CLI would (rightly) test that one instead
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-cli-'));
    const inProcess = await runCliToEnd(['test'], { AUTOTASK_MODE: 'sandbox', DATA_DIR: dataDir });
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(inProcess.code).toBe(0);
    expect(inProcess.output).toContain('testing a built-in sandbox started for this command');
    const bad = await runCliToEnd(['sandbox', '--port', 'abc'], {});
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('Usage: autotask-bot sandbox [--port 4100] [--seed <file.json>]');
    const taken = await runCliToEnd(['sandbox', '--port', new URL(demoSandbox.zoneUrl).port], {});
    expect(taken.code).toBe(1);
    expect(taken.output).toContain('SANDBOX_PORT_IN_USE');
    const missing = await runCliToEnd(['sandbox', '--seed', '/nonexistent/seed.json'], {});
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('SANDBOX_SEED_INVALID');
  });
});
