// The test controls as a running sandbox offers them in process (SandboxControls), over the
// runtime state and the database.
import { isCalendarDate } from '../../core/calendarDate.js';
import {
  FaultSettingsSchema,
  SandboxPatchSchema,
  ThresholdSettingsSchema,
  type SandboxControls,
} from '../sandboxControls.js';
import { freshCounters, hourlyUsed, resetDials, type SandboxRuntime } from './sandboxRuntime.js';

export function inProcessControls(state: SandboxRuntime): SandboxControls {
  const { database } = state;
  const resetCounters = () => void (state.counters = freshCounters());
  return {
    setLatency: (ms) => void (state.latencyMs = ms),
    setFaults: (settings) => void (state.faults = FaultSettingsSchema.parse(settings)),
    clearFaults: () => void (state.faults = undefined),
    setThreshold: (settings) => {
      const s = ThresholdSettingsSchema.parse(settings);
      if (s.limit !== undefined) database.externalRequestThreshold = s.limit;
      state.thresholdLatency = {
        atHalfMs: s.atHalfMs ?? state.thresholdLatency.atHalfMs,
        atThreeQuartersMs: s.atThreeQuartersMs ?? state.thresholdLatency.atThreeQuartersMs,
      };
    },
    postPeriodsThrough: (date) => {
      if (!isCalendarDate(date))
        throw new Error(`postPeriodsThrough needs a date like 2026-01-31, not ${date}`);
      database.postPeriodsThrough(date);
    },
    patch: (change) => {
      const problem = database.patch(SandboxPatchSchema.parse(change));
      if (problem) throw new Error(problem.message);
    },
    counters: () => ({ ...structuredClone(state.counters), hourlyUsed: hourlyUsed(state) }),
    resetCounters,
    writeLog: () => [...database.writeLog],
    reset: () => {
      database.reset();
      resetCounters();
      resetDials(state);
    },
    snapshot: () => database.snapshot(),
  };
}
