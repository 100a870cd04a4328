// How often a job that throws is tried again, and when it is given up. The same function is the
// Agenda backoff and tells the job wrapper whether this failure is the last one (so the final
// failure is audited and notified exactly once).
import type { BackoffStrategy } from 'agenda';
import { z } from 'zod';

export const RetryPolicySchema = z.object({
  /** tries after the first one */
  maxRetries: z.number().int().min(0).max(20),
  /** delay before the first retry; doubles each time */
  delayMs: z.number().int().min(0),
  maxDelayMs: z.number().int().min(0),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, delayMs: 30_000, maxDelayMs: 10 * 60_000 };

/** PURE: the delay before retry number `attempt` (1-based), or null when retries are exhausted. */
export function retryDelay(policy: RetryPolicy, attempt: number): number | null {
  if (attempt > policy.maxRetries) return null;
  return Math.min(policy.delayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

export const backoffFor =
  (policy: RetryPolicy): BackoffStrategy =>
  ({ attempt }) =>
    retryDelay(policy, attempt);
