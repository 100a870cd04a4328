// Correcting a hand edit (docs/drift-watch.md), on real PostgreSQL and the sandbox over HTTP: the
// drift watch's card carries `correct <customer>`; it validates a plan whose one operation is the
// correcting adjustment on the first date Autotask accepts; four eyes hold; the real executor
// sends it once; Autotask then carries the source history from that date; the next watch is
// silent and a plain validation no longer blocks. A hand edit in a posted period gets a coded
// finding and no plan.
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import type { CardButton } from '../../../src/chat/cardModel.js';
import { findCommand } from '../../../src/chat/commandTable.js';
import { driftCard } from '../../../src/chat/driftCard.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { readAutotaskSnapshots } from '../../../src/sync/readAutotaskState.js';
import { getRun, startUpload } from '../../../src/sync/runStore.js';
import { computePlan, validateRun, type ValidateDependencies } from '../../../src/sync/validateRun.js';
import { approveRun } from '../../../src/useCases/approveRun.js';
import { planFreshness } from '../../../src/useCases/planFreshness.js';
import { requestUpload } from '../../../src/useCases/requestUpload.js';
import { watchDrift, type DriftWarningData } from '../../../src/useCases/watchDrift.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { lineChangePoints } from '../../helpers/sandboxTimeline.js';
import { created, MONTHLY_CONTRACT, PREMIUM_MONTHLY_SERVICE, TARGETS } from '../../helpers/syncFixtures.js';
import { APPROVER, REQUESTER, RUN_CLOCK } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { uploadedHistory } from '../../helpers/uploadedHistory.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;
let planning: ValidateDependencies;
let mapped: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox);
  planning = {
    prisma: db.prisma,
    resolveMapping: async (ids) =>
      new Map(ids.filter((id) => mapped.includes(id)).map((id) => [id, { targets: TARGETS, findings: [] }])),
    readAutotask: (requests) => readAutotaskSnapshots(client, requests),
    budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.5 },
    now: () => RUN_CLOCK,
  };
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  await db?.drop();
});

async function watch(): Promise<DriftWarningData[]> {
  const told: DriftWarningData[] = [];
  await watchDrift({ planning, prisma: db.prisma }, async (_key, warning) => {
    told.push(warning);
  });
  return told;
}

/** someone adds 2 seats on the line in Autotask, dated 2026-10-01 */
const handEdit = () =>
  client.createContractServiceAdjustment(MONTHLY_CONTRACT, {
    serviceID: PREMIUM_MONTHLY_SERVICE,
    effectiveDate: '2026-10-01',
    unitChange: 2,
  });

describe('correcting a hand edit', () => {
  it('plans, approves (four eyes) and sends one correction; then the watch is silent and validate does not block', async () => {
    mapped = ['dc-fix'];
    await uploadedHistory({ prisma: db.prisma, sandbox, client }, 'dc-fix', [
      created('2026-01-05', 5, 'x', '22'),
    ]);
    await handEdit();

    // the drift watch's card: its "Plan a correction" button runs `correct dc-fix`
    const told = await watch();
    expect(told).toHaveLength(1);
    const button = driftCard(told[0]!)
      .blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e): e is CardButton => e.type === 'button' && e.label === 'Plan a correction')!;
    expect(button.command).toBe('correct dc-fix');
    const [verb, ...args] = button.command.split(' ');
    const definition = findCommand(verb!)!;
    expect(definition.role).toBe('operator');
    expect(definition.parse(args)).toEqual({ name: 'correct', customer: 'dc-fix' });

    // what the command runs: a validation that plans the correction
    const { outcome, plan } = await validateRun(planning, REQUESTER, 'dc-fix', undefined, { correct: true });
    if (!outcome.ok) throw new Error(outcome.message);
    const summary = plan!.customers[0]!;
    expect(summary.blocked).toBe(false);
    expect(summary.findings.map((f) => f.code)).toEqual(['DRIFT_CORRECTION']);
    expect(summary.findings[0]!.message).toContain('on 2026-10-01 it has 7 units, the source history says 5');
    expect(summary.findings[0]!.message).toContain('-2 units on 2026-10-02, back to 5');
    const planned = await loadRunOperations(db.prisma, outcome.run.id);
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({
      kind: 'adjust',
      effectiveDate: '2026-10-02',
      unitChange: -2,
      unitsAfter: 5,
      adopts: [{ effectiveDate: '2026-10-01', unitChange: 2 }],
      status: 'planned',
    });

    // four eyes: the requester cannot approve alone; another approver can
    const queued: string[] = [];
    const queue = { enqueueUpload: async (runId: string) => void queued.push(runId) };
    expect(await requestUpload(planning, REQUESTER, outcome.run.id)).toMatchObject({ ok: true });
    expect(await approveRun({ planning, queue }, REQUESTER, outcome.run.id)).toMatchObject({
      ok: false,
      code: 'FOUR_EYES',
    });
    expect(await approveRun({ planning, queue }, APPROVER, outcome.run.id)).toMatchObject({ ok: true });
    expect(queued).toEqual([outcome.run.id]);

    // the upload job's steps: start on a fresh plan, then the real executor
    const run = (await getRun(db.prisma, outcome.run.id))!;
    expect(await startUpload(db.prisma, run.id, APPROVER, await planFreshness(planning, run))).toMatchObject({
      ok: true,
    });
    const gateway = clientAutotaskGateway(client);
    const adjustments = () =>
      sandbox.controls.writeLog().filter((w) => w.route.includes('ServiceAdjustments') && w.status === 200)
        .length;
    const before = adjustments();
    const report = await executeUpload(
      { prisma: db.prisma, gateway, actor: APPROVER, now: () => RUN_CLOCK },
      run.id,
    );
    expect(report).toMatchObject({ ok: true, outcome: 'succeeded', drift: [] });
    expect(adjustments()).toBe(before + 1);

    // Autotask: the hand edit's one day, then the source history (5) from the correction on
    const points = await lineChangePoints(db.prisma, client, 'dc-fix');
    expect(Object.values(points)).toEqual([['2026-01-05 5', '2026-10-01 7', '2026-10-02 5']]);

    // a second upload of the same run sends nothing again
    await db.prisma.syncRun.update({ where: { id: run.id }, data: { state: 'uploading' } });
    const again = await executeUpload(
      { prisma: db.prisma, gateway, actor: APPROVER, now: () => RUN_CLOCK },
      run.id,
    );
    expect(again).toMatchObject({ ok: true, counts: { done: 1 } });
    expect(adjustments()).toBe(before + 1);
    expect(await lineChangePoints(db.prisma, client, 'dc-fix')).toEqual(points);

    // the ledger adopted the hand edit: the watch tells nothing, validate does not block
    expect(await watch()).toEqual([]);
    const computed = await computePlan(planning, 'dc-fix');
    if (!computed.ok) throw new Error(computed.message);
    expect(computed.validations[0]!.blocked).toBe(false);
    expect(computed.validations[0]!.findings.map((f) => f.code)).toEqual(['NOTHING_TO_UPLOAD']);
    const audited = await db.prisma.auditRecord.findMany({
      where: { customerId: 'dc-fix', action: { in: ['drift.noticed', 'drift.cleared'] } },
      orderBy: { id: 'asc' },
    });
    expect(audited.map((a) => a.action)).toEqual(['drift.noticed', 'drift.cleared']);
  }, 60_000);

  it('a hand edit in a posted period gets CORRECTION_PERIOD_POSTED and no plan', async () => {
    mapped = ['dc-posted'];
    await uploadedHistory({ prisma: db.prisma, sandbox, client }, 'dc-posted', [
      created('2026-01-05', 5, 'x', '22'),
    ]);
    await handEdit();
    sandbox.controls.postPeriodsThrough('2026-10-31');

    const { outcome, plan } = await validateRun(planning, REQUESTER, 'dc-posted', undefined, {
      correct: true,
    });
    if (!outcome.ok) throw new Error(outcome.message);
    const summary = plan!.customers[0]!;
    expect(summary.blocked).toBe(true);
    const posted = summary.findings.find((f) => f.code === 'CORRECTION_PERIOD_POSTED')!;
    expect(posted).toMatchObject({ severity: 'error', subscriptionId: 'dc-posted-sub' });
    expect(posted.message).toContain('2026-10-01–2026-10-31');
    expect(posted.hint).toContain('bill or credit the difference by hand');
    expect(summary.findings.map((f) => f.code)).toContain('DRIFT');
    expect(await loadRunOperations(db.prisma, outcome.run.id)).toEqual([]);
    expect(await requestUpload(planning, REQUESTER, outcome.run.id)).toMatchObject({ ok: false });
  }, 60_000);
});
