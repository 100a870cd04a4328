// The subscription sources this process can reach (docs/sources.md): a vendor's API where its
// credentials are set; in the demo (nothing configured), the built-in stand-in of Pax8, seeded
// with the demo partner, so `npm start` pulls instead of importing a file.
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
