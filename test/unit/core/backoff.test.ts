import { exponentialBackoffMs } from '../../../src/core/backoff.js';

describe('exponentialBackoffMs', () => {
  it('waits the first delay after the first failure and doubles after each further one', () => {
    expect([1, 2, 3, 4].map((n) => exponentialBackoffMs(n, { firstDelayMs: 250 }))).toEqual([
      250, 500, 1000, 2000,
    ]);
  });

  it('never waits longer than the ceiling', () => {
    expect(
      [1, 5, 6, 20].map((n) => exponentialBackoffMs(n, { firstDelayMs: 1000, maxDelayMs: 20_000 })),
    ).toEqual([1000, 16_000, 20_000, 20_000]);
  });
});
