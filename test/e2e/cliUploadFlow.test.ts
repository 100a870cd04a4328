// The whole product from a terminal, with real processes and no bot running: a sandbox process
// (`autotask-bot sandbox`), then one `autotask-bot` process per step against it and a fresh
// database — import the demo partner, map (automatic, a confirmed suggestion, a manual contract,
// an unmapped product), validate, request the upload, approve as another user (the CLI runs the
// upload and waits), list the run's operations; then the sandbox's ContractServiceUnits of one
// subscription equal its history, and a second upload makes no Autotask write call.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { ContractServiceUnitSchema } from '../../src/autotask/entities.js';
import { DEMO_SANDBOX_CREDENTIALS } from '../../src/sandbox/sandboxServer.js';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { generateDemoPartner } from '../../src/demo/demoPartner.js';
import { runCliToEnd, startCli, waitFor, type RunningProcess } from '../helpers/cliProcess.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

const STEP_MS = 120_000;

interface Counters {
  byEndpoint: Record<string, number>;
}

let db: TestDatabase;
let sandbox: RunningProcess;
let sandboxUrl: string;
let zoneUrl: string;
let dir: string;
let env: Record<string, string>;

const cli = async (...args: string[]) => {
  const result = await runCliToEnd(args, env);
  process.stdout.write(`$ autotask-bot ${args.join(' ')}  → ${result.code}\n${result.output}\n`);
  return result;
};
const writes = async (): Promise<number> => {
  const counters = (await (await fetch(`${sandboxUrl}/_sandbox/counters`)).json()) as Counters;
  return Object.entries(counters.byEndpoint)
    .filter(([label]) => label.startsWith('POST ') && !label.endsWith('/query'))
    .reduce((sum, [, n]) => sum + n, 0);
};

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'cli-flow-'));
  const port = await freePort();
  sandbox = startCli(['sandbox', '--port', String(port)], {});
  zoneUrl = await waitFor(
    async () => /AUTOTASK_ZONE_URL=(\S+)/.exec(sandbox.output())?.[1],
    30_000,
    'the sandbox to print its zone URL',
  );
  sandboxUrl = `http://127.0.0.1:${port}`;
  env = {
    DATABASE_URL: db.url,
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    AUTOTASK_MODE: 'live',
    AUTOTASK_ZONE_URL: zoneUrl,
    AUTOTASK_USERNAME: DEMO_SANDBOX_CREDENTIALS.username,
    AUTOTASK_SECRET: DEMO_SANDBOX_CREDENTIALS.secret,
    AUTOTASK_INTEGRATION_CODE: DEMO_SANDBOX_CREDENTIALS.integrationCode,
    ADMIN_USERS: 'cli:admin',
  };
});

afterAll(async () => {
  sandbox?.child.kill('SIGTERM');
  await sandbox?.exited;
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the CLI flow against the sandbox, no bot running', () => {
  let runId: string;

  it(
    'imports the demo partner and grants roles',
    async () => {
      const file = path.join(dir, 'demo-partner.csv');
      await writeFile(file, generateDemoPartner('2026-11-20').csv);
      expect((await cli('import', file)).output).toMatch(/32 new customer\(s\), 99 new subscription\(s\)/);
      // alice may approve too, but never her own request (four eyes)
      expect((await cli('grant', 'alice', 'approver', '--as', 'admin')).code).toBe(0);
      expect((await cli('grant', 'bob', 'approver', '--as', 'admin')).code).toBe(0);
    },
    STEP_MS,
  );

  it(
    'maps: automatically, by a confirmed suggestion, a manual contract and an unmapped product',
    async () => {
      // a viewer may not open the mapping card (operator): roles are enforced
      expect((await cli('map', 'acme', '--as', 'nobody')).code).toBe(1);

      const acme = await cli('map', 'acme', '--as', 'alice');
      expect(acme.code).toBe(0);
      expect(acme.output).toMatch(/Company: +✅ ACME Corporation, Inc\. \(100\)/);
      expect(acme.output).toMatch(/Contract \(monthly\): +✅ .*\(500\)/);
      expect(acme.output).toContain('Microsoft 365 Copilot (CFQ7TTC0MM8R:0001)');
      const product = await cli(
        'map',
        'acme',
        'product',
        'Microsoft 365 Copilot',
        'service',
        '1004',
        '--as',
        'alice',
      );
      expect(product.output).toContain(
        '✅ Microsoft 365 Copilot (CFQ7TTC0MM8R:0001) for Acme Corp → service 1004',
      );

      const woodgrove = await cli('map', 'woodgrove', '--as', 'alice');
      // one suggestion per billing cycle, its service named in full (id · name · period · SKU · price)
      const suggestion =
        /Visio Plan 2 (?:\([^)]*\) )?· \w+ → \d+ · Visio Online Plan 2 · [^:]*: autotask-bot confirm ([0-9a-f-]{36})/.exec(
          woodgrove.output,
        )?.[1];
      expect(suggestion).toBeDefined();
      expect((await cli('confirm', suggestion!, '--as', 'alice')).output).toMatch(
        /→ service (1012 "Visio Online Plan 2" \(Monthly|2012 "Visio Online Plan 2" \(Yearly) · /,
      );
      // Woodgrove has two monthly contracts and no default: a person picks one
      expect((await cli('unmapped', 'woodgrove', '--json', '--as', 'alice')).output).toContain(
        'CONTRACT_AMBIGUOUS',
      );
      expect(
        (await cli('map', 'woodgrove', 'contract', 'monthly', '512', 'default', '--as', 'alice')).output,
      ).toContain('✅ Woodgrove Bank monthly → contract 512');
      const unmapped = await cli('unmapped', 'acme', '--as', 'alice');
      expect(unmapped.output).toContain('✅ Everything is mapped.');
    },
    STEP_MS,
  );

  it(
    'validates, requests, refuses self-approval, and uploads on approval by another user',
    async () => {
      const validation = await cli('validate', 'acme', '--as', 'alice');
      expect(validation.output).toContain('✅ Valid');
      runId = /Run (r-[0-9a-f]{8})/.exec(validation.output)![1]!;

      const before = await writes();
      expect((await cli('upload', runId, '--as', 'alice')).output).toContain(
        `Upload of run ${runId} requested`,
      );
      const own = await cli('approve', runId, '--as', 'alice');
      expect(own.code).toBe(1);
      expect(own.output).toContain('four eyes');
      expect(await writes()).toBe(before);

      const approval = await cli('approve', runId, '--as', 'bob');
      expect(approval.code).toBe(0);
      expect(approval.output).toContain(`You approved run ${runId}`);
      // the CLI ran the upload itself and waited for it
      const run = await cli('run', runId, '--as', 'alice');
      expect(run.output).toMatch(/State: +succeeded/);
      expect(run.output).toMatch(/Decided by: +cli:bob/);
      expect(run.output).toMatch(/new line: Microsoft 365 Copilot .* done/);
      expect(run.output).not.toMatch(/ (pending|failed) *$/m);
      expect(await writes()).toBeGreaterThan(before);

      // the upload locked the mapping it went out under, in the same transactions
      const locks = await db.prisma.auditRecord.count({ where: { action: 'mapping.locked_by_upload' } });
      expect(locks).toBeGreaterThan(0);
    },
    STEP_MS,
  );

  it(
    "the sandbox's units for one subscription equal what its history says",
    async () => {
      const acme = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Acme Corp' } });
      const subscriptions = await db.prisma.subscription.findMany({
        where: { customerId: acme.id, billingType: 'quantity' },
        include: { events: { orderBy: [{ effectiveDate: 'asc' }, { seq: 'asc' }] } },
      });
      // a subscription alone on its product, with no cycle switch: its lines are its own
      const subscription = subscriptions.find(
        (s) =>
          subscriptions.filter((o) => o.productName === s.productName).length === 1 &&
          !s.events.some((e) => e.kind === 'billing_cycle_changed'),
      );
      expect(subscription).toBeDefined();
      const sent = await db.prisma.syncOperationRecord.findFirstOrThrow({
        where: { subscriptionId: subscription!.id, status: 'done' },
      });

      const client = new AutotaskClient({
        ...DEMO_SANDBOX_CREDENTIALS,
        zoneUrl,
        maxInFlightPerEndpoint: 2,
        budgetShare: 0.5,
      });
      const rows = await client.query('ContractServiceUnits', ContractServiceUnitSchema, {
        filter: [
          { op: 'eq', field: 'contractID', value: sent.contractId },
          { op: 'eq', field: 'serviceID', value: sent.serviceId },
        ],
      });
      const unitsOn = (date: string) =>
        rows
          .filter((r) => r.startDate.slice(0, 10) <= date && date <= r.endDate.slice(0, 10))
          .reduce((n, r) => n + r.units, 0);

      // replay the history: units are the quantity while active, 0 otherwise (docs/billing-semantics.md §4)
      let quantity = 0;
      let active = false;
      const expected: [string, number][] = [];
      for (const e of subscription!.events) {
        if (e.quantityAfter !== null) quantity = e.quantityAfter;
        if (e.statusAfter) active = e.statusAfter === 'active';
        else if (e.kind === 'suspended' || e.kind === 'cancelled') active = false;
        else if (e.kind === 'reactivated' || e.kind === 'created') active = true;
        expected.push([e.effectiveDate, active ? quantity : 0]);
      }
      const lastOfDate = new Map(expected);
      expect(lastOfDate.size).toBeGreaterThan(1);
      const actual = [...lastOfDate.keys()].map((date) => [date, unitsOn(date)]);
      expect(actual).toEqual([...lastOfDate.entries()]);
      // and nothing before the first change
      const first = subscription!.events[0]!.effectiveDate;
      const dayBefore = new Date(Date.parse(`${first}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(unitsOn(dayBefore)).toBe(0);
    },
    STEP_MS,
  );

  it(
    'a second upload after success makes no Autotask write call',
    async () => {
      const before = await writes();
      const again = await cli('upload', 'acme', '--as', 'alice');
      expect(again.output).toContain('NOTHING_TO_UPLOAD');
      expect((await cli('upload', runId, '--as', 'alice')).output).toMatch(/PLAN_STALE|RUN_STATE/);
      expect((await cli('retry', runId, '--as', 'alice')).output).toContain('RUN_STATE');
      expect(await writes()).toBe(before);
    },
    STEP_MS,
  );
});
