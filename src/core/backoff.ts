// The one exponential backoff: the wait doubles after each failed attempt, up to a ceiling.
// Callers add their own jitter (Autotask: full jitter; Teams: a few ms) or none (jobs).

/**
 * PURE: the wait after failed attempt `attempt` (counted from 1): `firstDelayMs` after the
 * first, twice that after the second, …, never more than `maxDelayMs`.
 */
export function exponentialBackoffMs(
  attempt: number,
  delays: { firstDelayMs: number; maxDelayMs?: number },
): number {
  const doubled = delays.firstDelayMs * 2 ** Math.max(0, attempt - 1);
  return delays.maxDelayMs === undefined ? doubled : Math.min(doubled, delays.maxDelayMs);
}
