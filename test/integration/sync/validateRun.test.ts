// The validate use case end to end on real PostgreSQL and the sandbox over HTTP: source data from
// the database, batched Autotask reads, a recorded run; then request, approve as another user,
// upload; a second validation has nothing to upload; a change after validation makes the plan stale.
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import { readAutotaskSnapshots } from '../../../src/sync/readAutotaskState.js';
import { DEFAULT_RUN_POLICY } from '../../../src/sync/runPolicy.js';
import { approveRun } from '../../../src/useCases/approveRun.js';
import { requestUpload as requestRunUpload } from '../../../src/useCases/requestUpload.js';
import { uploadApprovedRun } from '../../../src/useCases/uploadApprovedRun.js';
import { requestUpload } from '../../../src/sync/runStore.js';
import { computePlan, validateRun, type ValidateDependencies } from '../../../src/sync/validateRun.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { TARGETS } from '../../helpers/syncFixtures.js';
import { APPROVER, REQUESTER } from '../../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;
let deps: ValidateDependencies;
let acmeId: string;
const now = new Date('2026-11-25T09:00:00Z');
/** the upload runs in this process (uploadApprovedRun): nothing is queued */
const UPLOAD_HERE = { enqueueUpload: async () => undefined };

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox);
  const acme = await db.prisma.customer.create({ data: { name: 'Acme Corp', externalId: 'tenant-acme' } });
  const fabrikam = await db.prisma.customer.create({ data: { name: 'Fabrikam', externalId: 'tenant-fab' } });
  acmeId = acme.id;
  for (const [customerId, id] of [
    [acme.id, 'acme-bp'],
    [fabrikam.id, 'fab-bp'],
  ] as const) {
    await db.prisma.subscription.create({
      data: {
        id,
        customerId,
        productName: 'Microsoft 365 Business Premium',
        billingCycle: 'monthly',
        billingType: 'quantity',
        status: 'active',
        quantity: 7,
        unitPrice: '22.00',
        currency: 'USD',
      },
    });
    await db.prisma.subscriptionEvent.createMany({
      data: [
        {
          subscriptionId: id,
          effectiveDate: '2026-01-05',
          kind: 'created',
          quantityAfter: 5,
          priceAfter: '22',
          billingCycleAfter: 'monthly',
          idempotencyKey: `${id}-1`,
          source: 'test',
        },
        {
          subscriptionId: id,
          effectiveDate: '2026-02-01',
          kind: 'quantity_changed',
          quantityBefore: 5,
          quantityAfter: 7,
          idempotencyKey: `${id}-2`,
          source: 'test',
        },
      ],
    });
  }
  deps = {
    prisma: db.prisma,
    resolveMapping: async () => new Map([[acme.id, { targets: TARGETS, findings: [] }]]),
    readAutotask: (requests) => readAutotaskSnapshots(client, requests),
    budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.5 },
    now: () => now,
  };
});
afterAll(async () => {
  await sandbox.stop();
  await db.drop();
});

const check = async (scope: string) => {
  const computed = await computePlan(deps, scope);
  if (!computed.ok) throw new Error(computed.message);
  return { currentPlanHash: computed.plan.planHash, now, policy: DEFAULT_RUN_POLICY };
};

describe('validateRun', () => {
  it('validates all customers with batched reads, and the approved plan uploads', async () => {
    sandbox.controls.resetCounters();
    const { outcome, plan } = await validateRun(deps, REQUESTER, 'all');
    const reads = sandbox.controls.counters();
    // one query per entity for all customers: not one lookup per record
    expect(Object.entries(reads.byEndpoint).filter(([label]) => label.endsWith('/query'))).toEqual([
      ['POST Companies/query', 1],
      ['POST Contracts/query', 1],
      ['POST Services/query', 1],
      ['POST ContractServices/query', 1],
      ['POST ContractServiceUnits/query', 1],
    ]);
    expect(outcome).toMatchObject({ ok: true, run: { state: 'validated_with_errors' } });
    const acme = plan!.customers.find((c) => c.customerName === 'Acme Corp')!;
    const fabrikam = plan!.customers.find((c) => c.customerName === 'Fabrikam')!;
    expect(acme).toMatchObject({
      blocked: false,
      linesToCreate: 1,
      adjustments: 2,
      netUnitChange: 7,
      mrrChange: '154.00',
    });
    expect(fabrikam.blocked).toBe(true);
    expect(fabrikam.findings.map((f) => f.code)).toEqual(['CUSTOMER_UNMAPPED']);
    if (!outcome.ok) throw new Error(outcome.message);
    const runId = outcome.run.id;
    expect((await loadRunOperations(db.prisma, runId)).map((o) => o.customerId)).toEqual([
      acmeId,
      acmeId,
      acmeId,
    ]);

    const services = { ...deps, gateway: clientAutotaskGateway(client) };
    expect(await requestRunUpload(services, REQUESTER, runId)).toMatchObject({ ok: true });
    expect(await approveRun({ planning: services, queue: UPLOAD_HERE }, REQUESTER, runId)).toMatchObject({
      ok: false,
      code: 'FOUR_EYES',
    });
    expect(await approveRun({ planning: services, queue: UPLOAD_HERE }, APPROVER, runId)).toMatchObject({
      ok: true,
    });
    const report = await uploadApprovedRun(services, APPROVER, runId);
    expect(report).toMatchObject({ ok: true, outcome: 'succeeded', counts: { done: 3 } });

    const again = await validateRun(deps, REQUESTER, acmeId);
    expect(again.plan!.customers[0]!.findings.map((f) => f.code)).toEqual(['NOTHING_TO_UPLOAD']);
    if (!again.outcome.ok) throw new Error(again.outcome.message);
    const refused = await requestUpload(db.prisma, again.outcome.run.id, REQUESTER, await check(acmeId));
    expect(refused).toMatchObject({ ok: false, code: 'NOTHING_TO_UPLOAD' });
  });

  it('refuses to approve a plan made stale by new history', async () => {
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: 'acme-bp',
        effectiveDate: '2026-03-01',
        kind: 'quantity_changed',
        quantityBefore: 7,
        quantityAfter: 9,
        idempotencyKey: 'acme-bp-3',
        source: 'test',
      },
    });
    const { outcome } = await validateRun(deps, REQUESTER, acmeId);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(await requestUpload(db.prisma, outcome.run.id, REQUESTER, await check(acmeId))).toMatchObject({
      ok: true,
    });
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: 'acme-bp',
        effectiveDate: '2026-04-01',
        kind: 'quantity_changed',
        quantityBefore: 9,
        quantityAfter: 10,
        idempotencyKey: 'acme-bp-4',
        source: 'test',
      },
    });
    const refused = await approveRun({ planning: deps, queue: UPLOAD_HERE }, APPROVER, outcome.run.id);
    expect(refused).toMatchObject({
      ok: false,
      code: 'PLAN_STALE',
      hint: expect.stringMatching(/validate again/),
    });
  });

  it('blocks a customer whose line was changed by hand in Autotask (DRIFT), saying what differs', async () => {
    const line = await db.prisma.syncLine.findFirstOrThrow({ where: { subscriptionId: 'acme-bp' } });
    // someone adds two seats by hand in Autotask
    await client.createContractServiceAdjustment(100, {
      contractServiceID: line.contractServiceId,
      effectiveDate: '2026-02-15',
      unitChange: 2,
    });
    const { outcome, plan } = await validateRun(deps, REQUESTER, acmeId);
    expect(outcome).toMatchObject({ ok: true, run: { state: 'validated_with_errors' } });
    const [drift] = plan!.customers[0]!.findings.filter((f) => f.code === 'DRIFT');
    expect(drift).toMatchObject({
      subscriptionId: 'acme-bp',
      message: expect.stringMatching(/on 2026-02-15 Autotask has 9 units, this system pushed 7/),
      hint: expect.stringMatching(/undo the change/),
    });
    expect(plan!.operations).toEqual([]);
  });

  it('tells a person which customer does not exist', async () => {
    const { outcome } = await validateRun(deps, REQUESTER, 'nobody');
    expect(outcome).toMatchObject({
      ok: false,
      message: expect.stringMatching(/there is no customer nobody/),
    });
  });

  it('reads events of one day in the order they were recorded (not by their random ids)', async () => {
    // 20 subscriptions, each with two changes on one day recorded in one statement (one
    // recorded_at): read in any other order, 8 → 10 would come before 5 → 8 and break the history
    const contoso = await db.prisma.customer.create({ data: { name: 'Contoso', externalId: 'tenant-con' } });
    for (let i = 0; i < 20; i++) {
      const id = `con-${i}`;
      await db.prisma.subscription.create({
        data: {
          id,
          customerId: contoso.id,
          productName: 'Microsoft 365 Business Premium',
          billingCycle: 'monthly',
          billingType: 'quantity',
          status: 'active',
          quantity: 10,
          unitPrice: '22.00',
          currency: 'USD',
        },
      });
      await db.prisma.subscriptionEvent.createMany({
        data: [
          { kind: 'created', effectiveDate: '2026-01-05', quantityAfter: 5, priceAfter: '22' },
          { kind: 'quantity_changed', effectiveDate: '2026-03-01', quantityBefore: 5, quantityAfter: 8 },
          { kind: 'quantity_changed', effectiveDate: '2026-03-01', quantityBefore: 8, quantityAfter: 10 },
        ].map((e, n) => ({ ...e, subscriptionId: id, idempotencyKey: `${id}-${n}`, source: 'test' })),
      });
    }
    const everyoneMapped: ValidateDependencies = {
      ...deps,
      resolveMapping: async (ids) => new Map(ids.map((id) => [id, { targets: TARGETS, findings: [] }])),
    };
    const computed = await computePlan(everyoneMapped, contoso.id);
    if (!computed.ok) throw new Error(computed.message);
    const findings = computed.plan.customers[0]!.findings.map((f) => `${f.code}: ${f.message}`);
    expect(findings.filter((f) => f.startsWith('HISTORY_INCONSISTENT'))).toEqual([]);
  });
});
