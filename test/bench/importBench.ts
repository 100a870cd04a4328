// Import benchmark: generate the benchmark partner (200 customers, 2,000 subscriptions, 10,000
// events), write it as CSV, import it into a fresh database, and print time and peak RSS. Also
// re-imports it (the idempotent path) and, as the naive baseline, imports the first rows one
// transaction per row. Then the partner scaled to 100,000 and to 1,000,000 events, each written
// by one child process and imported by another through the import command's own code path
// (importOpenFile: the file streamed into one transaction), alone in its process: seconds,
// events a second and that child's peak RSS (getrusage maxrss), beside the targets (< 300 MB,
// ≥ 20,000 events/s). Prints one line per figure and writes test/bench/results/import.json.
//
//   npm run bench:import                      # embedded PostgreSQL in a temporary directory
//   BENCH_IMPORT_SIZES=100000 npm run bench:import     # the scaled runs to make (default both)
//   DATABASE_URL=postgresql://… npm run bench:import   # a database server of your own
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARK_PARTNER, generatePartner } from '../../src/demo/partnerGenerator.js';
import { importFile, importOpenFile, parseCsvFile } from '../../src/subscriptions/importFile.js';
import { storeIncomingEvents } from '../../src/subscriptions/storeIncomingEvents.js';
import { createTestDatabase } from '../helpers/testDatabase.js';
import { round, withDatabaseServer, writeResult, type Figure } from './benchRun.js';

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
/** The scaled runs, each streamed by the import command's path in a child process of its own. */
const SCALED = (process.env.BENCH_IMPORT_SIZES ?? '100000,1000000')
  .split(',')
  .filter((v) => v.trim() !== '')
  .map(Number);
const TARGET_RSS_MB = 300;
const TARGET_EVENTS_PER_SECOND = 20_000;

function scaledPartner(events: number) {
  const factor = events / BENCHMARK_PARTNER.events;
  return {
    seed: BENCHMARK_PARTNER.seed,
    events,
    subscriptions: Math.round(BENCHMARK_PARTNER.subscriptions * factor),
    customers: Math.round(BENCHMARK_PARTNER.customers * factor),
    endDate: '2026-11-24',
  };
}

/** Runs this file again as `<role> …args` and returns the JSON line it prints last. */
function child(role: string, ...args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), role, ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: process.env,
      },
    );
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${role} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>);
    });
  });
}

/** The import command's path, alone in this process: its peak RSS is the import's. */
async function importChild(file: string, databaseUrl: string, events: number) {
  const { createPrismaClient } = await import('../../src/db/prismaClient.js');
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  const rssBefore = mb(process.resourceUsage().maxRSS);
  const started = performance.now();
  const handle = await fs.promises.open(file);
  const result = await importOpenFile(prisma, handle, path.basename(file), { actor });
  await handle.close();
  const ms = performance.now() - started;
  await prisma.$disconnect();
  if (!result.stored || result.eventsNew !== events)
    throw new Error(
      `the import did not store the file: ${JSON.stringify({ ...result, refused: result.refused.slice(0, 3) })}`,
    );
  console.log(JSON.stringify({ rssBefore, peakRss: mb(process.resourceUsage().maxRSS), ms }));
}

/** One scaled run: a fresh database, the file written by one child and imported by another. */
async function scaledRun(events: number) {
  const db = await createTestDatabase();
  const file = path.join(os.tmpdir(), `bench-partner-${events}-${process.pid}.csv`);
  try {
    const generated = await child('generate-scaled', file, String(events));
    const imported = await child('import-child', file, db.url, String(events));
    const seconds = imported.ms! / 1000;
    return {
      events,
      fileMb: round(generated.bytes! / 2 ** 20, 1),
      seconds: round(seconds, 1),
      eventsPerSecond: Math.round(events / seconds),
      rssMbBeforeImport: imported.rssBefore!,
      peakRssMb: imported.peakRss!,
    };
  } finally {
    fs.rmSync(file, { force: true });
    await db.drop();
  }
}
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
  let dropped = false;
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
    await db.drop();
    await baselineDb.drop();
    dropped = true;
    const scaled: Record<string, Figure> = {};
    const verdicts: Record<string, boolean> = {};
    for (const events of SCALED) {
      const run = await scaledRun(events);
      const name = `${events.toLocaleString('en')} events`;
      scaled[name] =
        `${run.seconds} s, ${run.eventsPerSecond.toLocaleString('en')} events/s (target ≥ ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')}), peak RSS ${run.peakRssMb} MB (target < ${TARGET_RSS_MB}; ${run.rssMbBeforeImport} MB before the import), file ${run.fileMb} MB`;
      scaled[`${name} (figures)`] = run;
      verdicts[`${name}: peak RSS < ${TARGET_RSS_MB} MB`] = run.peakRssMb < TARGET_RSS_MB;
      verdicts[`${name}: ≥ ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')} events/s`] =
        run.eventsPerSecond >= TARGET_EVENTS_PER_SECOND;
    }
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
      ...scaled,
    };
    writeResult('import', figures, verdicts);
  } finally {
    if (!dropped) {
      await db.drop();
      await baselineDb.drop();
    }
  }
}

if (process.argv[2] === 'generate-scaled') {
  fs.writeFileSync(process.argv[3]!, generatePartner(scaledPartner(Number(process.argv[4]))).csv);
  console.log(JSON.stringify({ bytes: fs.statSync(process.argv[3]!).size }));
} else if (process.argv[2] === 'import-child') {
  await importChild(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
} else if (process.argv[2] === 'generate') {
  const partner = generatePartner({ ...PARTNER, endDate: new Date().toISOString().slice(0, 10) });
  fs.writeFileSync(process.argv[3]!, partner.csv);
} else {
  withDatabaseServer(main).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
