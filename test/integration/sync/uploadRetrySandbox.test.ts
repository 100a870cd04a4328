// Issue #6 must-show 3 over real HTTP: after a partial failure a retry sends only the remaining
// operations, and once the run succeeded a further upload or retry sends nothing. The failure is a
// real Autotask business rule: an admin shortens the contract (the sandbox's /_sandbox/patch), so
// an adjustment dated after the new end is refused; the admin then puts the end date back.
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { startUpload } from '../../../src/sync/runStore.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { sandboxTimeline } from '../../helpers/sandboxTimeline.js';
import { created, quantity, subscription } from '../../helpers/syncFixtures.js';
import { APPROVER, FRESH, RUN_CLOCK, uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

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

/** What an Autotask admin does in the web UI, through the sandbox's admin path. */
async function setContractEnd(id: number, endDate: string): Promise<void> {
  const res = await fetch(`${sandbox.url}/_sandbox/patch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entity: 'Contracts', id, fields: { endDate } }),
  });
  expect(res.status).toBe(200);
}

const upload = () =>
  executeUpload(
    { prisma: db.prisma, gateway: clientAutotaskGateway(client), actor: APPROVER, now: () => RUN_CLOCK },
    runId,
  );
/** Write calls (creates) the sandbox received since its counters were reset. */
const creates = () =>
  Object.entries(sandbox.controls.counters().byEndpoint)
    .filter(([label]) => label.startsWith('POST ') && !label.includes('/query'))
    .reduce((sum, [, n]) => sum + n, 0);

let runId: string;

describe('retrying a partially failed upload over HTTP', () => {
  const customerId = 'retry';
  const [a, b] = ['a', 'b'].map((s) => subscription({ id: `${customerId}-${s}`, customerId }));
  const events = [
    created('2026-01-05', 5, a!.id),
    quantity('2026-04-10', 5, 6, a!.id), // after the shortened end: Autotask refuses it
    quantity('2026-05-01', 6, 7, a!.id), // a's later change must wait for it
    created('2026-02-01', 2, b!.id),
    quantity('2026-03-10', 2, 4, b!.id),
  ];

  it('stops only the failing subscription; the others are done, its later operations not sent', async () => {
    ({ runId } = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: [a!, b!],
      events,
      existingLines: [],
    }));
    const operations = await loadRunOperations(db.prisma, runId);
    expect(operations).toHaveLength(6); // a's line + its 3 changes, b's 2 changes (b's first makes its line)

    await setContractEnd(100, '2026-03-31');
    sandbox.controls.resetCounters();
    const report = await upload();
    expect(report).toMatchObject({
      ok: true,
      outcome: 'partially_failed',
      counts: { done: 4, failed: 1, planned: 1 },
    });

    const after = await loadRunOperations(db.prisma, runId);
    const failed = after.filter((o) => o.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.problem).toMatchObject({
      code: 'AUTOTASK_BUSINESS_RULE',
      message: expect.stringMatching(/effectiveDate/),
    });
    // 4 done writes + the 1 refused; a's 2026-05-01 change never left
    const log = sandbox.controls.writeLog();
    expect(log.map((w) => w.status).sort()).toEqual([200, 200, 200, 200, 500]);
    expect(creates()).toBe(5);
  });

  it('a retry after the contract is fixed sends exactly the remaining operations', async () => {
    await setContractEnd(100, '2026-12-31');
    const remaining = (await loadRunOperations(db.prisma, runId)).filter((o) => o.status !== 'done');
    expect(remaining).toHaveLength(2);

    expect(await startUpload(db.prisma, runId, APPROVER, FRESH)).toMatchObject({
      ok: true,
      run: { state: 'uploading' },
    });
    sandbox.controls.resetCounters();
    const logBefore = sandbox.controls.writeLog().length;
    const retry = await upload();
    expect(retry).toMatchObject({ ok: true, outcome: 'succeeded', counts: { done: 6 } });
    // exactly the two remaining adjustments, both accepted: a re-sent done operation would show up
    // here as a third create (and be refused as a duplicate by the sandbox)
    expect(creates()).toBe(remaining.length);
    expect(sandbox.controls.counters().byEndpoint['POST Contracts/ServiceAdjustments']).toBe(2);
    expect(sandbox.controls.counters().byEndpoint['POST Contracts/Services']).toBeUndefined();
    expect(
      sandbox.controls
        .writeLog()
        .slice(logBefore)
        .map((w) => w.status),
    ).toEqual([200, 200]);

    // written by hand from the events: a on the first line, b on a second (repeat) line
    expect(await sandboxTimeline(client, '2026-06-30')).toEqual([
      'm#1 2026-01-05 2026-01-31 5',
      'm#1 2026-02-01 2026-02-28 5',
      'm#1 2026-03-01 2026-03-31 5',
      'm#1 2026-04-01 2026-04-09 5',
      'm#1 2026-04-10 2026-04-30 6',
      'm#1 2026-05-01 2026-05-31 7',
      'm#1 2026-06-01 2026-06-30 7',
      'm#2 2026-02-01 2026-02-28 2',
      'm#2 2026-03-01 2026-03-09 2',
      'm#2 2026-03-10 2026-03-31 4',
      'm#2 2026-04-01 2026-04-30 4',
      'm#2 2026-05-01 2026-05-31 4',
      'm#2 2026-06-01 2026-06-30 4',
    ]);
  });

  it('after success, a further retry or a stale upload of the same plan sends zero calls', async () => {
    sandbox.controls.resetCounters();
    // the run is finished: a retry is refused before anything is sent
    expect(await startUpload(db.prisma, runId, APPROVER, FRESH)).toMatchObject({ ok: false });
    // a plan made as if nothing had been pushed finds everything in the ledger
    const stale = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: [a!, b!],
      events,
      existingLines: [],
      ignoreLedger: true,
    });
    const again = await executeUpload(
      { prisma: db.prisma, gateway: clientAutotaskGateway(client), actor: APPROVER, now: () => RUN_CLOCK },
      stale.runId,
    );
    expect(again).toMatchObject({ ok: true, outcome: 'succeeded', calls: 0, counts: { done: 0 } });
    expect(sandbox.controls.counters().total).toBe(0);
  });
});
