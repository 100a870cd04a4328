// What one pull of a source did, as every caller shows it (chat card, CLI, job log, status).
import { formatProblem, type Problem } from '../core/problem.js';
import type { SourceName } from './sourceConnector.js';
import type { SourceFinding } from './sourceFinding.js';

export interface PullSummary {
  pullId: string;
  source: SourceName;
  scope: string;
  pullDate: string;
  outcome: 'ok' | 'partial' | 'failed';
  customers: number;
  customersCreated: number;
  subscriptions: number;
  subscriptionsCreated: number;
  eventsNew: number;
  eventsAlreadyStored: number;
  requests: number;
  findings: SourceFinding[];
  /** why a failed pull failed */
  problem?: Problem | undefined;
}

export const SOURCE_LABEL: Record<SourceName, string> = {
  pax8: 'Pax8',
  'partner-center': 'Microsoft Partner Center',
};

/** One line for a log or a notice. */
export function pullLine(summary: PullSummary): string {
  if (summary.outcome === 'failed')
    return `${SOURCE_LABEL[summary.source]} pull failed: ${formatProblem(summary.problem!)}`;
  return `${SOURCE_LABEL[summary.source]} pull ${summary.outcome}: ${summary.customers} customers, ${summary.subscriptions} subscriptions, ${summary.eventsNew} new events (${summary.eventsAlreadyStored} already stored), ${summary.findings.length} findings, ${summary.requests} API requests`;
}
