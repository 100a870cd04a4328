// What the bot counts, as a port: the parts that count (the Autotask client, the job worker, the
// upload job, the HTTP server, the ingest API) call these methods and never see prom-client; the
// composition root hands them the Prometheus recorder (prometheusMetrics.ts), anyone else gets
// noMetrics. Every metric, its labels and its meaning: docs/operations.md.

/** "200", "429", … for an HTTP answer; "network" or "timeout" when none came */
export type AutotaskCallStatus = string;

export type UploadOutcome = 'succeeded' | 'partially_failed' | 'failed' | 'refused';

/** per upload attempt: done or skipped by it, or still not done when it ended */
export type OperationOutcome = 'done' | 'skipped' | 'not_done';

export type ChatPlatformName = 'slack' | 'teams';

export type JobOutcome = 'succeeded' | 'failed';

export type ImportOutcome = 'accepted' | 'refused';

export interface Metrics {
  /** one request sent to Autotask (every attempt counts, retries too) */
  autotaskCall(endpoint: string, status: AutotaskCallStatus): void;
  /** a request about to be sent again after a retryable failure */
  autotaskRetry(endpoint: string): void;
  /** the database's hourly request count as a share of its threshold, and the share the bot stops at */
  autotaskBudget(usedShare: number, limitShare: number): void;
  upload(outcome: UploadOutcome, seconds: number): void;
  operations(outcome: OperationOutcome, count: number): void;
  /** a chat platform's HTTP request, from its arrival to the answer (for Slack: the ack) */
  chatRequest(platform: ChatPlatformName, status: number, seconds: number): void;
  jobRun(job: string, outcome: JobOutcome): void;
  /** rows of an import (`channel`: where they came from) */
  importRows(channel: string, outcome: ImportOutcome, count: number): void;
}

const nothing = () => undefined;

/** The recorder of whoever has no metrics endpoint (the CLI, most tests). */
export const noMetrics: Metrics = {
  autotaskCall: nothing,
  autotaskRetry: nothing,
  autotaskBudget: nothing,
  upload: nothing,
  operations: nothing,
  chatRequest: nothing,
  jobRun: nothing,
  importRows: nothing,
};
