// `npm run bench`: every benchmark in turn, each in its own process (so one's memory and event
// loop never colour another's figures), on one embedded PostgreSQL started here. Each prints its
// figures and writes test/bench/results/<name>.json; this ends with the targets met or missed.
//
//   npm run bench                 # all
//   npm run bench -- api slack    # some (api, slack, wall, memory, import, cli)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR, machine, withDatabaseServer } from './benchRun.js';

const BENCHES = {
  api: { file: 'apiEconomy.bench.ts', result: 'apiEconomy' },
  slack: { file: 'slackAck.bench.ts', result: 'slackAck' },
  wall: { file: 'wallTime.bench.ts', result: 'wallTime' },
  memory: { file: 'memory.bench.ts', result: 'memory' },
  import: { file: 'importBench.ts', result: 'import' },
  cli: { file: 'cliStartup.bench.ts', result: 'cliStartup' },
} as const;
type BenchName = keyof typeof BENCHES;

const asked = process.argv.slice(2).filter((a): a is BenchName => a in BENCHES);
const chosen: BenchName[] = asked.length > 0 ? asked : (Object.keys(BENCHES) as BenchName[]);

function run(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, path.join(path.dirname(new URL(import.meta.url).pathname), file)],
      { stdio: 'inherit', env: process.env },
    );
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

await withDatabaseServer(async () => {
  const m = machine();
  console.log(`machine: ${m.cpus} × ${m.model}, ${m.memoryGb} GB, Node ${m.node}`);
  const summary: string[] = [];
  let failed = 0;
  for (const name of chosen) {
    const { file, result } = BENCHES[name];
    console.log(`\n=== ${name} (${file})`);
    const started = performance.now();
    const code = await run(file);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    if (code !== 0) failed++;
    const json = path.join(RESULTS_DIR, `${result}.json`);
    const targets = fs.existsSync(json)
      ? ((JSON.parse(fs.readFileSync(json, 'utf8')) as { targets?: Record<string, boolean> }).targets ?? {})
      : {};
    summary.push(
      `${name.padEnd(7)} ${code === 0 ? 'ran' : `exit ${code}`} in ${seconds} s` +
        Object.entries(targets)
          .map(([t, met]) => `; ${met ? 'MET' : 'MISSED'}: ${t}`)
          .join(''),
    );
  }
  console.log(`\n=== summary\n${summary.join('\n')}`);
  if (failed > 0) process.exitCode = 1;
});
