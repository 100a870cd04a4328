// API economy (issue #11, #6 point 8): the Autotask calls that validate and upload of the
// generated 200-customer / 2,000-subscription / 10,000-event partner make, counted by the
// sandbox over HTTP, against the minimum computed in the same run — one create per new line and
// per adjustment sent, plus one paged batched read (500 ids an `in` list, 500 rows a page) of
// each thing the step needs — and against a naive per-record baseline run in this process
// against the same sandbox.
//
//   npm run bench:api
import {
  CompanySchema,
  ContractSchema,
  ContractServiceSchema,
  ContractServiceUnitSchema,
  ServiceSchema,
} from '../../src/autotask/entities.js';
import type { SandboxCounters } from '../../src/sandbox/sandboxControls.js';
import { loadRunOperations } from '../../src/sync/operationLedger.js';
import { approveRun } from '../../src/useCases/approveRun.js';
import { requestUpload } from '../../src/useCases/requestUpload.js';
import { uploadApprovedRun } from '../../src/useCases/uploadApprovedRun.js';
import { validateRun } from '../../src/sync/validateRun.js';
import { round, withDatabaseServer, writeResult } from './benchRun.js';
import { BENCH_ACTOR, startPartnerWorld, type PartnerWorld } from './generatedPartnerWorld.js';

/** the upload runs in this process (uploadApprovedRun): nothing is queued */
const UPLOAD_HERE = { enqueueUpload: async () => undefined };

const APPROVER = { id: 'cli:bench-approver', name: 'bench approver' };
/** operations the naive baseline replays (its calls per operation are the same for every one) */
const NAIVE_SAMPLE = Number(process.env.BENCH_NAIVE_SAMPLE ?? 300);
const pages = (rows: number) => Math.max(1, Math.ceil(rows / 500));
const writesOf = (c: SandboxCounters) =>
  Object.entries(c.byEndpoint)
    .filter(([label]) => !label.endsWith('/query') && label.startsWith('POST'))
    .reduce((sum, [, n]) => sum + n, 0);

/** Calls in a step, measured between two counter resets. */
async function counted<T>(world: PartnerWorld, work: () => Promise<T>) {
  world.sandbox.controls.resetCounters();
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started, counters: world.sandbox.controls.counters() };
}

/**
 * The naive tool: for each operation it looks up the company, the contract and the service by
 * id, the contract's lines and that line's units, one query each, then writes. Only the reads are
 * replayed here (the writes are the same as ours and already made).
 */
async function naiveReads(world: PartnerWorld, ops: Awaited<ReturnType<typeof loadRunOperations>>) {
  const { client } = world;
  const companyOf = new Map(
    (await world.db.prisma.customerCompanyMapping.findMany()).map((m) => [m.customerId, m.companyId]),
  );
  for (const op of ops) {
    await client.queryIn('Companies', CompanySchema, 'id', [companyOf.get(op.customerId) ?? 0]);
    await client.queryIn('Contracts', ContractSchema, 'id', [op.contractId]);
    await client.queryIn('Services', ServiceSchema, 'id', [op.serviceId]);
    await client.queryIn('ContractServices', ContractServiceSchema, 'contractID', [op.contractId]);
    await client.queryIn(
      'ContractServiceUnits',
      ContractServiceUnitSchema,
      'contractID',
      [op.contractId],
      [{ op: 'eq', field: 'serviceID', value: op.serviceId }],
    );
  }
}

await withDatabaseServer(async () => {
  const world = await startPartnerWorld();
  try {
    const { prisma } = world.db;
    const validation = await counted(world, () => validateRun(world.services, BENCH_ACTOR, 'all'));
    const { outcome, plan } = validation.value;
    if (!outcome.ok || !plan) throw new Error(`validation failed: ${JSON.stringify(outcome)}`);
    const runId = outcome.run.id;
    const request = await requestUpload(world.services, BENCH_ACTOR, runId);
    if (!request.ok) throw new Error(request.message);
    const approve = await approveRun({ planning: world.services, queue: UPLOAD_HERE }, APPROVER, runId);
    if (!approve.ok) throw new Error(approve.message);
    const upload = await counted(world, () => uploadApprovedRun(world.services, APPROVER, runId));
    const report = upload.value;
    if (!report.ok) throw new Error(report.message);

    // the minimum, from what this run needed
    const ops = await loadRunOperations(prisma, runId);
    const sent = ops.filter((o) => o.status === 'done' || o.status === 'failed');
    const mapped = await prisma.customerCompanyMapping.count();
    const contracts = await prisma.syncOperationRecord.findMany({
      where: { runId },
      distinct: ['contractId'],
    });
    // one read of each thing validation needs, as few pages as its rows take
    const validationMinimum =
      pages(mapped) + // companies by id
      pages(mapped * 2) + // their monthly and yearly contracts
      1 + // the mapped services
      1 + // the lines on those contracts (none yet: the partner is new)
      1; // their units rows (none yet)
    const finalUnits = await world.client.queryIn(
      'ContractServiceUnits',
      ContractServiceUnitSchema,
      'contractID',
      [...new Set(contracts.map((c) => c.contractId))],
    );
    const finalLines = await world.client.queryIn('ContractServices', ContractServiceSchema, 'contractID', [
      ...new Set(contracts.map((c) => c.contractId)),
    ]);
    // the freshness check before sending re-reads what validation read; then one read of lines and
    // units before sending, and one more after repeat lines were opened (planUpload's rule)
    const uploadMinimum =
      sent.length + validationMinimum + 2 + pages(finalLines.length) + pages(finalUnits.length);
    const uploadWrites = writesOf(upload.counters);

    // the naive baseline: per-record reads for a sample of the operations, scaled to all of them
    const sample = sent.slice(0, NAIVE_SAMPLE);
    const naive = await counted(world, () => naiveReads(world, sample));
    const naiveReadsPerOperation = naive.counters.total / Math.max(1, sample.length);
    const naiveCalls = Math.round(sent.length * (1 + naiveReadsPerOperation) + world.partner.customers);

    const ours = validation.counters.total + upload.counters.total;
    const minimum = validationMinimum + uploadMinimum;
    const ratio = ours / minimum;
    writeResult(
      'apiEconomy',
      {
        customers: world.partner.customers,
        subscriptions: world.partner.subscriptions,
        events: world.partner.events,
        ...world.mapping,
        customersBlockedByValidation: plan.customers.filter((c) => c.blocked).length,
        operationsPlanned: plan.operations.length,
        operationsSent: sent.length,
        uploadOutcome: report.outcome,
        validateCalls: validation.counters.total,
        validateMinimum: validationMinimum,
        uploadCalls: upload.counters.total,
        uploadWrites,
        uploadReads: upload.counters.total - uploadWrites,
        uploadMinimum,
        uploadCallsByEndpoint: upload.counters.byEndpoint,
        ourCalls: ours,
        minimumCalls: minimum,
        naiveCalls,
        naiveReadsPerOperation: round(naiveReadsPerOperation, 2),
        naiveSampleOperations: sample.length,
        oursOverMinimum: round(ratio, 3),
        naiveOverMinimum: round(naiveCalls / minimum, 2),
        plannedEstimate: plan.estimatedApiCalls,
        validateSeconds: round(validation.ms / 1000, 2),
        uploadSeconds: round(upload.ms / 1000, 2),
        threadLimitRefusals: validation.counters.threadLimitRefusals + upload.counters.threadLimitRefusals,
      },
      { 'API calls ≤ 1.05 × minimum': ratio <= 1.05 },
    );
    if (ratio > 1.05) process.exitCode = 1;
  } finally {
    await world.stop();
  }
});
