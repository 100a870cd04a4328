// The test controls a real tenant does not have. Tests hold them in-process (the `controls`
// of a started sandbox); other processes reach the same functions over the admin path
// `/_sandbox/*` of the sandbox server (sandboxServer.ts), which exists only while a sandbox runs.
import { z } from 'zod';
import type { WriteLogEntry } from './sandboxDatabase.js';

export const FAULT_KINDS = ['429', '500', '502', 'timeout', 'commitThenDrop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultSettingsSchema = z.object({
  /** share of API requests that get a fault, 0..1 */
  rate: z.number().min(0).max(1),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1),
  /** only requests whose counter label matches one of these ("POST Contracts/ServiceAdjustments") */
  endpoints: z.array(z.string()).optional(),
  /** Retry-After seconds sent with injected 429s (none by default, as Autotask's is UNCONFIRMED) */
  retryAfterSeconds: z.number().int().min(0).optional(),
});
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

export const ThresholdSettingsSchema = z.object({
  /** the hourly request budget (real tenants: 10,000) */
  limit: z.number().int().positive().optional(),
  /** latency added once 50 % / 75 % of the budget is used (Autotask: about 0.5 s and 1 s) */
  atHalfMs: z.number().int().min(0).optional(),
  atThreeQuartersMs: z.number().int().min(0).optional(),
});
export type ThresholdSettings = z.infer<typeof ThresholdSettingsSchema>;

export interface SandboxCounters {
  /** requests per "METHOD Endpoint" label, e.g. "POST Companies/query" */
  byEndpoint: Record<string, number>;
  total: number;
  threadLimitRefusals: number;
  hourlyLimitRefusals: number;
  faultsInjected: Partial<Record<FaultKind, number>>;
  /** the most requests ever in flight at once, per endpoint key and integration code */
  maxInFlight: Record<string, number>;
  /** requests slowed because the database had used 50 % / 75 % of its hourly budget */
  budgetSlowed: { atHalf: number; atThreeQuarters: number };
  /** requests counted against the hourly budget in the current rolling hour */
  hourlyUsed: number;
}

export interface SandboxControls {
  /** added to every API request (not the zone lookup or admin path) */
  setLatency(ms: number): void;
  setFaults(settings: FaultSettings): void;
  clearFaults(): void;
  setThreshold(settings: ThresholdSettings): void;
  /** approve & post every billing period ending on or before `date` */
  postPeriodsThrough(date: string): void;
  counters(): SandboxCounters;
  resetCounters(): void;
  writeLog(): WriteLogEntry[];
  /** back to the seed: data, counters, faults, latency, threshold */
  reset(): void;
  snapshot(): ReturnType<import('./sandboxDatabase.js').SandboxDatabase['snapshot']>;
}
