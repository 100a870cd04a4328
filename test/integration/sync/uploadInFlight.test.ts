// Upload throughput (docs/quality.md): the executor keeps 2 requests in flight against Autotask while
// operations that depend on each other still go one after the other, in plan order. Over real
// HTTP with the sandbox answering slowly, three customers' independent lines share the contract
// endpoint with a chain of dependent operations: one service's base line, a repeat line at a new
// price and a second subscription's repeat line (which needs the base line first).
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import type { AutotaskGateway } from '../../../src/sync/autotaskGateway.js';
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../../src/sync/operationLedger.js';
import type { CustomerTargets } from '../../../src/sync/syncInputs.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { lineChangePoints } from '../../helpers/sandboxTimeline.js';
import { created, quantity, subscription, twoSubscriptionsOfOneProduct } from '../../helpers/syncFixtures.js';
import { APPROVER, RUN_CLOCK, uploadingRun } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const OTHER_SERVICES = [
  { id: 13, name: 'Exchange Online (Plan 1)', unitPrice: '4.00', periodType: 2 },
  { id: 14, name: 'Microsoft Defender for Business', unitPrice: '3.00', periodType: 2 },
  { id: 15, name: 'Teams Phone Standard', unitPrice: '8.00', periodType: 2 },
];

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox({
    ...SYNC_TENANT,
    services: [...SYNC_TENANT.services, ...OTHER_SERVICES],
  });
  client = clientFor(sandbox);
});
afterAll(async () => {
  await sandbox.stop();
  await db.drop();
});

/** Every write the executor makes, as `start n` / `end n` in the order they happen. */
function recordingGateway(inner: AutotaskGateway) {
  const events: string[] = [];
  const writes: { request: Record<string, unknown> }[] = [];
  const record = async <R>(request: Record<string, unknown>, call: () => Promise<R>): Promise<R> => {
    const n = writes.push({ request }) - 1;
    events.push(`start ${n}`);
    try {
      return await call();
    } finally {
      events.push(`end ${n}`);
    }
  };
  const gateway: AutotaskGateway = {
    contractServices: (ids) => inner.contractServices(ids),
    contractServiceUnits: (ids) => inner.contractServiceUnits(ids),
    createContractService: (r) => record(r, () => inner.createContractService(r)),
    createAdjustment: (r) => record({ ...r }, () => inner.createAdjustment(r)),
  };
  return { gateway, events, writes };
}

describe('an upload with independent lines and a chain of dependent operations', () => {
  const customerId = 'inflight';
  const first = subscription({ id: `${customerId}-b`, customerId, quantity: 6 });
  const second = subscription({ id: `${customerId}-a`, customerId, quantity: 4 });
  const others = OTHER_SERVICES.map((s, i) =>
    subscription({ id: `${customerId}-${s.id}`, customerId, productName: s.name, quantity: 6 + i }),
  );
  const targets: CustomerTargets = {
    companyId: 1,
    contracts: { monthly: 100, annual: 200 },
    services: [
      { productName: 'Microsoft 365 Business Premium', billingCycle: 'monthly', serviceId: 11 },
      ...OTHER_SERVICES.map((s) => ({
        productName: s.name,
        billingCycle: 'monthly' as const,
        serviceId: s.id,
      })),
    ],
  };
  const events = [
    // the dependent chain, as in the golden "two subscriptions of one product" scenario
    ...twoSubscriptionsOfOneProduct(first.id, second.id),
    // one line each, independent of everything else
    ...others.flatMap((s, i) => [
      created('2026-01-05', 5 + i, s.id),
      quantity('2026-02-10', 5 + i, 7 + i, s.id),
      quantity('2026-03-10', 7 + i, 6 + i, s.id),
    ]),
  ];

  it('keeps 2 writes in flight on the contract endpoint, never trips the thread limit, and sends each chain in plan order', async () => {
    const { runId, operations } = await uploadingRun(db.prisma, {
      customerId,
      subscriptions: [first, second, ...others],
      events,
      existingLines: [],
      targets,
    });
    sandbox.controls.setLatency(100);
    sandbox.controls.resetCounters();
    const recording = recordingGateway(clientAutotaskGateway(client));
    const report = await executeUpload(
      {
        prisma: db.prisma,
        gateway: recording.gateway,
        actor: APPROVER,
        now: () => RUN_CLOCK,
        inFlight: 2,
      },
      runId,
    );
    sandbox.controls.setLatency(0);

    expect(report).toMatchObject({
      ok: true,
      outcome: 'succeeded',
      counts: { done: operations },
      waiting: [],
    });
    const counters = sandbox.controls.counters();
    expect(counters.threadLimitRefusals).toBe(0);
    const contractEndpoint = Object.entries(counters.maxInFlight).filter(([key]) =>
      key.endsWith('|contracts'),
    );
    expect(contractEndpoint.map(([, most]) => most)).toEqual([2]);
    const log = sandbox.controls.writeLog();
    expect(log.filter((w) => w.status >= 400)).toEqual([]);
    expect(log).toHaveLength(operations);

    // written by hand: the same units as if sent one at a time
    expect(await lineChangePoints(db.prisma, client, customerId)).toEqual({
      [`${first.id}|100|11|22`]: ['2026-01-05 5', '2026-03-01 0'],
      [`${first.id}|100|11|21`]: ['2026-03-01 5', '2026-04-10 6'],
      [`${second.id}|100|11|22`]: ['2026-02-01 3', '2026-03-10 4'],
      ...Object.fromEntries(
        others.map((s, i) => [
          `${s.id}|100|${OTHER_SERVICES[i]!.id}|22`,
          [`2026-01-05 ${5 + i}`, `2026-02-10 ${7 + i}`, `2026-03-10 ${6 + i}`],
        ]),
      ),
    });

    // the chain on service 11: never two of its writes at once, and in plan order
    const lines11 = new Set(
      (await db.prisma.syncLine.findMany({ where: { customerId, serviceId: 11 } })).map(
        (l) => l.contractServiceId,
      ),
    );
    const onService11 = new Set(
      recording.writes
        .map((w, n) => ({ r: w.request, n }))
        .filter(({ r }) => r.serviceId === 11 || lines11.has(r.contractServiceId as number))
        .map(({ n }) => n),
    );
    const chainEvents = recording.events.filter((e) => onService11.has(Number(e.split(' ')[1])));
    for (let i = 0; i < chainEvents.length; i += 2) {
      expect(chainEvents[i]!.replace('start', 'end')).toBe(chainEvents[i + 1]);
    }
    // the base line first; each subscription's changes in plan order (a change on a repeat line
    // opened in this run waits, with the rest of its subscription, for the next read)
    const label = (r: Record<string, unknown>) =>
      r.unitPrice !== undefined ? 'line' : `${String(r.effectiveDate)} ${String(r.unitChange)}`;
    const sent = chainEvents
      .filter((e) => e.startsWith('start'))
      .map((e) => label(recording.writes[Number(e.split(' ')[1])]!.request));
    expect(sent[0]).toBe('line');
    const ops = await loadRunOperations(db.prisma, runId);
    for (const sub of [first, second]) {
      const planned = ops
        .filter((o) => o.subscriptionId === sub.id && o.kind === 'adjust')
        .map((o) => `${o.effectiveDate} ${o.unitChange}`);
      expect(planned.length).toBeGreaterThan(1);
      expect(sent.filter((l) => planned.includes(l))).toEqual(planned);
    }
    expect(sent).toHaveLength(ops.filter((o) => o.serviceId === 11).length);
  }, 60_000);
});
