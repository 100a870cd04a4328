// Crash test: the upload worker is a real child process killed with SIGKILL at random points;
// each trial resumes it until the run succeeds. The sandbox's timeline must equal the expected
// one and its write log must show every adjustment exactly once (no refused duplicate).
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { ContractServiceUnitSchema } from '../../src/autotask/entities.js';
import type { RunningSandbox } from '../../src/sandbox/sandboxServer.js';
import { getRun } from '../../src/sync/runStore.js';
import { loadRunOperations } from '../../src/sync/operationLedger.js';
import { clientFor, startTestSandbox } from '../helpers/autotaskSandbox.js';
import { created, event, quantity, subscription } from '../helpers/syncFixtures.js';
import { uploadingRun } from '../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';
import { SYNC_TENANT } from '../helpers/syncTenant.js';

const TRIALS = 20;
const WORKER = path.resolve('test/helpers/uploadWorker.ts');

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox);
});
afterAll(async () => {
  await sandbox.stop();
  await db.drop();
});

/**
 * Runs the worker; with `killAt`, kills it with SIGKILL once that many operations are done plus
 * a random few milliseconds — somewhere inside the upload, whatever the machine's speed.
 */
function runWorker(
  runId: string,
  killAt: { done: number; extraMs: number } | null,
): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, db.url, sandbox.zoneUrl, runId], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' },
    });
    let output = '';
    let armed = false;
    let exited = false;
    const watch = async () => {
      while (!exited) {
        const done = await db.prisma.syncOperationRecord.count({ where: { runId, status: 'done' } });
        if (done >= killAt!.done) {
          setTimeout(() => child.kill('SIGKILL'), killAt!.extraMs);
          return;
        }
        await new Promise((r) => setTimeout(r, 3));
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      output += d;
      if (killAt && !armed && output.startsWith('ready')) {
        armed = true;
        void watch();
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('exit', (_code, signal) => {
      exited = true;
      resolve({ killed: signal === 'SIGKILL', output });
    });
  });
}

function dice(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

/** change points per line: `m#1 2026-01-05 5` (m = monthly contract, y = yearly; #n by line id) */
async function changePoints(): Promise<string[]> {
  const rows = await client.query('ContractServiceUnits', ContractServiceUnitSchema);
  const ids = [...new Set(rows.map((r) => r.contractServiceID!))].sort((a, b) => a - b);
  const out: string[] = [];
  for (const id of ids) {
    const mine = rows
      .filter((r) => r.contractServiceID === id)
      .sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
    const contract = mine[0]!.contractID;
    const n =
      ids.filter((x) => rows.find((r) => r.contractServiceID === x)!.contractID === contract).indexOf(id) + 1;
    let last: number | null = null;
    for (const r of mine)
      if (r.units !== last) {
        out.push(`${contract === 100 ? 'm' : 'y'}#${n} ${r.startDate} ${r.units}`);
        last = r.units;
      }
  }
  return out;
}

// Written by hand from the history below.
const EXPECTED = [
  'm#1 2026-01-05 5', // a: created 5 (a has the service's first line)
  'm#1 2026-01-20 8', // a: 5 → 8
  'm#1 2026-03-01 0', // a: price change, the old line to 0
  'm#2 2026-03-01 8', // a: a new line at the new price (uploaded before b: plan order)
  'm#2 2026-04-10 6', // a: 8 → 6
  'm#3 2026-02-01 3', // b: created 3 on its own (repeat) line
  'm#3 2026-02-15 0', // b: suspended
  'm#3 2026-03-10 4', // b: reactivated with 4
  'm#3 2026-05-01 0', // b: moves to annual
  'y#1 2026-05-01 4', // b: the yearly contract's line
];

describe('crash during upload', () => {
  it(`resumes after SIGKILL at random points (${TRIALS} trials) with the expected timeline and no duplicate`, async () => {
    const roll = dice(20261125);
    let kills = 0;
    let killsWithSendingLeft = 0;
    for (let trial = 1; trial <= TRIALS; trial++) {
      sandbox.controls.reset();
      const customerId = `crash-${trial}`;
      const a = subscription({ id: `${customerId}-a`, customerId });
      const b = subscription({ id: `${customerId}-b`, customerId, quantity: 4 });
      const { runId, operations } = await uploadingRun(db.prisma, {
        customerId,
        subscriptions: [a, b],
        events: [
          created('2026-01-05', 5, a.id),
          quantity('2026-01-20', 5, 8, a.id),
          event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '21' }, a.id),
          quantity('2026-04-10', 8, 6, a.id),
          created('2026-02-01', 3, b.id),
          event('2026-02-15', 'suspended', { statusBefore: 'active' }, b.id),
          event('2026-03-10', 'reactivated', { statusBefore: 'suspended', quantityAfter: 4 }, b.id),
          event(
            '2026-05-01',
            'billing_cycle_changed',
            { billingCycleBefore: 'monthly', billingCycleAfter: 'annual' },
            b.id,
          ),
        ],
        existingLines: [],
      });
      for (let attempt = 1; ; attempt++) {
        const state = (await getRun(db.prisma, runId))!.state;
        if (state === 'succeeded') break;
        expect(state).toBe('uploading');
        expect(attempt).toBeLessThanOrEqual(8);
        // the last attempts run to the end so every trial finishes
        const done = await db.prisma.syncOperationRecord.count({ where: { runId, status: 'done' } });
        const killAt =
          attempt <= 2
            ? { done: done + Math.floor(roll() * (operations - done)), extraMs: Math.floor(roll() * 15) }
            : null;
        const result = await runWorker(runId, killAt);
        if (result.killed) {
          kills += 1;
          const left = await loadRunOperations(db.prisma, runId);
          if (left.some((o) => o.status === 'sending')) killsWithSendingLeft += 1;
        }
      }
      expect(await changePoints()).toEqual(EXPECTED);
      const log = sandbox.controls.writeLog();
      expect(log.filter((w) => w.status >= 400)).toEqual([]);
      expect(log).toHaveLength(operations);
      const ops = await loadRunOperations(db.prisma, runId);
      expect(ops.every((o) => o.status === 'done')).toBe(true);
    }
    process.stdout.write(
      `crash test: ${TRIALS} trials, ${kills} workers killed with SIGKILL, ${killsWithSendingLeft} of them left an operation "sending"\n`,
    );
    expect(kills).toBeGreaterThanOrEqual(TRIALS);
    expect(killsWithSendingLeft).toBeGreaterThan(0);
  }, 600_000);
});
