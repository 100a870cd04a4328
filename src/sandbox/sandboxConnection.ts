// The composition root's choice of Autotask: the partner's real database (AUTOTASK_MODE=live), or
// a built-in sandbox started in this process (AUTOTASK_MODE=sandbox: SANDBOX_SEED or the demo
// seed; the AUTOTASK_* credentials if given, else the fixed demo credentials), whose URL and
// credentials the client is then given like any other. Given a data directory, the sandbox keeps
// its data in DATA_DIR/autotask-sandbox.json, so uploads made before a restart are still there.
import path from 'node:path';
import {
  connectAutotaskAt,
  connectLiveAutotask,
  type AutotaskConnection,
} from '../autotask/autotaskConnection.js';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { buildDemoSeed } from './demoSeed.js';
import { readSeedFile, type SandboxSeed } from './sandboxSeed.js';
import {
  DEMO_SANDBOX_CREDENTIALS,
  startAutotaskSandbox,
  type RunningSandbox,
  type SandboxCredentials,
} from './sandboxServer.js';

export interface SandboxedAutotaskConnection extends AutotaskConnection {
  /** the in-process sandbox, in sandbox mode */
  sandbox: RunningSandbox | undefined;
}

export function sandboxCredentials(autotask: Config['autotask']): SandboxCredentials {
  return autotask.username && autotask.secret && autotask.integrationCode
    ? { username: autotask.username, secret: autotask.secret, integrationCode: autotask.integrationCode }
    : DEMO_SANDBOX_CREDENTIALS;
}

/** Where an in-process sandbox keeps its data between starts. */
export const sandboxStateFile = (dataDir: string): string => path.join(dataDir, 'autotask-sandbox.json');

/**
 * Persist the in-process sandbox when the database is the embedded one in DATA_DIR: then both
 * halves of "what was uploaded" live in the same folder and survive (or vanish) together. With an
 * external DATABASE_URL, DATA_DIR says nothing about which database the sandbox would match.
 */
export function sandboxPersistence(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
): { dataDir: string } | undefined {
  return config.databaseUrl ? undefined : { dataDir: config.dataDir };
}

export function sandboxSeed(file: string | undefined): SandboxSeed {
  return file ? readSeedFile(file) : buildDemoSeed();
}

/** Starts the built-in sandbox and connects a client to it. */
export async function connectSandboxAutotask(
  autotask: Config['autotask'],
  logger?: Logger,
  /** persist the sandbox's data under this DATA_DIR */
  persist?: { dataDir: string },
  /** where the client counts its requests (GET /metrics) */
  metrics?: Metrics,
): Promise<SandboxedAutotaskConnection> {
  const credentials = sandboxCredentials(autotask);
  const stateFile = persist && sandboxStateFile(persist.dataDir);
  const sandbox = await startAutotaskSandbox({
    port: autotask.sandboxPort,
    seed: sandboxSeed(autotask.sandboxSeed),
    credentials,
    stateFile,
    onSaveError: (error) =>
      logger?.error(
        { err: error, stateFile },
        'SANDBOX_STATE_NOT_SAVED: the sandbox could not save its data — check DATA_DIR is writable',
      ),
  });
  logger?.info(
    { url: sandbox.url, seed: autotask.sandboxSeed ?? 'demo', stateFile: stateFile ?? null },
    `built-in Autotask sandbox listening on ${sandbox.url}`,
  );
  const connection = connectAutotaskAt(
    autotask,
    { ...credentials, zoneUrl: sandbox.zoneUrl },
    logger,
    metrics,
  );
  return { ...connection, sandbox, stop: () => sandbox.stop() };
}

/** Sandbox or live, as AUTOTASK_MODE says. */
export async function connectConfiguredAutotask(
  config: Pick<Config, 'autotask' | 'databaseUrl' | 'dataDir'>,
  logger?: Logger,
  metrics?: Metrics,
): Promise<SandboxedAutotaskConnection> {
  return config.autotask.mode === 'sandbox'
    ? connectSandboxAutotask(config.autotask, logger, sandboxPersistence(config), metrics)
    : { ...connectLiveAutotask(config.autotask, logger, metrics), sandbox: undefined };
}
