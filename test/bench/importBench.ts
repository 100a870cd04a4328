// Import benchmark: generate the benchmark partner (200 customers, 2,000 subscriptions, 10,000
// events), write it as CSV, import it into a fresh database, and print time and peak RSS. Also
// re-imports it (the idempotent path) and, as the naive baseline, imports the first rows one
// transaction per row. Prints one line per figure and writes test/bench/results/import.json.
//
//   npm run bench:import                      # embedded PostgreSQL in a temporary directory
//   DATABASE_URL=postgresql://… npm run bench:import   # a database server of your own
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARK_PARTNER, generatePartner } from '../../src/demo/partnerGenerator.js';
import { importFile, parseCsvFile } from '../../src/subscriptions/importFile.js';
import { storeIncomingEvents } from '../../src/subscriptions/storeIncomingEvents.js';
import { createTestDatabase } from '../helpers/testDatabase.js';
import { withDatabaseServer, writeResult } from './benchRun.js';

const BASELINE_ROWS = Number(process.env.BENCH_BASELINE_ROWS ?? 300);
// BENCH_EVENTS=100000 scales the partner up (subscriptions and customers in proportion)
const scale = Number(process.env.BENCH_EVENTS ?? BENCHMARK_PARTNER.events) / BENCHMARK_PARTNER.events;
const PARTNER = {
  seed: BENCHMARK_PARTNER.seed,
  events: Math.round(BENCHMARK_PARTNER.events * scale),
  subscriptions: Math.round(BENCHMARK_PARTNER.subscriptions * scale),
  customers: Math.round(BENCHMARK_PARTNER.customers * scale),
};
const actor = { id: 'cli:bench' };
const mb = (kb: number) => Math.round(kb / 1024);
const peakRssMb = () => mb(process.resourceUsage().maxRSS);
const seconds = (ms: number) => Math.round(ms) / 1000;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function main() {
  const db = await createTestDatabase();
  const baselineDb = await createTestDatabase();
  try {
    const rssAtStart = peakRssMb();
    // Generated in a child process, so this one's peak RSS is the import's, as in the CLI.
    const file = path.join(os.tmpdir(), `bench-partner-${process.pid}.csv`);
    const generated = await timed(async () => {
      const child = spawnSync(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), 'generate', file],
        {
          stdio: 'inherit',
        },
      );
      if (child.status !== 0) throw new Error('generating the partner failed');
    });
    const bytes = fs.statSync(file).size;
    const content = fs.readFileSync(file, 'utf8');
    const rssBeforeImport = peakRssMb();

    const first = await timed(() => importFile(db.prisma, path.basename(file), content, { actor }));
    const rssAfterImport = peakRssMb();
    if (!first.value.stored || first.value.eventsNew !== PARTNER.events)
      throw new Error(
        `import did not store the file: ${JSON.stringify({ ...first.value, refused: first.value.refused.slice(0, 5) })}`,
      );
    const again = await timed(() => importFile(db.prisma, path.basename(file), content, { actor }));
    if (again.value.eventsNew !== 0) throw new Error('re-import stored events');

    // Naive baseline: one transaction per row, for the first rows only.
    const parsed = parseCsvFile(content);
    const rows = parsed.events.slice(0, BASELINE_ROWS);
    const baseline = await timed(async () => {
      for (const e of rows)
        await storeIncomingEvents(
          baselineDb.prisma,
          { items: 1, events: [e], problems: [] },
          {
            actor,
            channel: 'bench',
            sourceSystem: 'default',
            format: 'csv',
          },
        );
    });
    fs.rmSync(file, { force: true });

    const perRowBatch = first.ms / PARTNER.events;
    const perRowNaive = baseline.ms / rows.length;
    const figures = {
      events: PARTNER.events,
      subscriptions: PARTNER.subscriptions,
      customers: PARTNER.customers,
      fileBytes: bytes,
      generateSeconds: seconds(generated.ms),
      importSeconds: seconds(first.ms),
      reimportSeconds: seconds(again.ms),
      importMsPerEvent: Math.round(perRowBatch * 1000) / 1000,
      naiveMsPerEvent: Math.round(perRowNaive * 1000) / 1000,
      naiveRows: rows.length,
      naiveOverBatchRatio: Math.round((perRowNaive / perRowBatch) * 10) / 10,
      peakRssMbAtStart: rssAtStart,
      peakRssMbBeforeImport: rssBeforeImport,
      peakRssMbAfterImport: rssAfterImport,
      peakRssMb: peakRssMb(),
    };
    writeResult('import', figures);
  } finally {
    await db.drop();
    await baselineDb.drop();
  }
}

if (process.argv[2] === 'generate') {
  const partner = generatePartner({ ...PARTNER, endDate: new Date().toISOString().slice(0, 10) });
  fs.writeFileSync(process.argv[3]!, partner.csv);
} else {
  withDatabaseServer(main).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
