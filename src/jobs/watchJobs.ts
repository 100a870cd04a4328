// The two watches after an upload (docs/drift-watch.md, docs/reconciliation.md): the monthly
// reconciliation of every customer, posted to the notification channel once per month, and the
// daily drift watch, one card per customer whose Autotask lines were changed by hand. Autotask
// being unreachable is retried by the job's policy; the drift watch tells nobody twice.
import { z } from 'zod';
import type { Problem } from '../core/problem.js';
import type { ReconciliationSummary } from '../reconciliation/reconciliationSummary.js';
import type { DriftWarningData, DriftWatchSummary } from '../useCases/watchDrift.js';
import { JobError } from './jobError.js';
import type { Notice } from './notifier.js';

export const ReconcileMonthJobDataSchema = z.object({
  /** YYYY-MM; absent: the month that ended last */
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .nullable()
    .optional(),
  /** the repeating job (the schedule) rather than a one-off run */
  scheduled: z.boolean().optional(),
});
export type ReconcileMonthJobData = z.infer<typeof ReconcileMonthJobDataSchema>;
export const DriftWatchJobDataSchema = z.object({ scheduled: z.boolean().optional() });

export interface WatchJobDependencies {
  /** RECONCILE_CRON: when the monthly reconciliation runs (UTC) */
  reconcileCron: string;
  /** DRIFT_WATCH_CRON: when the drift watch runs (UTC) */
  driftCron: string;
  /** reconciles every customer for the month, the CSV published */
  reconcile: (
    month: string | null,
  ) => Promise<{ ok: true; summary: ReconciliationSummary } | { ok: false; problem: Problem }>;
  watchDrift: (tell: (key: string, warning: DriftWarningData) => Promise<void>) => Promise<DriftWatchSummary>;
}

type Notify = (key: string, notice: Notice) => Promise<void>;

export async function runReconcileMonth(
  deps: WatchJobDependencies & { notify: Notify },
  data: ReconcileMonthJobData,
): Promise<Record<string, unknown>> {
  const outcome = await deps.reconcile(data.month ?? null);
  if (!outcome.ok) {
    const why = outcome.problem;
    if (why.code === 'AUTOTASK_UNREACHABLE') throw new JobError(why.code, why.message, why.hint);
    await deps.notify(`reconciliation:${data.month ?? 'last'}:${why.code}`, {
      kind: 'failure',
      runId: null,
      customerName: 'all customers',
      what: `the monthly reconciliation could not run: ${why.message}`,
      errors: [why],
      retryCommand: `reconcile all${data.month ? ` ${data.month}` : ''}`,
    });
    return { outcome: 'failed', code: why.code };
  }
  const { summary } = outcome;
  // one notice per month: a retried or re-run job does not post the month twice
  await deps.notify(`reconciliation:${summary.month}`, { kind: 'reconciliation', summary });
  return { month: summary.month, lines: summary.lineCount, differing: summary.differing };
}

export async function runDriftWatch(
  deps: WatchJobDependencies & { notify: Notify },
): Promise<Record<string, unknown>> {
  const summary = await deps.watchDrift((key, warning) => deps.notify(key, { kind: 'drift', ...warning }));
  // the customers that could be read were told; the rest are tried again by the job's policy
  if (summary.unreadable.length > 0)
    throw new JobError(
      'AUTOTASK_UNREACHABLE',
      `Autotask could not be read for ${summary.unreadable.length} customer(s) (${summary.unreadable[0]!.customerName}: ${summary.unreadable[0]!.message})`,
      'run `test`; the watch tries again',
    );
  return { ...summary, unreadable: 0 };
}
