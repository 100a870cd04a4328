// A source as `sources` and the status card show it: configured or not, on or not, its next
// pull and how its last one went.
import type { Problem } from '../core/problem.js';
import type { SourceName, SourceTestReport } from './sourceConnector.js';
import type { SourceFinding } from './sourceFinding.js';

export interface LastPullView {
  pullId: string;
  outcome: string;
  pullDate: string;
  startedAt: Date;
  finishedAt: Date | null;
  customers: number;
  subscriptions: number;
  eventsNew: number;
  eventsAlreadyStored: number;
  requests: number;
  findings: SourceFinding[];
  problem: Problem | null;
}

export interface SourceView {
  source: SourceName;
  label: string;
  /** not configured: its settings are missing */
  mode: 'live' | 'stand-in' | 'not configured';
  enabled: boolean;
  addedBy: string | null;
  cron: string | null;
  nextPullAt: Date | null;
  lastPull: LastPullView | null;
}

export type AddSourceOutcome =
  | { ok: true; source: SourceView; report: SourceTestReport }
  | { ok: false; error: Problem; report: SourceTestReport | null };

export type TestSourceOutcome =
  { ok: true; report: SourceTestReport } | { ok: false; error: Problem; report: SourceTestReport | null };
