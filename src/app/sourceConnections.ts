// The subscription sources this process can reach (docs/sources.md): a vendor's API where its
// credentials are set; in the demo (nothing configured), the built-in stand-in of Pax8, seeded
// with the demo partner, so `npm start` pulls instead of importing a file.
import type { Config } from '../config.js';
import { createPartnerCenterConnector } from '../sources/partnerCenter/partnerCenterConnector.js';
import { createPax8Connector } from '../sources/pax8/pax8Connector.js';
import type { PullProgress, SourceConnector, SourceName } from '../sources/sourceConnector.js';
import type { IngestLimits } from '../subscriptions/ingestLimits.js';

export interface SourceConnections {
  connectors: Partial<Record<SourceName, SourceConnector>>;
  modes: Partial<Record<SourceName, 'live' | 'stand-in'>>;
  /** SOURCE_PULL_CRON */
  pullCron: string;
  limits?: IngestLimits | undefined;
  /** the CLI shows a pull's progress on the terminal */
  onProgress?: ((progress: PullProgress) => void) | undefined;
  /** stops the stand-ins this process started */
  close(): Promise<void>;
}

export const NO_SOURCES: SourceConnections = {
  connectors: {},
  modes: {},
  pullCron: '0 1 * * *',
  close: async () => undefined,
};

export interface SourceConnectionOptions {
  /** the demo partner's end date: Pax8 without credentials is the stand-in holding it */
  demoEndDate?: string | undefined;
}

export async function connectSources(
  config: Pick<Config, 'sources' | 'ingestLimits'>,
  options: SourceConnectionOptions = {},
): Promise<SourceConnections> {
  const { pax8, partnerCenter } = config.sources;
  const connections: SourceConnections = {
    connectors: {},
    modes: {},
    pullCron: config.sources.pullCron,
    limits: config.ingestLimits,
    close: async () => undefined,
  };
  if (pax8.clientId && pax8.clientSecret) {
    const { clientId, clientSecret, baseUrl, tokenUrl } = pax8;
    connections.connectors.pax8 = createPax8Connector({ clientId, clientSecret, baseUrl, tokenUrl });
    connections.modes.pax8 = 'live';
  } else if (options.demoEndDate) {
    // loaded only in the demo: the stand-in and the partner generator are no production code
    const [{ generateDemoPartner }, { startPax8StandIn }, { pax8WorldFromPartner }] = await Promise.all([
      import('../demo/demoPartner.js'),
      import('../sandbox/pax8/pax8StandIn.js'),
      import('../sandbox/pax8/pax8WorldFromPartner.js'),
    ]);
    const standIn = await startPax8StandIn({
      world: pax8WorldFromPartner(generateDemoPartner(options.demoEndDate)),
    });
    const { clientId, clientSecret, url: baseUrl, tokenUrl } = standIn;
    connections.connectors.pax8 = createPax8Connector({ clientId, clientSecret, baseUrl, tokenUrl });
    connections.modes.pax8 = 'stand-in';
    connections.close = () => standIn.close();
  }
  if (partnerCenter.appId && partnerCenter.appSecret && partnerCenter.tenantId) {
    connections.connectors['partner-center'] = createPartnerCenterConnector({
      appId: partnerCenter.appId,
      appSecret: partnerCenter.appSecret,
      tenantId: partnerCenter.tenantId,
      refreshToken: partnerCenter.refreshToken,
      baseUrl: partnerCenter.baseUrl,
      loginUrl: partnerCenter.loginUrl,
    });
    connections.modes['partner-center'] = 'live';
  }
  return connections;
}
