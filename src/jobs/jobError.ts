// A job failure a person can act on: thrown by job bodies so Agenda retries by policy, and shown
// (as a Problem: code, message, hint) in the audit record and the failure notification when
// retries run out.
import { AutotaskError } from '../autotask/autotaskError.js';
import { problem, type Problem } from '../core/problem.js';
import { processSecrets } from '../observability/secretScrubber.js';

/** The codes the jobs part raises itself; a job may also carry a use case's refusal code. */
export type JobErrorCode =
  | 'JOBS_AUTOTASK_UNAVAILABLE'
  | 'JOBS_PLANNING_UNAVAILABLE'
  | 'JOBS_SOURCES_UNAVAILABLE'
  | 'JOB_DATA_INVALID'
  | 'VALIDATION_FAILED'
  | 'JOB_FAILED';

const JOB_HINTS: Record<JobErrorCode, string> = {
  JOBS_AUTOTASK_UNAVAILABLE: 'start the worker with the Autotask settings, then retry',
  JOBS_PLANNING_UNAVAILABLE: 'start the bot with mapping configured, then retry',
  JOBS_SOURCES_UNAVAILABLE:
    'start the bot itself (serve), which has the source settings; the CLI takes uploads only',
  JOB_DATA_INVALID: 'schedule the job again from chat or the CLI',
  VALIDATION_FAILED: 'fix what the validation reports, then validate again',
  JOB_FAILED: 'see the worker log for this job, fix the cause, then retry',
};

/** For a refusal code of another area (RUN_STATE, PLAN_STALE, …) carried by a job. */
const OTHER_HINT = 'look at the run (`run <id>`), fix what it says, then retry';

const hintFor = (code: string): string => JOB_HINTS[code as JobErrorCode] ?? OTHER_HINT;

export class JobError extends Error {
  readonly problem: Problem;

  constructor(
    readonly code: JobErrorCode | (string & {}),
    message: string,
    hint: string = hintFor(code),
  ) {
    super(`${code}: ${message}`);
    this.name = 'JobError';
    this.problem = problem(code, message, hint);
  }
}

/**
 * The problem of any error, for audit records, job executions and notices (never a stack trace,
 * never a secret: a vendor's error text may echo what it was sent). Only a JobError or an
 * AutotaskError says which code it is; anything else is JOB_FAILED.
 */
export function describeJobError(error: unknown): Problem {
  const scrubbed = (p: Problem): Problem => ({ ...p, message: processSecrets.scrubText(p.message) });
  if (error instanceof JobError || error instanceof AutotaskError) return scrubbed(error.problem);
  const text = processSecrets.scrubText(error instanceof Error ? error.message : String(error));
  return problem('JOB_FAILED', text.slice(0, 500), JOB_HINTS.JOB_FAILED);
}
