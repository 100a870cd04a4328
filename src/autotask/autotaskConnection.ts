// Builds the Autotask client from configuration: against the partner's real database
// (AUTOTASK_MODE=live), or against a built-in sandbox started in this process
// (AUTOTASK_MODE=sandbox: SANDBOX_SEED or the demo seed; the AUTOTASK_* credentials if given,
// else the fixed demo credentials). Given a data directory, the sandbox keeps its data in
// DATA_DIR/autotask-sandbox.json, so uploads made before a restart are still in Autotask after it.
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { AutotaskClient } from './autotaskClient.js';
import { buildDemoSeed } from './sandbox/demoSeed.js';
import { readSeedFile, type SandboxSeed } from './sandbox/sandboxSeed.js';
import {
  DEMO_SANDBOX_CREDENTIALS,
  startAutotaskSandbox,
  type RunningSandbox,
  type SandboxCredentials,
} from './sandbox/sandboxServer.js';

export interface AutotaskConnection {
  client: AutotaskClient;
  /** the in-process sandbox, in sandbox mode */
  sandbox: RunningSandbox | undefined;
  stop(): Promise<void>;
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

export async function connectAutotask(
  autotask: Config['autotask'],
  logger?: Logger,
  /** persist the sandbox's data under this DATA_DIR (sandbox mode only) */
  persist?: { dataDir: string },
): Promise<AutotaskConnection> {
  const common = {
    maxInFlightPerEndpoint: autotask.maxInFlightPerEndpoint,
    budgetShare: autotask.budgetShare,
    impersonationResourceId: autotask.impersonationResourceId,
    logger,
  };
  if (autotask.mode === 'sandbox') {
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
    const client = new AutotaskClient({ ...credentials, ...common, zoneUrl: sandbox.zoneUrl });
    return { client, sandbox, stop: () => sandbox.stop() };
  }
  if (!autotask.username || !autotask.secret || !autotask.integrationCode)
    throw new Error(
      'AUTOTASK_CREDENTIALS_MISSING: live mode needs AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE',
    );
  const client = new AutotaskClient({
    ...common,
    username: autotask.username,
    secret: autotask.secret,
    integrationCode: autotask.integrationCode,
    baseUrl: autotask.baseUrl,
    zoneUrl: autotask.zoneUrl,
  });
  return { client, sandbox: undefined, stop: async () => undefined };
}
