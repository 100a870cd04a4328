// The state one running sandbox keeps beside its database: test dials (latency, faults, the
// threshold's latency steps), the rolling hour of budgeted requests, requests in flight and the
// counters. Every request stage reads and writes this one object, nothing else.
import type { FaultSettings, SandboxCounters } from '../sandboxControls.js';
import type { SandboxDatabase } from '../sandboxDatabase.js';

export const HOUR_MS = 3_600_000;
const DEFAULT_THRESHOLD_LATENCY = { atHalfMs: 500, atThreeQuartersMs: 1000 };

export interface SandboxRuntime {
  readonly database: SandboxDatabase;
  readonly now: () => Date;
  /** the fault dice */
  readonly roll: () => number;
  /** `http://host:port`, known once the server listens */
  root: string;
  latencyMs: number;
  faults: FaultSettings | undefined;
  thresholdLatency: { atHalfMs: number; atThreeQuartersMs: number };
  /** when each request of the rolling hour was counted against the budget */
  budgetTimes: number[];
  /** requests in flight per integration code and endpoint key */
  readonly inFlight: Map<string, number>;
  counters: SandboxCounters;
}

/** mulberry32: small, seedable, good enough for fault dice (and the fuzz tests' inputs) */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function freshCounters(): SandboxCounters {
  return {
    byEndpoint: {},
    total: 0,
    threadLimitRefusals: 0,
    hourlyLimitRefusals: 0,
    faultsInjected: {},
    maxInFlight: {},
    budgetSlowed: { atHalf: 0, atThreeQuarters: 0 },
    hourlyUsed: 0,
  };
}

export function createRuntime(database: SandboxDatabase, now: () => Date, faultSeed: number): SandboxRuntime {
  return {
    database,
    now,
    roll: seededRandom(faultSeed),
    root: '',
    latencyMs: 0,
    faults: undefined,
    thresholdLatency: { ...DEFAULT_THRESHOLD_LATENCY },
    budgetTimes: [],
    inFlight: new Map(),
    counters: freshCounters(),
  };
}

/** The dials back to their start (the database and counters are reset by their owners). */
export function resetDials(state: SandboxRuntime): void {
  state.latencyMs = 0;
  state.faults = undefined;
  state.thresholdLatency = { ...DEFAULT_THRESHOLD_LATENCY };
  state.budgetTimes = [];
}

/** What the zone lookup answers and AUTOTASK_BASE_URL may be: `<root>/ATServicesRest/`. */
export const baseUrlOf = (state: SandboxRuntime): string => `${state.root}/ATServicesRest/`;

/** Requests counted against the budget in the rolling hour (older ones are forgotten). */
export function hourlyUsed(state: SandboxRuntime): number {
  const since = state.now().getTime() - HOUR_MS;
  state.budgetTimes = state.budgetTimes.filter((t) => t > since);
  return state.budgetTimes.length;
}
