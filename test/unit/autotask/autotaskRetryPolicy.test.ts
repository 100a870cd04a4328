import {
  DEFAULT_AUTOTASK_RETRY_POLICY,
  parseRetryAfter,
  retryDelayMs,
} from '../../../src/autotask/retryPolicy.js';

describe('retry policy', () => {
  const policy = {
    ...DEFAULT_AUTOTASK_RETRY_POLICY,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    maxRetryAfterMs: 5_000,
  };

  it('grows the jitter ceiling exponentially up to the maximum', () => {
    const atCeiling = () => 1;
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, policy, undefined, atCeiling))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(retryDelayMs(3, policy, undefined, () => 0.5)).toBe(200);
  });

  it('honours Retry-After, and gives up when it asks for longer than the policy allows', () => {
    expect(retryDelayMs(1, policy, 3)).toBe(3_000);
    expect(retryDelayMs(1, policy, 0)).toBe(0);
    expect(retryDelayMs(1, policy, 60)).toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
