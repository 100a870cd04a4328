// The database's hourly request budget: refused at 100 % (429 with Retry-After), and slowed
// from 50 % and 75 % by the threshold's latency steps.
import { SANDBOX_ERROR_TEXT } from '../sandboxErrorTexts.js';
import type { HttpAnswer } from './sandboxHttp.js';
import { HOUR_MS, hourlyUsed, type SandboxRuntime } from './sandboxRuntime.js';

/** Counts this request against the budget: refused, or the delay the budget adds. */
export function chargeHourlyBudget(state: SandboxRuntime): { refused: HttpAnswer } | { delayMs: number } {
  const limit = state.database.externalRequestThreshold;
  const used = hourlyUsed(state);
  if (used >= limit) {
    state.counters.hourlyLimitRefusals++;
    const retryAfter = Math.max(
      1,
      Math.ceil((state.budgetTimes[0]! + HOUR_MS - state.now().getTime()) / 1000),
    );
    return {
      refused: {
        status: 429,
        headers: { 'Retry-After': String(retryAfter) },
        body: { errors: [SANDBOX_ERROR_TEXT.hourlyThreshold(limit)] },
      },
    };
  }
  state.budgetTimes.push(state.now().getTime());
  const share = (used + 1) / limit;
  if (share >= 0.75) {
    state.counters.budgetSlowed.atThreeQuarters++;
    return { delayMs: state.thresholdLatency.atThreeQuartersMs };
  }
  if (share >= 0.5) {
    state.counters.budgetSlowed.atHalf++;
    return { delayMs: state.thresholdLatency.atHalfMs };
  }
  return { delayMs: 0 };
}
