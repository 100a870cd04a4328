// `npm run bench -- cli`: how fast the installed CLI answers. The project is built, packed and
// installed into an empty folder (scripts/packedInstall.mjs, as a partner or the image does);
// a bot is started from there on the embedded defaults, then `help`, `status` and `customers`
// run 10 times each through the installed bin (what `npx autotask-bot` ends up running, and
// what a PATH install runs), beside `node -e 0`. Median per command; target ≤ 0.5 s each.
// `npx` adds npm's own start-up; it is reported once for `help`, for comparison.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile, round, writeResult } from './benchRun.js';
// plain JS shared with the packed-install smoke run
// @ts-expect-error -- an .mjs module without type declarations
import { buildPackAndInstall } from '../../scripts/packedInstall.mjs';

const RUNS = 10;
const TARGET_S = 0.5;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-cli-bench-'));
// run as root, the embedded PostgreSQL runs as the postgres user: it must reach the install
fs.chmodSync(work, 0o755);
const { install } = buildPackAndInstall(work) as { install: string };
const bin = path.join(install, 'node_modules/.bin/autotask-bot');
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(install, 'data'), LOG_LEVEL: 'warn' };
delete env.DATABASE_URL; // the embedded default, attached to the running bot as a partner's CLI would

function timeOnce(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: install, env, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return seconds;
}

function median(command: string, args: string[]): { median: number; min: number; max: number } {
  timeOnce(command, args); // a first run fills the compile cache, as any earlier call would have
  const samples = Array.from({ length: RUNS }, () => timeOnce(command, args));
  return {
    median: round(percentile(samples, 50), 3),
    min: round(Math.min(...samples), 3),
    max: round(Math.max(...samples), 3),
  };
}

async function waitForHealth(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`the bot did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const port = 38_000 + Math.floor(Math.random() * 1000);
const serve = spawn(process.execPath, [bin, 'serve'], {
  cwd: install,
  env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
  stdio: 'ignore',
});
try {
  await waitForHealth(`http://127.0.0.1:${port}/healthz`, 120_000);
  const bare = median(process.execPath, ['-e', '0']);
  const help = median(bin, ['help']);
  const status = median(bin, ['status']);
  const customers = median(bin, ['customers']);
  const npxHelp = median('npx', ['--no-install', 'autotask-bot', 'help']);
  writeResult(
    'cliStartup',
    {
      runs: RUNS,
      'node -e 0 (s)': bare,
      'help (s)': help,
      'status (s)': status,
      'customers (s)': customers,
      'npx autotask-bot help (s)': npxHelp,
      'help over node -e 0': round(help.median / bare.median, 2),
      'status over node -e 0': round(status.median / bare.median, 2),
    },
    {
      [`help median ≤ ${TARGET_S} s`]: help.median <= TARGET_S,
      [`status median ≤ ${TARGET_S} s`]: status.median <= TARGET_S,
      [`customers median ≤ ${TARGET_S} s`]: customers.median <= TARGET_S,
    },
  );
} finally {
  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
  fs.rmSync(work, { recursive: true, force: true });
}
