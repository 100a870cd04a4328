// Fault test over real HTTP: 20 % of Autotask calls answer 429 (thread limit), 500 without
// errors, 502, time out, or commit and then drop the connection. The upload is retried until it
// succeeds; every change must reach the sandbox exactly once.
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import { ContractServiceSchema } from '../../../src/autotask/entities.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload, type UploadReport } from '../../../src/sync/executeUpload.js';
import { startUpload } from '../../../src/sync/runStore.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { lineChangePoints } from '../../helpers/sandboxTimeline.js';
import { created, event, quantity, subscription } from '../../helpers/syncFixtures.js';
import { APPROVER, FRESH, RUN_CLOCK, uploadingRun } from '../../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;

beforeAll(async () => {
  db = await createTestDatabase();
  // the sync tenant: the fault run uses its monthly contract and service only
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox, { timeoutMs: 300 });
});
afterAll(async () => {
  await sandbox.stop();
  await db.drop();
});

describe('upload under injected faults', () => {
  it('completes exactly once with 20 % faults (429, 500 without errors, 502, timeout, commit then drop)', async () => {
    const customerId = 'faulty';
    const subs = Array.from({ length: 8 }, (_, i) => subscription({ id: `${customerId}-${i}`, customerId }));
    const events = subs.flatMap((s, i) => [
      created('2026-01-05', 2 + i, s.id),
      quantity('2026-02-01', 2 + i, 4 + i, s.id),
      event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '21' }, s.id),
      quantity('2026-04-01', 4 + i, 3 + i, s.id),
    ]);
    const { runId, operations } = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: subs,
      events,
      existingLines: [],
    });
    sandbox.controls.setFaults({ rate: 0.2, kinds: ['429', '500', '502', 'timeout', 'commitThenDrop'] });
    const deps = {
      prisma: db.prisma,
      gateway: clientAutotaskGateway(client),
      actor: APPROVER,
      now: () => RUN_CLOCK,
    };
    let report = (await executeUpload(deps, runId)) as UploadReport;
    let attempts = 1;
    while (report.outcome !== 'succeeded' && attempts < 20) {
      expect(await startUpload(db.prisma, runId, APPROVER, FRESH)).toMatchObject({ ok: true });
      report = (await executeUpload(deps, runId)) as UploadReport;
      attempts += 1;
    }
    const injected = sandbox.controls.counters().faultsInjected;
    sandbox.controls.clearFaults();
    expect(report.outcome).toBe('succeeded');

    // every write that reached the sandbox succeeded, and there is exactly one per operation
    const log = sandbox.controls.writeLog();
    expect(log.filter((w) => w.status >= 400)).toEqual([]);
    expect(log).toHaveLength(operations);

    // each subscription's lines carry exactly its history (lines found through the ledger)
    const actual = await lineChangePoints(db.prisma, client, customerId);
    const expected = Object.fromEntries(
      subs.flatMap((s, i) => [
        [`${s.id}|100|11|22`, [`2026-01-05 ${2 + i}`, `2026-02-01 ${4 + i}`, '2026-03-01 0']],
        [`${s.id}|100|11|21`, [`2026-03-01 ${4 + i}`, `2026-04-01 ${3 + i}`]],
      ]),
    );
    expect(actual).toEqual(expected);
    expect(await client.query('ContractServices', ContractServiceSchema)).toHaveLength(16);
    process.stdout.write(
      `fault test: ${operations} operations, ${attempts} upload attempts, faults injected ${JSON.stringify(injected)}\n`,
    );
    expect(Object.values(injected).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(5);
  });
});
