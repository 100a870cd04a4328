// Runs the real CLI (`node bin/autotask-bot.js ...`) as a child process, the way a partner does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve('bin/autotask-bot.js');

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Only what the test names: no developer variables leak in. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOG_FORMAT: 'json', ...extra };
}

export function startCli(args: string[], env: Record<string, string>): RunningProcess {
  return track(
    spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

/** `npm start` exactly as a partner types it (signals go to npm, which must pass them on). */
export function startNpm(env: Record<string, string>): RunningProcess {
  // Its own process group, so cleanup can reach anything npm left behind.
  const run = track(
    spawn('npm', ['start', '--silent'], {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );
  groups.add(run.child.pid!);
  return run;
}

const groups = new Set<number>();

/** Kills every process group started by startNpm (for afterAll: no test leaves a server behind). */
export function killStartedGroups(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}

function track(child: ChildProcess): RunningProcess {
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let signalledAt = 0;
  const originalKill = child.kill.bind(child);
  child.kill = (signal?: NodeJS.Signals | number) => {
    signalledAt = Date.now();
    return originalKill(signal);
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve({ code, signal, ms: signalledAt ? Date.now() - signalledAt : 0 }),
    ),
  );
  return { child, output: () => output, exited };
}

export async function runCliToEnd(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const run = startCli(args, env);
  const { code } = await run.exited;
  return { code, output: run.output() };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
