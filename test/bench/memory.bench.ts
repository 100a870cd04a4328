// Peak memory for 100,000 events (docs/quality.md: < 300 MB RSS): the generated partner scaled to
// 100,000 events (20,000 subscriptions, 2,000 customers) is written as CSV by one child process
// and imported by another — the import command's own code path (importOpenFile: the file is
// opened and read as a stream, as `autotask-bot import` does), alone in its process — whose
// peak RSS (getrusage maxrss) is the figure. Nothing else shares that process's heap.
//
//   npm run bench:memory
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARK_PARTNER, generatePartner } from '../../src/demo/partnerGenerator.js';
import { importOpenFile } from '../../src/subscriptions/importFile.js';
import { createTestDatabase } from '../helpers/testDatabase.js';
import { round, withDatabaseServer, writeResult } from './benchRun.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const TARGET_MB = 300;
const scale = EVENTS / BENCHMARK_PARTNER.events;
const PARTNER = {
  seed: BENCHMARK_PARTNER.seed,
  events: EVENTS,
  subscriptions: Math.round(BENCHMARK_PARTNER.subscriptions * scale),
  customers: Math.round(BENCHMARK_PARTNER.customers * scale),
  endDate: '2026-11-24',
};
const mb = (kb: number) => Math.round(kb / 1024);

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

async function generateRole(file: string) {
  fs.writeFileSync(file, generatePartner(PARTNER).csv);
  console.log(JSON.stringify({ bytes: fs.statSync(file).size }));
}

async function importRole(file: string, databaseUrl: string) {
  const { createPrismaClient } = await import('../../src/db/prismaClient.js');
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  const rssBefore = mb(process.resourceUsage().maxRSS);
  const started = performance.now();
  const handle = await fs.promises.open(file);
  const result = await importOpenFile(prisma, handle, path.basename(file), { actor: { id: 'cli:bench' } });
  await handle.close();
  const ms = performance.now() - started;
  await prisma.$disconnect();
  if (!result.stored || result.eventsNew !== EVENTS)
    throw new Error(
      `the import did not store the file: ${JSON.stringify({ ...result, refused: result.refused.slice(0, 3) })}`,
    );
  console.log(JSON.stringify({ rssBefore, peakRss: mb(process.resourceUsage().maxRSS), ms }));
}

async function main() {
  await withDatabaseServer(async () => {
    const db = await createTestDatabase();
    const file = path.join(os.tmpdir(), `bench-partner-${EVENTS}-${process.pid}.csv`);
    try {
      const generated = await child('generate', file);
      const imported = await child('import', file, db.url);
      writeResult(
        'memory',
        {
          events: EVENTS,
          subscriptions: PARTNER.subscriptions,
          customers: PARTNER.customers,
          fileMb: round(generated.bytes! / 2 ** 20, 1),
          importSeconds: round(imported.ms! / 1000, 1),
          rssMbBeforeImport: imported.rssBefore!,
          peakRssMb: imported.peakRss!,
          targetMb: TARGET_MB,
        },
        { [`peak RSS < ${TARGET_MB} MB`]: imported.peakRss! < TARGET_MB },
      );
    } finally {
      fs.rmSync(file, { force: true });
      await db.drop();
    }
  });
}

const [role, ...args] = process.argv.slice(2);
if (role === 'generate') await generateRole(args[0]!);
else if (role === 'import') await importRole(args[0]!, args[1]!);
else await main();
