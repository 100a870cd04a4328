// verify-tenant over real HTTP against the sandbox and a real database: the read-only report card,
// the write probe on a contract named for testing (facts stored and audited, units netted to 0,
// what it left), the refusals, and an "odd tenant" whose flipped behaviour is named and makes the
// upload engine refuse before it writes anything.
import { listAudit } from '../../../src/audit/auditLog.js';
import { TENANT_BEHAVIOURS } from '../../../src/autotask/tenantBehaviours.js';
import { autotaskDatabaseKey } from '../../../src/autotask/autotaskDatabaseKey.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import type { SandboxSeedInput } from '../../../src/sandbox/sandboxSeed.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { loadTenantFacts } from '../../../src/sync/tenantFacts.js';
import { verifyTenant, type VerifyTenantDependencies } from '../../../src/useCases/verifyTenant.js';
import { clientFor, startTestSandbox, TEST_CREDENTIALS } from '../../helpers/autotaskSandbox.js';
import { created, subscription } from '../../helpers/syncFixtures.js';
import { APPROVER, uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const ADMIN = { id: 'cli:admin' };
const BEHAVIOURS = new Set<string>(TENANT_BEHAVIOURS.map((b) => b.key));
const NOW = new Date('2026-06-10T08:00:00Z');
const PROBE_CONTRACT = 900;

/** the sync tenant, plus a monthly contract set aside for the probe and one that is not */
const tenant = (quirks?: SandboxSeedInput['tenantQuirks']): SandboxSeedInput => ({
  ...SYNC_TENANT,
  contracts: [
    ...SYNC_TENANT.contracts,
    {
      id: PROBE_CONTRACT,
      companyID: 1,
      contractName: 'Bot Verify probe',
      contractType: 7,
      contractPeriodType: 2,
      status: 1,
      startDate: '2026-01-15',
      endDate: '2027-01-14',
    },
  ],
  ...(quirks ? { tenantQuirks: quirks } : {}),
});

let db: TestDatabase;
afterAll(() => db?.drop());
beforeAll(async () => {
  db = await createTestDatabase();
});

async function withSandbox(
  seed: SandboxSeedInput,
  work: (deps: VerifyTenantDependencies, sandbox: RunningSandbox) => Promise<void>,
): Promise<void> {
  const sandbox = await startTestSandbox(seed);
  try {
    const client = clientFor(sandbox);
    const databaseKey = autotaskDatabaseKey({
      zoneUrl: sandbox.zoneUrl,
      username: TEST_CREDENTIALS.username,
    });
    await work({ prisma: db.prisma, client, databaseKey, budgetShare: 0.5, now: () => NOW }, sandbox);
  } finally {
    await sandbox.stop();
  }
}

describe('verify-tenant', () => {
  it('read-only against the sandbox: every check ok, behaviours not probed, nothing written', async () => {
    await withSandbox(tenant(), async (deps, sandbox) => {
      const result = await verifyTenant(deps, { actor: ADMIN, writeProbe: null });
      const readOnly = result.lines.filter((l) => !BEHAVIOURS.has(l.id));
      expect(readOnly.map((l) => [l.id, l.status]).filter(([, s]) => s !== 'ok')).toEqual([]);
      expect(result.lines.map((l) => l.id)).toEqual(
        expect.arrayContaining([
          'zone',
          'credentials',
          'permissions.ContractServiceAdjustments',
          'picklist.contractType.recurringService',
          'picklist.contractPeriodType.semiAnnual',
          'fields.ContractServiceUnits',
          'threshold',
          'dryRun.ContractServiceUnits',
        ]),
      );
      expect(result.lines.find((l) => l.id === 'repeatServicePost')).toMatchObject({
        status: 'cannot-check',
        observed: 'not probed yet',
      });
      expect(result.ok).toBe(true);
      expect(result.probe).toBeNull();
      expect(result.requestsMade).toBeGreaterThan(10);
      expect(sandbox.controls.writeLog()).toEqual([]);
      const facts = await loadTenantFacts(db.prisma, deps.databaseKey);
      expect(facts.find((f) => f.behaviour === 'permissions.ContractServices')).toMatchObject({
        holds: true,
        source: 'read-only',
        checkedBy: 'cli:admin',
      });
    });
  });

  it('reports a missing permission and a picklist label it cannot find as differs, with what to do', async () => {
    const seed = tenant();
    await withSandbox(
      {
        ...seed,
        permissions: { ContractServices: { canQuery: true, canCreate: false } },
        picklists: {
          contractType: [{ value: 7, label: 'Recurring Service', isActive: true }],
          contractPeriodType: [{ value: 2, label: 'Monthly', isActive: true }],
          contractStatus: [{ value: 1, label: 'Active', isActive: true }],
          companyType: [{ value: 1, label: 'Customer', isActive: true }],
          servicePeriodType: [
            { value: 2, label: 'Monthly', isActive: true },
            { value: 5, label: 'Yearly', isActive: true },
          ],
        },
      },
      async (deps) => {
        const result = await verifyTenant(deps, { actor: ADMIN, writeProbe: null });
        expect(result.ok).toBe(false);
        expect(result.lines.find((l) => l.id === 'permissions.ContractServices')).toMatchObject({
          status: 'differs',
          observed: 'query',
          hint: expect.stringContaining('Security Levels'),
        });
        expect(result.lines.find((l) => l.id === 'picklist.contractPeriodType.quarterly')).toMatchObject({
          status: 'differs',
          hint: expect.stringContaining('"Quarterly"'),
        });
        expect(result.lines.find((l) => l.id === 'picklist.contractPeriodType.monthly')?.status).toBe('ok');
      },
    );
  });

  it('write probe on a contract named for testing: records every behaviour, nets units to 0, says what it left', async () => {
    await withSandbox(tenant(), async (deps, sandbox) => {
      const result = await verifyTenant(deps, {
        actor: ADMIN,
        writeProbe: { contractId: PROBE_CONTRACT, serviceId: null },
      });
      expect(result.probeProblem).toBeNull();
      const behaviours = Object.fromEntries(
        result.lines.filter((l) => BEHAVIOURS.has(l.id)).map((l) => [l.id, l.status]),
      );
      expect(behaviours).toEqual({
        adjustmentAnswer: 'ok',
        repeatServicePost: 'ok',
        postedPeriodRefusal: 'cannot-check',
        noUnitsBeforeFirstAdjustment: 'ok',
        splitRowEnd: 'ok',
        duplicateAdjustmentText: 'ok',
        outsideContractText: 'ok',
      });
      expect(result.ok).toBe(true);
      expect(result.refusesUploads).toEqual([]);

      // the line is the first active service not on the contract, at price 0, and ends at 0 units
      const snapshot = sandbox.controls.snapshot();
      const probeLines = snapshot.contractServices.filter((l) => l.contractID === PROBE_CONTRACT);
      expect(probeLines).toHaveLength(1);
      expect(probeLines[0]).toMatchObject({ serviceID: 11, unitPrice: 0 });
      const rows = snapshot.contractServiceUnits.filter((r) => r.contractServiceID === probeLines[0]!.id);
      expect(rows.at(-1)).toMatchObject({ units: 0, endDate: '2027-01-14T00:00:00Z' });
      expect(rows.every((r) => r.price === 0)).toBe(true);
      const adjustments = snapshot.adjustments.filter((a) => a.contractServiceID === probeLines[0]!.id);
      expect(adjustments.map((a) => [a.effectiveDate, a.unitChange])).toEqual([
        [result.probe!.target.firstDate, 1],
        [result.probe!.target.secondDate, -1],
      ]);
      expect(adjustments.every((a) => a.effectiveDate > '2026-06-10')).toBe(true);
      expect(result.probe!.finalUnits).toBe(0);
      expect(result.probe!.leftBehind.join('\n')).toMatch(
        new RegExp(
          `line ${probeLines[0]!.id} of service 11[\\s\\S]*2 adjustment\\(s\\)[\\s\\S]*units are 0 from`,
        ),
      );

      const facts = await loadTenantFacts(db.prisma, deps.databaseKey);
      expect(facts.find((f) => f.behaviour === 'repeatServicePost')).toMatchObject({
        holds: true,
        source: 'write-probe',
        reliedOn: true,
        observed: expect.stringContaining(
          'refused: The Service referenced by serviceID is already on this Contract',
        ),
      });
      expect(facts.find((f) => f.behaviour === 'duplicateAdjustmentText')?.observed).toContain(
        'Attempt to insert duplicate data',
      );
      const audit = await listAudit(db.prisma, { action: 'tenant.verified' });
      expect(audit[0]).toMatchObject({ actorId: 'cli:admin', outcome: 'ok' });
      expect(audit[0]!.details).toMatchObject({ source: 'write-probe', databaseKey: deps.databaseKey });
    });
  });

  it('refuses to probe a contract whose name does not say it is for testing, and writes nothing', async () => {
    await withSandbox(tenant(), async (deps, sandbox) => {
      const result = await verifyTenant(deps, {
        actor: ADMIN,
        writeProbe: { contractId: 100, serviceId: null },
      });
      expect(result.probeProblem).toMatchObject({
        code: 'PROBE_CONTRACT_NOT_FOR_TESTING',
        message: expect.stringContaining('"Acme monthly"'),
        hint: expect.stringContaining('"verify"'),
      });
      expect(result.ok).toBe(false);
      expect(sandbox.controls.writeLog()).toEqual([]);
      const missing = await verifyTenant(deps, {
        actor: ADMIN,
        writeProbe: { contractId: 4242, serviceId: null },
      });
      expect(missing.probeProblem?.code).toBe('PROBE_CONTRACT_NOT_FOUND');
      expect((await listAudit(db.prisma, { action: 'tenant.probe_refused' })).length).toBeGreaterThanOrEqual(
        2,
      );
    });
  });

  it('an odd tenant that accepts a repeat service POST: the behaviour is named and the upload refuses before writing', async () => {
    await withSandbox(tenant({ repeatServicePost: 'accepted' }), async (deps, sandbox) => {
      const result = await verifyTenant(deps, {
        actor: ADMIN,
        writeProbe: { contractId: PROBE_CONTRACT, serviceId: null },
      });
      expect(result.refusesUploads).toEqual(['repeatServicePost']);
      expect(result.lines.find((l) => l.id === 'repeatServicePost')).toMatchObject({
        status: 'differs',
        observed: expect.stringMatching(/^accepted: a second line \d+ was created/),
        hint: expect.stringContaining('uploads to this tenant are refused'),
      });
      expect(result.probe!.leftBehind.join('\n')).toContain('a second line');
      expect(result.ok).toBe(false);

      sandbox.controls.resetCounters();
      const writesBefore = sandbox.controls.writeLog().length;
      const sub = subscription({ id: 'odd-a', customerId: 'c-odd' });
      const { runId, operations } = await uploadingRun(db.prisma, {
        customerId: 'c-odd',
        subscriptions: [sub],
        events: [created('2026-02-01', 4, sub.id)],
        existingLines: [],
      });
      const report = await executeUpload(
        {
          prisma: db.prisma,
          gateway: clientAutotaskGateway(deps.client),
          actor: APPROVER,
          databaseKey: deps.databaseKey,
        },
        runId,
      );
      if (!report.ok) throw new Error(report.message);
      expect(report.outcome).toBe('failed');
      expect(report.calls).toBe(0);
      expect(report.waiting).toHaveLength(operations);
      expect(report.waiting[0]!.reason).toMatch(/^TENANT_BEHAVIOUR_CONTRADICTED: .*repeatServicePost/);
      const ops = await loadRunOperations(db.prisma, runId);
      expect(ops.every((o) => o.status === 'planned')).toBe(true);
      expect(sandbox.controls.writeLog()).toHaveLength(writesBefore);
    });
  });
});
