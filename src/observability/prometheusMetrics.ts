// The Metrics port on prom-client, for GET /metrics. One registry per running bot, never the
// global default one: tests start several bots in one process, and each must count only its own.
// Metric names, labels and meanings: docs/operations.md.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from './metrics.js';

const PREFIX = 'autotask_bot_';

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly autotaskCalls: Counter<'endpoint' | 'status'>;
  private readonly autotaskRetries: Counter<'endpoint'>;
  private readonly budgetUsed: Gauge;
  private readonly budgetLimit: Gauge;
  private readonly uploads: Counter<'outcome'>;
  private readonly uploadSeconds: Histogram<'outcome'>;
  private readonly operationCount: Counter<'outcome'>;
  private readonly chatRequests: Counter<'platform' | 'status'>;
  private readonly chatAckSeconds: Histogram<'platform'>;
  private readonly jobRuns: Counter<'job' | 'outcome'>;
  private readonly jobFailures: Counter<'job'>;
  private readonly importRowCount: Counter<'channel' | 'outcome'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    this.autotaskCalls = new Counter({
      name: `${PREFIX}autotask_requests_total`,
      help: 'Requests sent to Autotask, every attempt, by endpoint ("POST Companies/query") and HTTP status (or network, timeout)',
      labelNames: ['endpoint', 'status'],
      registers,
    });
    this.autotaskRetries = new Counter({
      name: `${PREFIX}autotask_retries_total`,
      help: 'Autotask requests sent again after a retryable failure, by endpoint',
      labelNames: ['endpoint'],
      registers,
    });
    this.budgetUsed = new Gauge({
      name: `${PREFIX}autotask_hourly_budget_used_ratio`,
      help: "The Autotask database's requests this hour as a share of its hourly threshold (all integrations), as last known",
      registers,
    });
    this.budgetLimit = new Gauge({
      name: `${PREFIX}autotask_hourly_budget_limit_ratio`,
      help: 'The share of the hourly threshold at which the bot waits instead of sending (AUTOTASK_BUDGET_SHARE)',
      registers,
    });
    this.uploads = new Counter({
      name: `${PREFIX}uploads_total`,
      help: 'Upload attempts by outcome (succeeded, partially_failed, failed, refused)',
      labelNames: ['outcome'],
      registers,
    });
    this.uploadSeconds = new Histogram({
      name: `${PREFIX}upload_duration_seconds`,
      help: 'How long an upload attempt took, from its start to its outcome, by outcome',
      labelNames: ['outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.operationCount = new Counter({
      name: `${PREFIX}operations_total`,
      help: 'Operations of upload attempts by outcome: done or skipped by the attempt, or not_done when it ended',
      labelNames: ['outcome'],
      registers,
    });
    this.chatRequests = new Counter({
      name: `${PREFIX}chat_requests_total`,
      help: 'HTTP requests of the chat platforms (/slack/events, /api/messages) by platform and answer status',
      labelNames: ['platform', 'status'],
      registers,
    });
    this.chatAckSeconds = new Histogram({
      name: `${PREFIX}chat_ack_duration_seconds`,
      help: "From a chat request's arrival to its HTTP answer (Slack: the ack, due within 3 s), by platform",
      labelNames: ['platform'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.jobRuns = new Counter({
      name: `${PREFIX}job_runs_total`,
      help: 'Job executions by job name and outcome (each retry is a run)',
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.jobFailures = new Counter({
      name: `${PREFIX}job_failures_total`,
      help: 'Job executions that failed, by job name',
      labelNames: ['job'],
      registers,
    });
    this.importRowCount = new Counter({
      name: `${PREFIX}import_rows_total`,
      help: 'Rows (events, snapshot subscriptions) received for import, by channel and outcome (accepted, refused)',
      labelNames: ['channel', 'outcome'],
      registers,
    });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  autotaskCall(endpoint: string, status: string): void {
    this.autotaskCalls.inc({ endpoint, status });
  }

  autotaskRetry(endpoint: string): void {
    this.autotaskRetries.inc({ endpoint });
  }

  autotaskBudget(usedShare: number, limitShare: number): void {
    this.budgetUsed.set(usedShare);
    this.budgetLimit.set(limitShare);
  }

  upload(outcome: string, seconds: number): void {
    this.uploads.inc({ outcome });
    this.uploadSeconds.observe({ outcome }, seconds);
  }

  operations(outcome: string, count: number): void {
    if (count > 0) this.operationCount.inc({ outcome }, count);
  }

  chatRequest(platform: string, status: number, seconds: number): void {
    this.chatRequests.inc({ platform, status: String(status) });
    this.chatAckSeconds.observe({ platform }, seconds);
  }

  jobRun(job: string, outcome: string): void {
    this.jobRuns.inc({ job, outcome });
    if (outcome === 'failed') this.jobFailures.inc({ job });
  }

  importRows(channel: string, outcome: string, count: number): void {
    if (count > 0) this.importRowCount.inc({ channel, outcome }, count);
  }
}
