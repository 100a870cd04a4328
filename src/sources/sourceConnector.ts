// What a subscription source (Pax8, Microsoft Partner Center) hands the bot: its customers, its
// subscriptions described as the import path describes them, and either each subscription's
// dated history (Pax8) or a snapshot of the current state plus the dates its activity records
// give (Partner Center). The connectors read; src/useCases/pullSource.ts stores, through the
// same path as every other input (docs/sources.md).
import type { Problem } from '../core/problem.js';
import type { HistoryEvent } from '../subscriptions/historyEvent.js';
import type { BillingType, SubscriptionState } from '../subscriptions/subscriptionValues.js';

export const SOURCE_NAMES = ['pax8', 'partner-center'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** A customer as the source knows it. */
export interface SourceCustomer {
  /** the source's own id: a Pax8 company id, a Microsoft customer tenant id */
  sourceId: string;
  name: string;
  /** the customer's Microsoft Entra tenant id when the source tells it (one customer across sources) */
  tenantId?: string | undefined;
  domain?: string | undefined;
}

/** The commitment a subscription runs under (NCE), kept for later guardrails. */
export interface SourceTerm {
  /** ISO 8601 duration as the source writes it: P1M, P1Y, P3Y */
  duration?: string | undefined;
  /** YYYY-MM-DD: the commitment ends */
  endDate?: string | undefined;
  autoRenew?: boolean | undefined;
}

export interface SourceSubscription {
  /** the source's own subscription id, stored as the subscription's id */
  id: string;
  customerSourceId: string;
  productName: string;
  sku?: string | undefined;
  billingType: BillingType;
  /** monthly | annual, or the source's own word kept verbatim (reported as unsupported later) */
  billingCycle: string;
  currency: string;
  unitCost?: string | undefined;
  term?: SourceTerm | undefined;
}

/** A row the source sent that the bot could not read: named by the source's id, the rest stored. */
export interface SourceRowProblem {
  entity: 'company' | 'customer' | 'product' | 'subscription' | 'history' | 'activity';
  /** the source's id of the row, when it has a readable one */
  sourceId?: string | undefined;
  reason: string;
}

/** Pax8: every subscription's history, as dated events carrying the source's own ids. */
export interface HistoryPull {
  kind: 'history';
  customers: SourceCustomer[];
  subscriptions: SourceSubscription[];
  /** sourceEventId set on each: the source's history id (so a re-pull stores nothing new) */
  events: HistoryEvent[];
  problems: SourceRowProblem[];
  /** HTTP requests the pull made, token requests included (the API budget) */
  requests: number;
}

/** A dated change an activity (audit) record tells, to date a snapshot's difference. */
export interface SourceActivity {
  subscriptionId: string;
  /** what the record changed */
  change: 'quantity' | 'status' | 'billingCycle' | 'price' | 'created';
  /** YYYY-MM-DD */
  date: string;
  /** the record's own id, for the audit trail */
  recordId?: string | undefined;
}

/** Partner Center: the state of every subscription today, and the activity records' dates. */
export interface SnapshotPull {
  kind: 'snapshot';
  customers: SourceCustomer[];
  subscriptions: (SourceSubscription & { state: SubscriptionState })[];
  activity: SourceActivity[];
  problems: SourceRowProblem[];
  requests: number;
}

export type SourcePull = HistoryPull | SnapshotPull;

export interface PullRequest {
  /** only these customers (source ids); all when absent */
  customerSourceIds?: readonly string[] | undefined;
  /** YYYY-MM-DD: the last successful pull's day; activity records are read from it */
  since?: string | undefined;
  /** YYYY-MM-DD: the pull's day (a snapshot is dated it) */
  today: string;
  onProgress?: ((progress: PullProgress) => void) | undefined;
}

export interface PullProgress {
  phase: 'customers' | 'products' | 'subscriptions' | 'history' | 'activity';
  done: number;
  /** when the source tells it */
  total?: number | undefined;
}

/** One line of `source test`: ok, differs or cannot check, with what to do. */
export interface SourceCheck {
  name: string;
  outcome: 'ok' | 'failed' | 'cannot-check';
  detail: string;
  problem?: Problem | undefined;
}

export interface SourceTestReport {
  source: SourceName;
  baseUrl: string;
  checks: SourceCheck[];
  /** what the source holds, where it was counted */
  counts: { customers?: number; subscriptions?: number; products?: number };
  /** the slowest request's latency and the median, in ms */
  latencyMs: { median: number; max: number } | undefined;
  requests: number;
}

export interface SourceConnector {
  readonly name: SourceName;
  /** where it reads from (the stand-in's URL in the demo) */
  readonly baseUrl: string;
  /** credentials, permissions, counts and latency, read only */
  test(): Promise<SourceTestReport>;
  /** Throws SourceError (src/sources/sourceError.ts) when the pull cannot complete. */
  pull(request: PullRequest): Promise<SourcePull>;
}
