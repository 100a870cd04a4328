// Benchmark: how many Autotask calls an upload of a generated 200-customer partner makes,
// against the minimum in the same run (one create per adjustment and per new line, plus the
// paged batched reads), with the naive per-record figure for comparison. Prints one line per
// figure and writes test/bench/results/uploadApiCalls.json.
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx test/bench/uploadApiCalls.bench.ts
import fs from 'node:fs';
import type { Prisma } from '@prisma/client';
import { clientAutotaskGateway } from '../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../src/sync/executeUpload.js';
import { loadRunOperations } from '../../src/sync/operationLedger.js';
import { readAutotaskSnapshots } from '../../src/sync/readAutotaskState.js';
import { DEFAULT_RUN_POLICY } from '../../src/sync/runPolicy.js';
import { approveRun, requestUpload, startUpload } from '../../src/sync/runStore.js';
import { computePlan, validateRun, type CustomerMapping } from '../../src/sync/validateRun.js';
import { clientFor, startTestSandbox } from '../helpers/autotaskSandbox.js';
import { APPROVER, REQUESTER } from '../helpers/syncRuns.js';
import { createTestDatabase } from '../helpers/testDatabase.js';

process.env.TEST_DATABASE_SERVER_URL ??=
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 5);
const PRODUCTS = [
  'Business Basic',
  'Business Standard',
  'Business Premium',
  'Exchange Online (Plan 1)',
  'Teams Essentials',
  'Defender for Business',
  'Entra ID P1',
  'Power BI Pro',
];

let seed = 20261125;
const roll = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (n: number) => Math.floor(roll() * n);
const day = (month: number, d: number) =>
  `2026-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

const db = await createTestDatabase();
const services = PRODUCTS.flatMap((name, i) => [
  { id: 1000 + i * 2, name: `Microsoft 365 ${name}`, unitPrice: '10.00', periodType: 2 },
  { id: 1001 + i * 2, name: `Microsoft 365 ${name} (annual)`, unitPrice: '114.00', periodType: 5 },
]);
const sandbox = await startTestSandbox({
  companies: Array.from({ length: CUSTOMERS }, (_, c) => ({ id: c + 1, companyName: `Customer ${c + 1}` })),
  contracts: Array.from({ length: CUSTOMERS }, (_, c) => [
    {
      id: 10_000 + c,
      companyID: c + 1,
      contractName: `C${c + 1} monthly`,
      contractType: 7,
      contractPeriodType: 2,
      status: 1,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    },
    {
      id: 20_000 + c,
      companyID: c + 1,
      contractName: `C${c + 1} yearly`,
      contractType: 7,
      contractPeriodType: 5,
      status: 1,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
    },
  ]).flat(),
  services,
});
const client = clientFor(sandbox);

// the partner: CUSTOMERS customers × SUBSCRIPTIONS subscriptions, each with a few changes
const mappings = new Map<string, CustomerMapping>();
const customers: { id: string; name: string }[] = [];
const subscriptions: Prisma.SubscriptionCreateManyInput[] = [];
const events: Prisma.SubscriptionEventCreateManyInput[] = [];
for (let c = 0; c < CUSTOMERS; c++) {
  const id = `cust-${c + 1}`;
  customers.push({ id, name: `Customer ${c + 1}` });
  mappings.set(id, {
    targets: {
      companyId: c + 1,
      contracts: { monthly: 10_000 + c, annual: 20_000 + c },
      services: PRODUCTS.flatMap((name, i) => [
        { productName: name, billingCycle: 'monthly', serviceId: 1000 + i * 2 },
        { productName: name, billingCycle: 'annual', serviceId: 1001 + i * 2 },
      ]),
    },
    findings: [],
  });
  const products = [...PRODUCTS].sort(() => roll() - 0.5).slice(0, SUBSCRIPTIONS);
  for (const [s, product] of products.entries()) {
    const subId = `${id}-s${s + 1}`;
    let quantity = 1 + pick(20);
    let price = 10 + pick(10);
    let month = 1;
    const list = [
      {
        effectiveDate: day(1, 1 + pick(28)),
        kind: 'created',
        quantityAfter: quantity,
        priceAfter: String(price),
        billingCycleAfter: 'monthly',
      },
    ];
    for (let e = 0; e < 3; e++) {
      month += 1 + pick(2);
      const r = roll();
      if (r < 0.1) {
        list.push({
          effectiveDate: day(month, 1),
          kind: 'price_changed',
          priceBefore: String(price),
          priceAfter: String(price + 1),
        } as never);
        price += 1;
      } else {
        const after = Math.max(1, quantity + pick(7) - 3);
        if (after === quantity) continue;
        list.push({
          effectiveDate: day(month, 1 + pick(28)),
          kind: 'quantity_changed',
          quantityBefore: quantity,
          quantityAfter: after,
        } as never);
        quantity = after;
      }
    }
    subscriptions.push({
      id: subId,
      customerId: id,
      productName: product,
      billingCycle: 'monthly',
      billingType: 'quantity',
      status: 'active',
      quantity,
      unitPrice: String(price),
      currency: 'USD',
    });
    list.forEach((e, n) =>
      events.push({ ...e, subscriptionId: subId, idempotencyKey: `${subId}-${n}`, source: 'bench' }),
    );
  }
}
await db.prisma.customer.createMany({ data: customers });
await db.prisma.subscription.createMany({ data: subscriptions });
await db.prisma.subscriptionEvent.createMany({ data: events });

const now = new Date('2026-11-25T09:00:00Z');
const deps = {
  prisma: db.prisma,
  resolveMapping: async () => mappings,
  readAutotask: (requests: Parameters<typeof readAutotaskSnapshots>[1]) =>
    readAutotaskSnapshots(client, [...requests]),
  budget: { requestsPerHour: 5000, inFlight: 1, secondsPerCall: 0.05 },
  now: () => now,
};
const check = async () => {
  const computed = await computePlan(deps, 'all');
  if (!computed.ok) throw new Error(computed.message);
  return { currentPlanHash: computed.plan.planHash, now, policy: DEFAULT_RUN_POLICY };
};

sandbox.controls.resetCounters();
let started = Date.now();
const { outcome, plan } = await validateRun(deps, REQUESTER, 'all');
const validationMs = Date.now() - started;
const validationCalls = sandbox.controls.counters().total;
if (!outcome.ok) throw new Error(outcome.message);
const runId = outcome.run.id;
await requestUpload(db.prisma, runId, REQUESTER, await check());
await approveRun(db.prisma, runId, APPROVER, await check());
await startUpload(db.prisma, runId, APPROVER, await check());

sandbox.controls.resetCounters();
started = Date.now();
const report = await executeUpload(
  { prisma: db.prisma, gateway: clientAutotaskGateway(client), actor: APPROVER },
  runId,
);
const uploadMs = Date.now() - started;
if (!report.ok || report.outcome !== 'succeeded')
  throw new Error(`upload did not succeed: ${JSON.stringify(report)}`);
const counters = sandbox.controls.counters();
const ops = await loadRunOperations(db.prisma, runId);
const writes = ops.length;
const contracts = new Set(ops.map((o) => o.contractId)).size;
// minimum: one create per adjustment and per new line, plus the paged batched reads
const minimum = writes + Math.ceil(contracts / 500) * 2;
const naive = writes * 2 + contracts; // a read of the line's units before every write, and a line lookup per contract
const ratio = counters.total / minimum;

const figures = {
  customers: CUSTOMERS,
  subscriptions: subscriptions.length,
  events: events.length,
  operations: writes,
  plannedApiCalls: plan!.estimatedApiCalls,
  validationCalls,
  validationMs,
  uploadCalls: counters.total,
  uploadCallsByEndpoint: counters.byEndpoint,
  minimumCalls: minimum,
  naivePerRecordCalls: naive,
  ratioToMinimum: Number(ratio.toFixed(4)),
  uploadMs,
  threadLimitRefusals: counters.threadLimitRefusals,
};
for (const [name, value] of Object.entries(figures))
  process.stdout.write(`${name}: ${typeof value === 'object' ? JSON.stringify(value) : value}\n`);
process.stdout.write(
  `upload calls ${counters.total} vs minimum ${minimum}: ${ratio.toFixed(3)} × (target ≤ 1.05) ${ratio <= 1.05 ? 'OK' : 'OVER'}\n`,
);
fs.mkdirSync('test/bench/results', { recursive: true });
fs.writeFileSync(
  'test/bench/results/uploadApiCalls.json',
  JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2),
);
await sandbox.stop();
await db.drop();
process.exit(ratio <= 1.05 ? 0 : 1);
