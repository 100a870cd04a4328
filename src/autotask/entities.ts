// zod schemas for the Autotask entities this product uses. Each checks only the fields the bot
// reads and passes the rest through (Autotask adds fields and user-defined fields). A field is
// required only where Autotask's entity reference marks it required (or it is the row's own key);
// everything else accepts null or absence, since real tenants leave such fields empty. Missing
// required ones are reported by zod with their path. Parsed values follow house rules:
// date-only fields become `YYYY-MM-DD` strings, money becomes decimal.js `Decimal`.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { CALENDAR_DATE_PATTERN } from '../core/calendarDate.js';

/** Autotask writes date-only fields as `YYYY-MM-DDT00:00:00Z` (or plain `YYYY-MM-DD`). */
export const AUTOTASK_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}(T00:00:00(\.0+)?Z?)?$/;

export const AutotaskDate = z
  .string()
  .regex(AUTOTASK_DATE_PATTERN, 'a date like 2026-01-31 or 2026-01-31T00:00:00Z')
  .transform((v) => v.slice(0, 10));

export const Money = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
  .transform((v) => new Decimal(v));

const optionalMoney = Money.nullish().transform((v) => v ?? null);
const id = z.number().int().positive();

/**
 * isActive on Companies and Services: Autotask requires it and defaults it to true on create, and
 * deactivating always writes false — so a null or absent flag (seen on real tenants) reads as
 * active. Only an explicit false makes a record inactive.
 */
const activeFlag = z
  .boolean()
  .nullish()
  .transform((v) => v !== false);

// Field groups several entities share, under the same names.
/** the days a contract or a units row covers */
const period = { startDate: AutotaskDate, endDate: AutotaskDate };
/** a catalogue service's or a contract line's price to the customer and cost to the partner */
const unitPriceAndCost = { unitPrice: optionalMoney, unitCost: optionalMoney };

export const CompanySchema = z.looseObject({
  id,
  companyName: z.string(),
  companyNumber: z.string().nullish(),
  companyType: z.number().int().nullish(),
  isActive: activeFlag,
});
export type Company = z.infer<typeof CompanySchema>;

export const ContractSchema = z.looseObject({
  id,
  companyID: id,
  contractName: z.string(),
  contractNumber: z.string().nullish(),
  /** 7 = Recurring Service (read the picklist; see AutotaskPicklists) */
  contractType: z.number().int(),
  /** monthly / quarterly / semi-annual / yearly (picklist values read from the tenant) */
  contractPeriodType: z.number().int().nullish(),
  status: z.number().int(),
  ...period,
  isDefaultContract: z.boolean().nullish(),
});
export type Contract = z.infer<typeof ContractSchema>;

export const ServiceSchema = z.looseObject({
  id,
  name: z.string(),
  sku: z.string().nullish(),
  ...unitPriceAndCost,
  periodType: z.number().int().nullish(),
  isActive: activeFlag,
  billingCodeID: z.number().int().nullish(),
});
export type Service = z.infer<typeof ServiceSchema>;

export const ContractServiceSchema = z.looseObject({
  id,
  contractID: id,
  serviceID: id,
  ...unitPriceAndCost,
  adjustedPrice: optionalMoney,
  internalCurrencyAdjustedPrice: optionalMoney,
  invoiceDescription: z.string().nullish(),
});
export type ContractService = z.infer<typeof ContractServiceSchema>;

/**
 * One row of the read-only units timeline: one billing period of one line, split at adjustments.
 * Autotask marks contractServiceID optional; a row without it is attributed to its line by
 * contract and service (attributeUnitsToLines in sync/unitsTimeline.ts).
 */
export const ContractServiceUnitSchema = z.looseObject({
  id,
  contractID: id,
  contractServiceID: id.nullish().transform((v) => v ?? null),
  serviceID: id,
  ...period,
  units: z.number(),
  /** the extended (prorated) amount for this row */
  price: optionalMoney,
  cost: optionalMoney,
  approveAndPostDate: z.string().nullish(),
});
export type ContractServiceUnit = z.infer<typeof ContractServiceUnitSchema>;

/** A posted billing item (read-only in Autotask): what reconciliation compares with the history. */
export const BillingItemSchema = z.looseObject({
  id,
  contractID: id.nullish().transform((v) => v ?? null),
  serviceID: id.nullish().transform((v) => v ?? null),
  /** Autotask answers a date-time; the day is what counts */
  itemDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2026-01-31 or 2026-01-31T00:00:00Z')
    .transform((v) => v.slice(0, 10)),
  postedDate: z.string().nullish(),
  quantity: z.number().nullish(),
  extendedPrice: optionalMoney,
});
export type BillingItem = z.infer<typeof BillingItemSchema>;

/** What we send to POST /Contracts/{id}/ServiceAdjustments. */
export const ContractServiceAdjustmentInputSchema = z.object({
  contractID: id,
  serviceID: id.optional(),
  contractServiceID: id.optional(),
  effectiveDate: z.string().regex(CALENDAR_DATE_PATTERN),
  unitChange: z.number().int(),
  adjustedUnitPrice: z.number().optional(),
  adjustedUnitCost: z.number().optional(),
  allowRepeatService: z.boolean().optional(),
});
export type ContractServiceAdjustmentInput = z.infer<typeof ContractServiceAdjustmentInputSchema>;

/** What we send to POST /Contracts/{id}/Services. */
export const ContractServiceInputSchema = z.object({
  contractID: id,
  serviceID: id,
  unitPrice: z.number(),
  unitCost: z.number().optional(),
  invoiceDescription: z.string().optional(),
});
export type ContractServiceInput = z.infer<typeof ContractServiceInputSchema>;

export const ThresholdInformationSchema = z.looseObject({
  externalRequestThreshold: z.number().int(),
  requestThresholdTimeframe: z.number().int(),
  currentTimeframeRequestCount: z.number().int(),
});
export type ThresholdInformation = z.infer<typeof ThresholdInformationSchema>;

/**
 * Picklist numbers the product relies on, read from `entityInformation/fields` at start-up.
 * The defaults are only a fallback (values reported by practitioners; UNCONFIRMED).
 */
export interface AutotaskPicklists {
  contractType: { recurringService: number };
  contractPeriodType: PeriodPicklist;
  contractStatus: { active: number };
  /** the Services periodType picklist: what tells a Monthly service from a Yearly one of the same name */
  servicePeriodType: PeriodPicklist;
}

/** A picklist of billing periods (contracts and services each have one): each period's number. */
export interface PeriodPicklist {
  monthly: number;
  quarterly: number;
  semiAnnual: number;
  yearly: number;
}

export const DEFAULT_PICKLISTS: AutotaskPicklists = {
  contractType: { recurringService: 7 },
  contractPeriodType: { monthly: 2, quarterly: 3, semiAnnual: 4, yearly: 5 },
  contractStatus: { active: 1 },
  servicePeriodType: { monthly: 2, quarterly: 3, semiAnnual: 4, yearly: 5 },
};
