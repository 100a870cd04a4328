// Wall time (docs/quality.md "Validation ... sandbox at 50 ms a call", "Upload throughput"): validate
// all and upload the generated 200-customer partner with the sandbox answering every call after
// 50 ms and enforcing Autotask's thread limit (3 concurrent requests per endpoint). Prints the
// seconds, validation's own compute (the same validation with no latency), the calls, the most requests in flight per endpoint against the limit, and the share
// of the hourly budget (10,000 calls) the run used.
//
//   npm run bench:wall
import { approveRun } from '../../src/useCases/approveRun.js';
import { requestUpload } from '../../src/useCases/requestUpload.js';
import { uploadApprovedRun } from '../../src/useCases/uploadApprovedRun.js';
import { validateRun } from '../../src/sync/validateRun.js';
import { round, withDatabaseServer, writeResult } from './benchRun.js';
import { BENCH_ACTOR, startPartnerWorld } from './generatedPartnerWorld.js';

/** the upload runs in this process (uploadApprovedRun): nothing is queued */
const UPLOAD_HERE = { enqueueUpload: async () => undefined };

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const THREAD_LIMIT = 3;
const HOURLY_BUDGET = 10_000;
const APPROVER = { id: 'cli:bench-approver', name: 'bench approver' };

await withDatabaseServer(async () => {
  const world = await startPartnerWorld();
  try {
    const { controls } = world.sandbox;
    // compute: the same validation with Autotask answering at once, so what is left is our own
    // work and the database's (a first, unmeasured round warms the code paths as a running bot's
    // are); the 50 ms round below is what a person in chat waits for
    await validateRun(world.services, BENCH_ACTOR, 'all');
    let started = performance.now();
    const computeRound = await validateRun(world.services, BENCH_ACTOR, 'all');
    const validateComputeMs = performance.now() - started;
    if (!computeRound.outcome.ok) throw new Error(computeRound.outcome.message);
    controls.setLatency(LATENCY_MS);
    controls.resetCounters();
    started = performance.now();
    const { outcome } = await validateRun(world.services, BENCH_ACTOR, 'all');
    const validateMs = performance.now() - started;
    const validation = controls.counters();
    if (!outcome.ok) throw new Error(outcome.message);
    const runId = outcome.run.id;
    for (const answer of [
      await requestUpload(world.services, BENCH_ACTOR, runId),
      await approveRun({ planning: world.services, queue: UPLOAD_HERE }, APPROVER, runId),
    ])
      if (!answer.ok) throw new Error(answer.message);
    controls.resetCounters();
    started = performance.now();
    const report = await uploadApprovedRun(world.services, APPROVER, runId);
    const uploadMs = performance.now() - started;
    const upload = controls.counters();
    if (!report.ok) throw new Error(report.message);
    const peak = (c: typeof upload) => Math.max(0, ...Object.values(c.maxInFlight));
    writeResult(
      'wallTime',
      {
        latencyMsPerCall: LATENCY_MS,
        validateSeconds: round(validateMs / 1000, 2),
        validateCalls: validation.total,
        validateComputeSeconds: round(validateComputeMs / 1000, 2),
        uploadSeconds: round(uploadMs / 1000, 1),
        uploadCalls: upload.total,
        uploadOutcome: report.outcome,
        uploadOperationsDone: report.counts.done,
        callsPerSecond: round(upload.total / (uploadMs / 1000), 1),
        maxInFlightPerEndpoint: peak(upload),
        threadLimit: THREAD_LIMIT,
        threadBudgetShare: round(Math.max(peak(validation), peak(upload)) / THREAD_LIMIT, 2),
        threadLimitRefusals: validation.threadLimitRefusals + upload.threadLimitRefusals,
        hourlyBudgetShare: round((validation.total + upload.total) / HOURLY_BUDGET, 3),
      },
      {
        'never trips the thread limit': validation.threadLimitRefusals + upload.threadLimitRefusals === 0,
        'validation compute < 2 s': validateComputeMs < 2000,
      },
    );
  } finally {
    await world.stop();
  }
});
