// The scheduled pull of a subscription source (docs/sources.md "Schedules"): daily by default,
// an hour before the daily validations, so they see what the source says today. A source that
// could not be reached is retried by the job's policy; a refusal no retry can mend (credentials,
// a mass cancel) and a pull with refused rows reach the notification channel at once.
import { z } from 'zod';
import { formatProblem } from '../core/problem.js';
import { SOURCE_NAMES, type SourceName } from '../sources/sourceConnector.js';
import { SOURCE_LABEL, type PullSummary } from '../sources/pullSummary.js';
import { JobError } from './jobError.js';
import type { Notice } from './notifier.js';

export const SourcePullJobDataSchema = z.object({ source: z.enum(SOURCE_NAMES) });
export type SourcePullJobData = z.infer<typeof SourcePullJobDataSchema>;

export interface SourcePullJobDependencies {
  /** runs pullSource as the scheduler (src/useCases/pullSource.ts) */
  pull: (source: SourceName) => Promise<PullSummary>;
  /** the source is still on (`source add`, not removed since) */
  enabled: (source: SourceName) => Promise<boolean>;
  notify: (key: string, notice: Notice) => Promise<void>;
}

/** Failures a later attempt may not meet: retried by the job's policy. */
const PASSING_FAILURES = new Set(['SOURCE_UNREACHABLE', 'SOURCE_RATE_LIMITED']);
/** Findings shown on the notice; the rest are on the status card and `sources`. */
const NOTICE_FINDINGS = 10;

export async function runSourcePull(
  deps: SourcePullJobDependencies,
  data: SourcePullJobData,
): Promise<Record<string, unknown>> {
  if (!(await deps.enabled(data.source))) return { skipped: 'the source was removed' };
  const summary = await deps.pull(data.source);
  const label = SOURCE_LABEL[data.source];
  if (summary.outcome === 'failed') {
    const why = summary.problem!;
    // someone pulled it just now (`source sync`): that pull is this one
    if (why.code === 'SOURCE_PULL_RUNNING') return { skipped: why.message };
    if (PASSING_FAILURES.has(why.code)) throw new JobError(why.code, why.message, why.hint);
    await deps.notify(`source:${summary.pullId}:failed`, {
      kind: 'failure',
      runId: null,
      customerName: `${label} (all customers)`,
      what: `the scheduled ${label} pull failed and stored nothing: ${formatProblem(why)}`,
      errors: [why],
      retryCommand: `source sync ${data.source}`,
    });
    return { pullId: summary.pullId, outcome: 'failed', code: why.code };
  }
  if (summary.findings.length > 0)
    await deps.notify(`source:${summary.pullId}:findings`, {
      kind: 'failure',
      runId: null,
      customerName: `${label} (all customers)`,
      what: `the scheduled ${label} pull stored ${summary.eventsNew} new events but left ${summary.findings.length} rows out`,
      errors: summary.findings
        .slice(0, NOTICE_FINDINGS)
        .map(({ code, message, hint }) => ({ code, message, hint })),
      retryCommand: `source sync ${data.source}`,
    });
  return {
    pullId: summary.pullId,
    outcome: summary.outcome,
    eventsNew: summary.eventsNew,
    findings: summary.findings.length,
  };
}
