// `validate` and `approve` typed on the CLI, end to end against the sandbox with no bot running
// (as test/e2e/cliUploadFlow.test.ts, in process): to a recorded io that is not a terminal,
// validate prints customers done of all on stderr, approve the upload's operations done of all
// and failures while it waits; with --json neither prints anything on stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli/main.js';
import { generateDemoPartner } from '../../../src/demo/demoPartner.js';
import { buildDemoSeed } from '../../../src/sandbox/demoSeed.js';
import {
  DEMO_SANDBOX_CREDENTIALS,
  startAutotaskSandbox,
  type RunningSandbox,
} from '../../../src/sandbox/sandboxServer.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const STEP_MS = 120_000;

let db: TestDatabase;
let sandbox: RunningSandbox;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upload-progress-'));
  sandbox = await startAutotaskSandbox({ seed: buildDemoSeed(), credentials: DEMO_SANDBOX_CREDENTIALS });
  env = {
    PATH: process.env.PATH,
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    AUTOTASK_MODE: 'live',
    AUTOTASK_ZONE_URL: sandbox.zoneUrl,
    AUTOTASK_USERNAME: DEMO_SANDBOX_CREDENTIALS.username,
    AUTOTASK_SECRET: DEMO_SANDBOX_CREDENTIALS.secret,
    AUTOTASK_INTEGRATION_CODE: DEMO_SANDBOX_CREDENTIALS.integrationCode,
    ADMIN_USERS: 'cli:admin',
  };
}, STEP_MS);

afterAll(async () => {
  await sandbox?.stop();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
  return { code, out: out.join('\n'), err };
}

const progressLines = (err: string[], what: string) =>
  err.filter((l) => l.startsWith(`… ${what}:`) || l.startsWith(`${what}:`));

describe('validate and approve on the CLI: progress on stderr', () => {
  let runId: string;

  it(
    'validate prints customers done of all, then a final line',
    async () => {
      // Acme's last change is held back, for a second upload (approved with --json)
      const [header, ...rows] = generateDemoPartner('2026-11-20').csv.trimEnd().split('\n');
      const last = rows.findLastIndex((r) => r.startsWith('Acme Corp,'));
      const file = path.join(dir, 'demo-partner.csv');
      fs.writeFileSync(file, [header, ...rows.filter((_, i) => i !== last)].join('\n'));
      fs.writeFileSync(path.join(dir, 'later.csv'), [header, rows[last]].join('\n'));
      expect((await cli('import', file, '--json')).code).toBe(0);
      expect((await cli('grant', 'bob', 'approver', '--as', 'admin')).code).toBe(0);
      expect((await cli('map', 'acme', '--as', 'admin')).code).toBe(0);
      const product = ['Microsoft 365 Copilot', 'service', '1004'];
      expect((await cli('map', 'acme', 'product', ...product, '--as', 'admin')).code).toBe(0);

      const validation = await cli('validate', 'acme', '--as', 'admin');
      expect(validation.out).toContain('✅ Valid');
      runId = /Run (r-[0-9a-f]{8})/.exec(validation.out)![1]!;
      expect(progressLines(validation.err, 'validate')).toEqual([
        '… validate: 0 of 1 customers',
        '… validate: 1 of 1 customers',
        expect.stringMatching(/^validate: 1 of 1 customers, in \d+\.\d s$/),
      ]);
      expect(validation.err).toEqual(progressLines(validation.err, 'validate'));

      const everyone = await cli('validate', 'all', '--as', 'admin');
      const customers = await db.prisma.customer.count();
      expect(everyone.err[0]).toBe(`… validate: 0 of ${customers} customers`);
      expect(everyone.err.at(-1)).toMatch(
        new RegExp(`^validate: ${customers} of ${customers} customers, in `),
      );
    },
    STEP_MS,
  );

  it(
    'approve prints the operations done of all and the failures while it waits for the upload',
    async () => {
      expect((await cli('upload', runId, '--as', 'admin')).code).toBe(0);
      const approval = await cli('approve', runId, '--as', 'bob');
      expect(approval.code).toBe(0);
      expect(approval.out).toContain(`You approved run ${runId}`);
      const operations = await db.prisma.syncOperationRecord.count({ where: { runId } });
      expect(operations).toBeGreaterThan(0);
      const lines = progressLines(approval.err, 'upload');
      expect(approval.err).toEqual(lines);
      expect(lines[0]).toBe(`… upload: 0 of ${operations} operations, 0 failed`);
      expect(lines.at(-1)).toMatch(
        new RegExp(`^upload: ${operations} of ${operations} operations, 0 failed, in \\d+\\.\\d s$`),
      );
      for (const line of lines)
        expect(line).toMatch(new RegExp(`^(… )?upload: \\d+ of ${operations} operations, \\d+ failed`));
    },
    STEP_MS,
  );

  it(
    'prints nothing on stderr with --json, for validate and approve alike',
    async () => {
      expect((await cli('import', path.join(dir, 'later.csv'), '--json')).code).toBe(0);
      const validation = await cli('validate', 'acme', '--as', 'admin', '--json');
      expect(validation.err).toEqual([]);
      const later = /"Run (r-[0-9a-f]{8})"/.exec(validation.out)![1]!;
      expect(later).not.toBe(runId);
      expect((await cli('upload', later, '--as', 'admin')).code).toBe(0);
      const approval = await cli('approve', later, '--as', 'bob', '--json');
      expect(approval.code).toBe(0);
      expect(approval.err).toEqual([]);
      JSON.parse(approval.out);
      // it did wait for an upload with something to send
      const run = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: later } });
      expect(run.state).toBe('succeeded');
      expect(
        await db.prisma.syncOperationRecord.count({ where: { runId: later, status: 'done' } }),
      ).toBeGreaterThan(0);
    },
    STEP_MS,
  );
});
