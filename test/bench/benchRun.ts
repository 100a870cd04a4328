// What every benchmark shares: a PostgreSQL server (the one DATABASE_URL names — `npm run bench`
// starts one embedded server for all — or an embedded one of its own), the machine it ran on,
// and the result: one printed line per figure and test/bench/results/<name>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startEmbeddedPostgres } from '../../src/db/embeddedPostgres.js';

export type Figure = number | string | boolean | null | Record<string, unknown> | unknown[];

export const RESULTS_DIR = path.resolve('test/bench/results');

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

/** Runs `work` with TEST_DATABASE_SERVER_URL set, starting an embedded server when none is given. */
export async function withDatabaseServer<T>(work: () => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_SERVER_URL = process.env.DATABASE_URL;
    return work();
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-bench-'));
  fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
  const server = await startEmbeddedPostgres({ dataDir, port: 0, logger: pino({ level: 'silent' }) });
  process.env.TEST_DATABASE_SERVER_URL = server.superuserUrl;
  process.env.DATABASE_URL = server.superuserUrl;
  try {
    return await work();
  } finally {
    delete process.env.DATABASE_URL;
    if (server.owned) await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints one line per figure and writes test/bench/results/<name>.json. */
export function writeResult(
  name: string,
  figures: Record<string, Figure>,
  verdicts: Record<string, boolean> = {},
) {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures))
    console.log(
      `${name}: ${key.padEnd(width)}  ${typeof value === 'object' ? JSON.stringify(value) : value}`,
    );
  for (const [target, met] of Object.entries(verdicts))
    console.log(`${name}: ${met ? 'MET ' : 'MISSED'} ${target}`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  fs.writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, machine: machine(), figures, targets: verdicts }, null, 2)}\n`,
  );
  console.log(`${name}: written to ${path.relative(process.cwd(), file)}`);
}

/** Percentile of sorted-or-not samples (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;
