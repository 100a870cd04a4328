// Exponential backoff with full jitter, bounded attempts, and Autotask's Retry-After honoured
// (capped, so a confused server cannot park the bot for an hour). Delays are options so tests
// can run with milliseconds. Counted as the jobs' policy (jobs/jobRetryPolicy.ts) counts:
// attempts in all, the first included.
import { exponentialBackoffMs } from '../core/backoff.js';
export interface AutotaskRetryPolicy {
  /** attempts in all, the first included (1: never sent again) */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** the longest Retry-After we wait for; longer ones end the retrying */
  maxRetryAfterMs: number;
}

export const DEFAULT_AUTOTASK_RETRY_POLICY: AutotaskRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1). Retry-After wins when given;
 * otherwise a random delay in [0, min(max, base × 2^(attempt-1))] ("full jitter").
 * Returns undefined when the server asks for a wait longer than the policy allows.
 */
export function retryDelayMs(
  attempt: number,
  policy: AutotaskRetryPolicy,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterSeconds !== undefined) {
    const ms = retryAfterSeconds * 1000;
    return ms > policy.maxRetryAfterMs ? undefined : ms;
  }
  const ceiling = exponentialBackoffMs(attempt, {
    firstDelayMs: policy.baseDelayMs,
    maxDelayMs: policy.maxDelayMs,
  });
  return Math.round(random() * ceiling);
}

export { parseRetryAfter } from '../core/retryAfter.js';
