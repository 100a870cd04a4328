// Builds the Autotask client from configuration: against the partner's real database
// (AUTOTASK_MODE=live), or against a built-in sandbox started in this process
// (AUTOTASK_MODE=sandbox: SANDBOX_SEED or the demo seed; the AUTOTASK_* credentials if given,
// else the fixed demo credentials).
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

export function sandboxSeed(file: string | undefined): SandboxSeed {
  return file ? readSeedFile(file) : buildDemoSeed();
}

export async function connectAutotask(
  autotask: Config['autotask'],
  logger?: Logger,
): Promise<AutotaskConnection> {
  const common = {
    maxInFlightPerEndpoint: autotask.maxInFlightPerEndpoint,
    budgetShare: autotask.budgetShare,
    impersonationResourceId: autotask.impersonationResourceId,
    logger,
  };
  if (autotask.mode === 'sandbox') {
    const credentials = sandboxCredentials(autotask);
    const sandbox = await startAutotaskSandbox({
      port: autotask.sandboxPort,
      seed: sandboxSeed(autotask.sandboxSeed),
      credentials,
    });
    logger?.info(
      { url: sandbox.url, seed: autotask.sandboxSeed ?? 'demo' },
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
