// Builds the Autotask client from configuration, for the Autotask the composition root chose: the
// partner's real database (AUTOTASK_MODE=live), or an endpoint it started itself and hands over
// by URL and credentials (the built-in sandbox). The client knows nothing of where it points.
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { AutotaskClient } from './autotaskClient.js';

export interface AutotaskCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

export interface AutotaskConnection {
  client: AutotaskClient;
  /** the Autotask database written to (zone or base URL, API user): what the upload lock is named by */
  database: { zoneUrl: string; username: string };
  stop(): Promise<void>;
}

/** How the configuration tunes every client, wherever it points. */
const tuning = (autotask: Config['autotask'], logger: Logger | undefined, metrics: Metrics | undefined) => ({
  maxInFlightPerEndpoint: autotask.maxInFlightPerEndpoint,
  budgetShare: autotask.budgetShare,
  impersonationResourceId: autotask.impersonationResourceId,
  logger,
  metrics,
});

/** A connection to the Autotask at `zoneUrl` with these credentials, tuned by the configuration. */
export function connectAutotaskAt(
  autotask: Config['autotask'],
  endpoint: AutotaskCredentials & { zoneUrl: string },
  logger?: Logger,
  /** where the client counts its requests (GET /metrics) */
  metrics?: Metrics,
): AutotaskConnection {
  return {
    client: new AutotaskClient({ ...endpoint, ...tuning(autotask, logger, metrics) }),
    database: { zoneUrl: endpoint.zoneUrl, username: endpoint.username },
    stop: async () => undefined,
  };
}

/** The partner's real Autotask database, as configured (AUTOTASK_MODE=live). */
export function connectLiveAutotask(
  autotask: Config['autotask'],
  logger?: Logger,
  metrics?: Metrics,
): AutotaskConnection {
  if (!autotask.username || !autotask.secret || !autotask.integrationCode)
    throw new Error(
      'AUTOTASK_CREDENTIALS_MISSING: live mode needs AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE',
    );
  const client = new AutotaskClient({
    ...tuning(autotask, logger, metrics),
    username: autotask.username,
    secret: autotask.secret,
    integrationCode: autotask.integrationCode,
    baseUrl: autotask.baseUrl,
    zoneUrl: autotask.zoneUrl,
  });
  return {
    client,
    database: { zoneUrl: autotask.baseUrl ?? autotask.zoneUrl, username: autotask.username },
    stop: async () => undefined,
  };
}
