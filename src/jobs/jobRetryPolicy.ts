// How often a job that throws is tried again, and when it is given up. The same function is the
// Agenda backoff and tells the job wrapper whether this failure is the last one (so the final
// failure is audited and notified exactly once). Counted as the Autotask client's policy
// (autotask/retryPolicy.ts) counts: attempts in all, the first included.
import type { BackoffStrategy } from 'agenda';
import { z } from 'zod';
import { exponentialBackoffMs } from '../core/backoff.js';

export const JobRetryPolicySchema = z.object({
  /** attempts in all, the first included (1: never retried) */
  maxAttempts: z.number().int().min(1).max(21),
  /** delay before the second attempt; doubles each time */
  delayMs: z.number().int().min(0),
  maxDelayMs: z.number().int().min(0),
});
export type JobRetryPolicy = z.infer<typeof JobRetryPolicySchema>;

export const DEFAULT_JOB_RETRY_POLICY: JobRetryPolicy = {
  maxAttempts: 4,
  delayMs: 30_000,
  maxDelayMs: 10 * 60_000,
};

/**
 * PURE: the delay after attempt `attempt` (counted from 1) failed, before the next one; null when
 * that was the last attempt.
 */
export function jobRetryDelay(policy: JobRetryPolicy, attempt: number): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return exponentialBackoffMs(attempt, { firstDelayMs: policy.delayMs, maxDelayMs: policy.maxDelayMs });
}

/** Agenda's `attempt` is the number of failures so far: the attempt that just failed. */
export const backoffFor =
  (policy: JobRetryPolicy): BackoffStrategy =>
  ({ attempt }) =>
    jobRetryDelay(policy, attempt);
