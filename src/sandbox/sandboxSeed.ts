// The sandbox's seed file format (README "Autotask sandbox"). A seed is one Autotask database:
// picklists, companies, contracts, catalogue services, and optionally contract-service lines,
// adjustments already made, posted periods, API permissions and the hourly threshold.
// Numbers (contractType, contractPeriodType, status) are picklist values of this seed's own
// picklists, as on a real tenant; the client must read them, not assume them.
import fs from 'node:fs';
import { z } from 'zod';
import { CALENDAR_DATE_PATTERN } from '../core/calendarDate.js';
import { canonicalFieldName, type SandboxEntity, type WireValue } from './entityFieldModel.js';

const id = z.number().int().positive();
const date = z.string().regex(CALENDAR_DATE_PATTERN, 'a date like 2026-01-31');
const money = z.string().regex(/^-?\d+(\.\d{1,4})?$/, 'a decimal amount as text, like "12.50"');

/** Any other field of the entity's vendor description (README "Autotask sandbox"): served as given. */
const VendorValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const PicklistValueSchema = z.object({ value: z.number().int(), label: z.string(), isActive: z.boolean() });

export const SeedPicklistsSchema = z.object({
  contractType: z.array(PicklistValueSchema).min(1),
  contractPeriodType: z.array(PicklistValueSchema).min(1),
  contractStatus: z.array(PicklistValueSchema).min(1),
  companyType: z.array(PicklistValueSchema).min(1),
  servicePeriodType: z.array(PicklistValueSchema).min(1),
});
export type SeedPicklists = z.infer<typeof SeedPicklistsSchema>;

/** Active picklist values, from `[value, label]` pairs. */
const active = (...values: [number, string][]) =>
  values.map(([value, label]) => ({ value, label, isActive: true }));

const periodTypes = (): SeedPicklists['contractPeriodType'] =>
  active([2, 'Monthly'], [3, 'Quarterly'], [4, 'Semi-Annual'], [5, 'Yearly']);

export const DEFAULT_SEED_PICKLISTS: SeedPicklists = {
  contractType: active(
    [1, 'Time and Materials'],
    [3, 'Fixed Price'],
    [4, 'Block Hours'],
    [6, 'Retainer'],
    [7, 'Recurring Service'],
    [8, 'Per Ticket'],
  ),
  contractPeriodType: periodTypes(),
  contractStatus: active([0, 'Inactive'], [1, 'Active']),
  companyType: active([1, 'Customer'], [2, 'Lead'], [3, 'Prospect'], [5, 'Vendor'], [7, 'Partner']),
  servicePeriodType: periodTypes(),
};

export const SeedCompanySchema = z
  .object({
    id,
    companyName: z.string().min(1),
    companyNumber: z.string().nullish(),
    companyType: z.number().int().default(1),
    isActive: z.boolean().default(true),
  })
  .catchall(VendorValueSchema);

export const SeedContractSchema = z
  .object({
    id,
    companyID: id,
    contractName: z.string().min(1),
    contractNumber: z.string().nullish(),
    contractType: z.number().int(),
    contractPeriodType: z.number().int().nullable(),
    status: z.number().int(),
    startDate: date,
    endDate: date,
    isDefaultContract: z.boolean().default(false),
  })
  .catchall(VendorValueSchema);

export const SeedServiceSchema = z
  .object({
    id,
    name: z.string().min(1),
    sku: z.string().nullish(),
    unitPrice: money,
    unitCost: money.nullish(),
    periodType: z.number().int(),
    isActive: z.boolean().default(true),
    billingCodeID: z.number().int().nullish(),
  })
  .catchall(VendorValueSchema);

export const SeedContractServiceSchema = z
  .object({
    id,
    contractID: id,
    serviceID: id,
    unitPrice: money,
    unitCost: money.nullish(),
    invoiceDescription: z.string().nullish(),
  })
  .catchall(VendorValueSchema);

export const SeedAdjustmentSchema = z.object({
  contractServiceID: id,
  effectiveDate: date,
  unitChange: z.number().int(),
  adjustedUnitPrice: money.nullish(),
  adjustedUnitCost: money.nullish(),
});

/** The seed tables that hold rows of an Autotask entity, with the fields the sandbox keeps itself. */
export const SEED_TABLES = {
  companies: { entity: 'Companies', core: Object.keys(SeedCompanySchema.shape) },
  contracts: { entity: 'Contracts', core: Object.keys(SeedContractSchema.shape) },
  services: { entity: 'Services', core: Object.keys(SeedServiceSchema.shape) },
  contractServices: { entity: 'ContractServices', core: Object.keys(SeedContractServiceSchema.shape) },
} as const satisfies Record<string, { entity: SandboxEntity; core: string[] }>;

/**
 * The vendor fields a seed row sets beyond the ones the sandbox keeps, under the entity's own
 * spelling (`City` → `city`). Unknown names were refused when the seed was checked.
 */
export function seededVendorFields(
  table: keyof typeof SEED_TABLES,
  row: Record<string, unknown>,
): Record<string, WireValue> {
  const { entity, core } = SEED_TABLES[table];
  const out: Record<string, WireValue> = {};
  for (const [key, value] of Object.entries(row)) {
    if ((core as readonly string[]).includes(key)) continue;
    const name = canonicalFieldName(entity, key);
    if (name) out[name] = value as WireValue;
  }
  return out;
}

export const TenantQuirksSchema = z.object({
  /** a second POST of a service already on the contract: refused (the assumption) or accepted */
  repeatServicePost: z.enum(['refused', 'accepted']).default('refused'),
});

const EntityPermissionSchema = z.object({ canQuery: z.boolean(), canCreate: z.boolean() });

export const SandboxSeedSchema = z
  .object({
    /** free text shown by `autotask-bot sandbox` */
    description: z.string().optional(),
    picklists: SeedPicklistsSchema.default(DEFAULT_SEED_PICKLISTS),
    /** the hourly request budget of this database (real tenants: 10,000) */
    externalRequestThreshold: z.number().int().positive().default(10_000),
    /** what the API user may do per entity; an entity left out may do everything */
    permissions: z.record(z.string(), EntityPermissionSchema).default({}),
    companies: z.array(SeedCompanySchema),
    contracts: z.array(SeedContractSchema).default([]),
    services: z.array(SeedServiceSchema).default([]),
    contractServices: z.array(SeedContractServiceSchema).default([]),
    adjustments: z.array(SeedAdjustmentSchema).default([]),
    /** periods ending on or before this date are approved and posted (BillingItems exist) */
    postedThrough: date.nullish(),
    /**
     * An "odd tenant": a behaviour no public source confirms, flipped (docs/tenant-verification.md).
     * Left out, the sandbox behaves as the bot assumes (and a seed's fingerprint stays as it was,
     * so a saved sandbox state still matches it).
     */
    tenantQuirks: TenantQuirksSchema.optional(),
  })
  .superRefine((seed, ctx) => {
    const unique = (name: string, ids: number[]) => {
      const seen = new Set<number>();
      for (const n of ids) {
        if (seen.has(n)) ctx.addIssue({ code: 'custom', path: [name], message: `id ${n} is used twice` });
        seen.add(n);
      }
    };
    for (const [table, { entity, core }] of Object.entries(SEED_TABLES) as [
      keyof typeof SEED_TABLES,
      (typeof SEED_TABLES)[keyof typeof SEED_TABLES],
    ][])
      seed[table].forEach((row, i) => {
        for (const key of Object.keys(row))
          if (!(core as readonly string[]).includes(key) && !canonicalFieldName(entity, key))
            ctx.addIssue({
              code: 'custom',
              path: [table, i, key],
              message: `${entity} has no field "${key}" in Autotask's description (GET /${entity}/entityInformation/fields lists them)`,
            });
      });
    for (const table of ['companies', 'contracts', 'services', 'contractServices'] as const)
      unique(
        table,
        seed[table].map((row) => row.id),
      );
    const missing = (known: Set<number>, id: number, path: (string | number)[], what: string) => {
      if (!known.has(id)) ctx.addIssue({ code: 'custom', path, message: `no ${what} ${id}` });
    };
    const companies = new Set(seed.companies.map((c) => c.id));
    seed.contracts.forEach((c, i) => {
      missing(companies, c.companyID, ['contracts', i, 'companyID'], 'company');
      if (c.endDate < c.startDate)
        ctx.addIssue({ code: 'custom', path: ['contracts', i, 'endDate'], message: 'ends before it starts' });
    });
    const contracts = new Set(seed.contracts.map((c) => c.id));
    const services = new Set(seed.services.map((s) => s.id));
    seed.contractServices.forEach((l, i) => {
      missing(contracts, l.contractID, ['contractServices', i, 'contractID'], 'contract');
      missing(services, l.serviceID, ['contractServices', i, 'serviceID'], 'service');
    });
    const lines = new Set(seed.contractServices.map((l) => l.id));
    seed.adjustments.forEach((a, i) =>
      missing(lines, a.contractServiceID, ['adjustments', i, 'contractServiceID'], 'contract service'),
    );
  });
export type SandboxSeed = z.infer<typeof SandboxSeedSchema>;
export type SandboxSeedInput = z.input<typeof SandboxSeedSchema>;

/** Reads and checks a seed file; problems name the file and the path inside it. */
export function readSeedFile(file: string): SandboxSeed {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`SANDBOX_SEED_INVALID: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  const parsed = SandboxSeedSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((i) => `  - ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new Error(`SANDBOX_SEED_INVALID: ${file} is not a valid sandbox seed:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
