// A sandbox's data on disk, so the demo's Autotask survives a restart of the bot the way its
// database does (README "Demo mode and the web playground"). The file holds the data a restart
// needs (not counters, faults or the write log, which are test instruments) and a fingerprint of
// the seed it grew from: a state is never mixed with another seed's picklists and permissions.
// Writes are atomic (temp file + rename), so a crash mid-save leaves the previous state.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SandboxSeed } from './sandboxSeed.js';
import { safeJson } from './server/sandboxHttp.js';
import { CALENDAR_DATE_PATTERN } from '../core/calendarDate.js';

const id = z.number().int().positive();
const date = z.string().regex(CALENDAR_DATE_PATTERN);
const money = z.string().regex(/^-?\d+(\.\d+)?$/);
/** the vendor fields a seed set beyond the ones the sandbox keeps (states saved before they existed have none) */
const vendorFields = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .default({});

export const SandboxStateSchema = z.object({
  companies: z.array(
    z.object({
      id,
      companyName: z.string(),
      companyNumber: z.string().nullable(),
      companyType: z.number().int(),
      isActive: z.boolean(),
      vendorFields,
    }),
  ),
  contracts: z.array(
    z.object({
      id,
      companyID: id,
      contractName: z.string(),
      contractNumber: z.string().nullable(),
      contractType: z.number().int(),
      contractPeriodType: z.number().int().nullable(),
      status: z.number().int(),
      startDate: date,
      endDate: date,
      isDefaultContract: z.boolean(),
      vendorFields,
    }),
  ),
  services: z.array(
    z.object({
      id,
      name: z.string(),
      sku: z.string().nullable(),
      unitPrice: money,
      unitCost: money.nullable(),
      periodType: z.number().int(),
      isActive: z.boolean(),
      billingCodeID: z.number().int().nullable(),
      vendorFields,
    }),
  ),
  contractServices: z.array(
    z.object({
      id,
      contractID: id,
      serviceID: id,
      unitPrice: money,
      unitCost: money.nullable(),
      adjustedPrice: money.nullable(),
      invoiceDescription: z.string().nullable(),
      vendorFields,
    }),
  ),
  adjustments: z.array(
    z.object({
      id,
      contractID: id,
      contractServiceID: id,
      serviceID: id,
      effectiveDate: date,
      unitChange: z.number().int(),
      adjustedUnitPrice: money.nullable(),
      adjustedUnitCost: money.nullable(),
    }),
  ),
  postedThrough: date.nullable(),
  postedAt: z.string().nullable(),
  nextId: id,
  externalRequestThreshold: z.number().int().positive(),
});
export type SandboxState = z.infer<typeof SandboxStateSchema>;

const StateFileSchema = z.object({
  version: z.literal(1),
  seedFingerprint: z.string(),
  savedAt: z.string(),
  state: SandboxStateSchema,
});

export function seedFingerprint(seed: SandboxSeed): string {
  return createHash('sha256').update(JSON.stringify(seed)).digest('hex').slice(0, 16);
}

/** The saved state of this seed, or null when there is no file yet. Throws coded errors. */
export function readSandboxState(file: string, seed: SandboxSeed): SandboxState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = StateFileSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `SANDBOX_STATE_INVALID: ${file} is not a saved sandbox (${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'not JSON'}) — delete it to start the sandbox from its seed`,
    );
  }
  if (parsed.data.seedFingerprint !== seedFingerprint(seed))
    throw new Error(
      `SANDBOX_STATE_OTHER_SEED: ${file} was saved by a sandbox with another seed — delete it (and the DATA_DIR database, whose uploads it matched) or go back to that seed`,
    );
  return parsed.data.state;
}

/** Temp file in the same folder, then rename: readers see the old file or the new one. */
export function writeSandboxState(file: string, seed: SandboxSeed, state: SandboxState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const body = {
    version: 1,
    seedFingerprint: seedFingerprint(seed),
    savedAt: new Date().toISOString(),
    state,
  };
  fs.writeFileSync(temp, JSON.stringify(body));
  fs.renameSync(temp, file);
}

export interface StateSaver {
  /** a change happened: save within `delayMs` (many changes, one write) */
  changed(): void;
  /** write now if a change is pending (on stop) */
  flush(): void;
}

/** Debounced saving: an upload's burst of writes costs one file write, not one per adjustment. */
export function debouncedStateSaver(
  save: () => void,
  delayMs: number,
  onError: (e: unknown) => void,
): StateSaver {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    try {
      save();
    } catch (error) {
      onError(error);
    }
  };
  return {
    changed: () => {
      timer ??= setTimeout(run, delayMs);
    },
    flush: () => {
      if (timer === undefined) return;
      clearTimeout(timer);
      run();
    },
  };
}
