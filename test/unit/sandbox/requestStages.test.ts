// The sandbox's request stages on their own, over one runtime state: the hourly budget refuses
// at its limit with Retry-After and slows from half of it; the thread limit holds 3 per
// endpoint per integration code and gives a thread back on release.
import { SandboxDatabase } from '../../../src/sandbox/sandboxDatabase.js';
import { SandboxSeedSchema } from '../../../src/sandbox/sandboxSeed.js';
import { chargeHourlyBudget } from '../../../src/sandbox/server/hourlyThreshold.js';
import { createRuntime } from '../../../src/sandbox/server/sandboxRuntime.js';
import { claimThread } from '../../../src/sandbox/server/threadLimit.js';

const clock = () => new Date('2026-01-15T10:00:00Z');
const runtime = (limit: number) => {
  const seed = SandboxSeedSchema.parse({ companies: [], externalRequestThreshold: limit });
  return createRuntime(new SandboxDatabase(seed, clock), clock, 1);
};

describe('sandbox request stages', () => {
  it('the hourly budget slows from 50 % and 75 % and refuses at 100 % with Retry-After', () => {
    const state = runtime(4);
    const delays = [1, 2, 3, 4].map(() => chargeHourlyBudget(state));
    expect(delays).toEqual([{ delayMs: 0 }, { delayMs: 500 }, { delayMs: 1000 }, { delayMs: 1000 }]);
    const refused = chargeHourlyBudget(state);
    expect(refused).toMatchObject({ refused: { status: 429, headers: { 'Retry-After': '3600' } } });
    expect(state.counters).toMatchObject({
      hourlyLimitRefusals: 1,
      budgetSlowed: { atHalf: 1, atThreeQuarters: 2 },
    });
  });

  it('the thread limit holds 3 per endpoint per integration code', () => {
    const state = runtime(100);
    const taken = [1, 2, 3].map(() => claimThread(state, 'CODE', 'Companies/query'));
    expect(claimThread(state, 'CODE', 'Companies/query')).toMatchObject({ refused: { status: 429 } });
    expect(claimThread(state, 'OTHER', 'Companies/query')).toHaveProperty('release');
    const first = taken[0]!;
    if (!('release' in first)) throw new Error('the first claim was refused');
    first.release();
    expect(claimThread(state, 'CODE', 'Companies/query')).toHaveProperty('release');
    expect(state.counters.threadLimitRefusals).toBe(1);
  });
});
