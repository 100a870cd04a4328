// `autotask-bot verify-tenant` from a terminal, with real processes: a sandbox process per seed
// (src/sandbox/seeds/verify-tenant.json, and odd-tenant.json, which accepts a repeat service POST),
// the CLI in live mode against it, its own DATA_DIR and database. Read-only passes; the write
// probe needs --yes and a contract named for testing; `status` shows the facts; the odd tenant's
// flipped behaviour is named.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { DEMO_SANDBOX_CREDENTIALS } from '../../src/sandbox/sandboxServer.js';
import { runCliToEnd, startCli, waitFor, type RunningProcess } from '../helpers/cliProcess.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const STEP_MS = 120_000;

interface Sandbox {
  process: RunningProcess;
  url: string;
  env: Record<string, string>;
}

let db: TestDatabase;
let dir: string;
const sandboxes: Sandbox[] = [];

async function startSandbox(seed: string): Promise<Sandbox> {
  const port = await freePort();
  const process = startCli(['sandbox', '--port', String(port), '--seed', `src/sandbox/seeds/${seed}`], {});
  const zoneUrl = await waitFor(
    async () => /AUTOTASK_ZONE_URL=(\S+)/.exec(process.output())?.[1],
    30_000,
    'the sandbox to print its zone URL',
  );
  const sandbox = {
    process,
    url: `http://127.0.0.1:${port}`,
    env: {
      DATABASE_URL: db.url,
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      AUTOTASK_MODE: 'live',
      AUTOTASK_ZONE_URL: zoneUrl,
      AUTOTASK_USERNAME: DEMO_SANDBOX_CREDENTIALS.username,
      AUTOTASK_SECRET: DEMO_SANDBOX_CREDENTIALS.secret,
      AUTOTASK_INTEGRATION_CODE: DEMO_SANDBOX_CREDENTIALS.integrationCode,
      ADMIN_USERS: 'cli:admin',
    },
  };
  sandboxes.push(sandbox);
  return sandbox;
}

const cli = async (sandbox: Sandbox, ...args: string[]) => {
  const result = await runCliToEnd(args, sandbox.env);
  process.stdout.write(`$ autotask-bot ${args.join(' ')}  → ${result.code}\n${result.output}\n`);
  return result;
};

interface Snapshot {
  contractServices: { id: number; contractID: number }[];
  contractServiceUnits: { contractServiceID: number; startDate: string; units: number }[];
  writeLog: unknown[];
}
const snapshot = async (sandbox: Sandbox) =>
  (await (await fetch(`${sandbox.url}/_sandbox/snapshot`)).json()) as Snapshot;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'verify-tenant-'));
});

afterAll(async () => {
  for (const s of sandboxes) {
    s.process.child.kill('SIGTERM');
    await s.process.exited;
  }
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('autotask-bot verify-tenant', () => {
  it(
    'read-only passes against the sandbox, for admins only, and status shows it',
    async () => {
      const sandbox = await startSandbox('verify-tenant.json');
      expect((await cli(sandbox, 'status')).output).toContain('Tenant:     not verified yet');
      const denied = await cli(sandbox, 'verify-tenant', '--as', 'nobody');
      expect(denied.code).toBe(1);
      expect(denied.output).toMatch(/admin/);

      const passed = await cli(sandbox, 'verify-tenant', '--as', 'admin');
      expect(passed.code).toBe(0);
      expect(passed.output).toContain('✅ Autotask tenant verification');
      expect(passed.output).not.toContain('❌ differs');
      expect(passed.output).toContain('permission ContractServiceAdjustments');
      expect((await snapshot(sandbox)).writeLog).toEqual([]);
      expect((await cli(sandbox, 'status')).output).toMatch(
        /Tenant: +autotask:http:\/\/127\.0\.0\.1:\d+\|.*: verified .* by cli:admin \(read-only; no write probe yet\)/,
      );
    },
    STEP_MS,
  );

  it(
    'the write probe: refused off a test contract, shown without --yes, run with it, netted to 0',
    async () => {
      const sandbox = sandboxes[0]!;
      const refused = await cli(sandbox, 'verify-tenant', '--write-probe', '100', '--yes', '--as', 'admin');
      expect(refused.output).toContain('PROBE_CONTRACT_NOT_FOR_TESTING');
      const shown = await cli(sandbox, 'verify-tenant', '--write-probe', '900', '--as', 'admin');
      expect(shown.output).toContain('Write probe on contract 900?');
      expect(shown.output).toContain('Nothing was written. Add --yes to run the write probe.');
      expect((await snapshot(sandbox)).writeLog).toEqual([]);

      const ran = await cli(sandbox, 'verify-tenant', '--write-probe', '900', '--yes', '--as', 'admin');
      expect(ran.code).toBe(0);
      expect(ran.output).toContain('✅ Autotask tenant verification');
      expect(ran.output).toContain('Left behind in Autotask');
      const after = await snapshot(sandbox);
      const line = after.contractServices.find((l) => l.contractID === 900)!;
      const rows = after.contractServiceUnits
        .filter((r) => r.contractServiceID === line.id)
        .sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
      expect(rows.at(-1)!.units).toBe(0);
      expect((await cli(sandbox, 'status')).output).toMatch(
        /Tenant: .*verified .* by cli:admin; \d+ hold, 0 differ/,
      );
    },
    STEP_MS,
  );

  it(
    'against the odd tenant it names the flipped behaviour the uploads rely on',
    async () => {
      const odd = await startSandbox('odd-tenant.json');
      const ran = await cli(odd, 'verify-tenant', '--write-probe', '900', '--yes', '--as', 'admin');
      // a check that differs is an exit code a script can act on
      expect(ran.code).toBe(1);
      expect(ran.output).toContain('❌ Autotask tenant verification');
      expect(ran.output).toContain(
        'Uploads to this tenant are refused (TENANT_BEHAVIOUR_CONTRADICTED): it contradicts repeatServicePost.',
      );
      expect((await cli(odd, 'status')).output).toContain('uploads refused: contradicts repeatServicePost');
    },
    STEP_MS,
  );
});
