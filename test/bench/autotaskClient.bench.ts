// Autotask client figures against the sandbox (prints, never asserts):
//   npx tsx test/bench/autotaskClient.bench.ts
// 1. batched `in` reads vs per-record gets (requests and wall time) at 20 ms per call;
// 2. throughput of 6 concurrent callers with 1 vs 2 in flight per endpoint, thread refusals;
// 3. reads completing under 20 % injected 429s, with the retries counted.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { CompanySchema } from '../../src/autotask/entities.js';
import { SandboxSeedSchema } from '../../src/sandbox/sandboxSeed.js';
import { startAutotaskSandbox } from '../../src/sandbox/sandboxServer.js';

const credentials = { username: 'bench@partner.example', secret: 'bench-secret', integrationCode: 'BENCH' };
const COMPANIES = 2_000;
const sandbox = await startAutotaskSandbox({
  seed: SandboxSeedSchema.parse({
    companies: Array.from({ length: COMPANIES }, (_, i) => ({ id: 1 + i, companyName: `Company ${i + 1}` })),
  }),
  credentials,
});
const client = (maxInFlightPerEndpoint: number) =>
  new AutotaskClient({
    ...credentials,
    zoneUrl: sandbox.zoneUrl,
    maxInFlightPerEndpoint,
    budgetShare: 0.5,
    retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 12 },
  });
const results: Record<string, number> = {};
const figure = (name: string, value: number, unit: string) => {
  results[name] = value;
  process.stdout.write(`${name}: ${value} ${unit}\n`);
};
const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return Math.round(performance.now() - started);
};

try {
  sandbox.controls.setLatency(20);
  const ids = Array.from({ length: 300 }, (_, i) => 1 + i * 5);

  const batched = client(2);
  const batchedMs = await timed(() => batched.queryIn('Companies', CompanySchema, 'id', ids));
  figure('in-list read of 300 ids: requests', batched.requestStats().total, 'requests');
  figure('in-list read of 300 ids: wall time', batchedMs, 'ms');

  const naive = client(2);
  const naiveMs = await timed(() => Promise.all(ids.map((id) => naive.get('Companies', CompanySchema, id))));
  figure('per-record gets of 300 ids (naive baseline): requests', naive.requestStats().total, 'requests');
  figure('per-record gets of 300 ids (naive baseline): wall time', naiveMs, 'ms');
  figure(
    'naive / batched requests',
    Math.round((naive.requestStats().total / batched.requestStats().total) * 10) / 10,
    '×',
  );

  for (const inFlight of [1, 2]) {
    sandbox.controls.resetCounters();
    const c = client(inFlight);
    const ms = await timed(() =>
      Promise.all(
        Array.from({ length: 6 }, async (_, caller) => {
          for (let i = 0; i < 20; i++) await c.get('Companies', CompanySchema, 1 + caller * 20 + i);
        }),
      ),
    );
    figure(`6 callers × 20 gets, ${inFlight} in flight: wall time`, ms, 'ms');
    figure(
      `6 callers × 20 gets, ${inFlight} in flight: thread-limit refusals`,
      sandbox.controls.counters().threadLimitRefusals,
      '',
    );
  }

  sandbox.controls.resetCounters();
  sandbox.controls.setFaults({ rate: 0.2, kinds: ['429'] });
  const faulty = client(2);
  const faultyMs = await timed(() => faulty.query('Companies', CompanySchema));
  await Promise.all(Array.from({ length: 60 }, (_, i) => faulty.get('Companies', CompanySchema, 1 + i)));
  figure('with 20 % 429s: full list + 60 gets, wall time (list only)', faultyMs, 'ms');
  figure('with 20 % 429s: injected 429s', sandbox.controls.counters().faultsInjected['429'] ?? 0, '');
  figure('with 20 % 429s: retries reported by the client', faulty.requestStats().retries, '');
  figure(
    'with 20 % 429s: failed reads',
    Object.values(faulty.requestStats().failures).reduce((a, b) => a + b, 0),
    '',
  );

  fs.mkdirSync('test/bench/results', { recursive: true });
  fs.writeFileSync(
    'test/bench/results/autotaskClient.json',
    JSON.stringify({ at: new Date().toISOString(), results }, null, 2),
  );
} finally {
  await sandbox.stop();
}
