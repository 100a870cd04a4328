// The plain inputs the sync engine works on. Other parts (subscriptions, mapping, autotask) hand
// their data over in these shapes; zod checks them at the boundary so the pure rules can trust them.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { CALENDAR_DATE_PATTERN } from '../core/calendarDate.js';

export const IsoDate = z.string().regex(CALENDAR_DATE_PATTERN, 'a date like 2026-01-31');

/** A decimal from a string, a number, a decimal.js or a Prisma Decimal; kept as decimal.js. */
export const DecimalValue = z
  .union([
    z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal like 12.50'),
    z.number(),
    z.custom<{ toFixed(): string }>(
      (v) =>
        typeof v === 'object' && v !== null && typeof (v as { toFixed?: unknown }).toFixed === 'function',
    ),
  ])
  .transform((v) => new Decimal(typeof v === 'object' ? v.toFixed() : v));

export const BillingCycleSchema = z.string().min(1);
/** Only these two are pushed; anything else is reported as unsupported. */
export type PushedCycle = 'monthly' | 'annual';
export const isPushedCycle = (cycle: string | null | undefined): cycle is PushedCycle =>
  cycle === 'monthly' || cycle === 'annual';

export const SubscriptionInputSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  productName: z.string().min(1),
  sku: z.string().nullish(),
  billingCycle: BillingCycleSchema,
  billingType: z.string().min(1),
  status: z.string().min(1),
  quantity: z.number().int(),
  unitPrice: DecimalValue,
});
export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;

export const SubscriptionEventInputSchema = z.object({
  id: z.string().min(1),
  subscriptionId: z.string().min(1),
  effectiveDate: IsoDate,
  kind: z.string().min(1),
  quantityBefore: z.number().int().nullish(),
  quantityAfter: z.number().int().nullish(),
  statusBefore: z.string().nullish(),
  statusAfter: z.string().nullish(),
  priceBefore: DecimalValue.nullish(),
  priceAfter: DecimalValue.nullish(),
  billingCycleBefore: z.string().nullish(),
  billingCycleAfter: z.string().nullish(),
});
export type SubscriptionEventInput = z.infer<typeof SubscriptionEventInputSchema>;

/** Where a customer's data goes in Autotask, as resolved by the mapping part. */
export const CustomerTargetsSchema = z.object({
  companyId: z.number().int().positive().nullable(),
  contracts: z.object({
    monthly: z.number().int().positive().nullable(),
    annual: z.number().int().positive().nullable(),
  }),
  /** service per product and billing cycle (a global rule or a per-customer override) */
  services: z.array(
    z.object({
      productName: z.string().min(1),
      billingCycle: BillingCycleSchema,
      serviceId: z.number().int().positive(),
    }),
  ),
});
export type CustomerTargets = z.infer<typeof CustomerTargetsSchema>;

/**
 * A change someone made by hand on a line, as the difference (Autotask − ledger) it added on a
 * date: a correction adopts it into the ledger (docs/drift-watch.md).
 */
export const HandEditSchema = z.object({ effectiveDate: IsoDate, unitChange: z.number().int() });
export type HandEdit = z.infer<typeof HandEditSchema>;

/** An operation the ledger says is done (sent and confirmed), from any earlier run. */
export const PushedOperationSchema = z.object({
  key: z.string().min(1),
  subscriptionId: z.string().min(1),
  lineKey: z.string().min(1),
  kind: z.enum(['create_line', 'adjust']),
  effectiveDate: IsoDate,
  unitChange: z.number().int(),
  /** a correction: the hand edits on its line it adopted */
  adopts: z.array(HandEditSchema).optional(),
});
export type PushedOperation = z.infer<typeof PushedOperationSchema>;

/** A logical line this system already knows the Autotask contract-service id of. */
export const KnownLineSchema = z.object({
  lineKey: z.string().min(1),
  contractServiceId: z.number().int().positive(),
});
export type KnownLine = z.infer<typeof KnownLineSchema>;

/** A contract-service line that exists in Autotask (from a batched read). */
export const ExistingLineSchema = z.object({
  contractId: z.number().int().positive(),
  serviceId: z.number().int().positive(),
  contractServiceId: z.number().int().positive(),
});
export type ExistingLine = z.infer<typeof ExistingLineSchema>;
