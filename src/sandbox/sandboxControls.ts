// The test controls a real tenant does not have. Tests hold them in-process (the `controls`
// of a started sandbox); other processes reach the same functions over the admin path
// `/_sandbox/*` of the sandbox server (sandboxServer.ts), which exists only while a sandbox runs.
import { z } from 'zod';
import { isCalendarDate } from '../core/calendarDate.js';
import type { WriteLogEntry } from './sandboxDatabase.js';

/**
 * 429: the thread-limit answer; threadLimit500: the same text with status 500 (Autotask has been
 * seen doing that); 500: an error without an `errors` array; 502: a gateway page; timeout: no
 * answer at all; commitThenDrop: the write happens and the connection is cut before the answer.
 */
export const FAULT_KINDS = ['429', 'threadLimit500', '500', '502', 'timeout', 'commitThenDrop'] as const;
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

const calendarDate = z.string().refine(isCalendarDate, 'a date like 2026-03-31');
const patchFields = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object(shape)
    .strict()
    .refine((fields) => Object.keys(fields).length > 0, 'name at least one field to change');

/**
 * A change an Autotask admin makes by hand in the web UI, so a test can bring about a real
 * business-rule refusal (a contract ended early) or undo it. Only these entities and fields.
 */
export const SandboxPatchSchema = z.discriminatedUnion('entity', [
  z
    .object({
      entity: z.literal('Contracts'),
      id: z.number().int().positive(),
      fields: patchFields({
        contractName: z.string().min(1).optional(),
        status: z.number().int().optional(),
        startDate: calendarDate.optional(),
        endDate: calendarDate.optional(),
      }),
    })
    .strict(),
  z
    .object({
      entity: z.literal('Companies'),
      id: z.number().int().positive(),
      fields: patchFields({ companyName: z.string().min(1).optional(), isActive: z.boolean().optional() }),
    })
    .strict(),
  z
    .object({
      entity: z.literal('Services'),
      id: z.number().int().positive(),
      fields: patchFields({ name: z.string().min(1).optional(), isActive: z.boolean().optional() }),
    })
    .strict(),
]);
export type SandboxPatch = z.infer<typeof SandboxPatchSchema>;

/** What the patch control accepts, for error messages and the README. */
export const PATCHABLE_FIELDS =
  'Contracts: contractName, status, startDate, endDate; Companies: companyName, isActive; Services: name, isActive';

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
  /** change fields of a record as an Autotask admin would; throws SANDBOX_PATCH_* errors */
  patch(change: SandboxPatch): void;
  counters(): SandboxCounters;
  resetCounters(): void;
  writeLog(): WriteLogEntry[];
  /** back to the seed: data, counters, faults, latency, threshold */
  reset(): void;
  snapshot(): ReturnType<import('./sandboxDatabase.js').SandboxDatabase['snapshot']>;
}
