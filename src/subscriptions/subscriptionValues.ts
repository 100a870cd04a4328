// The value types of the source side (docs/billing-semantics.md §1), as zod schemas shared by the import
// formats, the snapshot and the ingest API.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { isCalendarDate } from '../core/calendarDate.js';

export const EVENT_KINDS = [
  'created',
  'quantity_changed',
  'suspended',
  'reactivated',
  'price_changed',
  'billing_cycle_changed',
  'cancelled',
] as const;
export const EventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKindSchema>;

export const SubscriptionStatusSchema = z.enum(['active', 'suspended', 'cancelled']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatusSchema>;

export const BillingTypeSchema = z.enum(['quantity', 'usage']);
export type BillingType = z.infer<typeof BillingTypeSchema>;

/** monthly | annual are pushed; anything else is kept verbatim and reported as unsupported later. */
export const BillingCycleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must be monthly, annual or the source’s own cycle name')
  .max(40);

/** A real calendar date written YYYY-MM-DD (2025-02-30 is refused). */
export const EffectiveDateSchema = z
  .string()
  .trim()
  .refine(isCalendarDate, { message: 'must be a date written YYYY-MM-DD, e.g. 2025-03-01' });

/** Money as a decimal string with at most 4 decimals (the column is DECIMAL(18,4)); never a float. */
export const MoneySchema = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d{1,14}(\.\d{1,4})?$/.test(v), {
    message: 'must be an amount like 12.50 (not negative, at most 4 decimals)',
  })
  .transform((v) => new Decimal(v).toFixed());

export const QuantitySchema = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^-?\d{1,9}$/.test(v), { message: 'must be a whole number of units' })
  .transform(Number)
  .refine((v) => v >= 0, { message: 'must not be negative' });

export const CurrencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as USD or EUR');

/** The part of a subscription that history events change. */
export interface SubscriptionState {
  quantity: number;
  status: SubscriptionStatus;
  /** decimal string, normalised (12.5, not 12.50) */
  unitPrice: string;
  billingCycle: string;
}

/** A stored subscription row's state (its status column holds only SubscriptionStatus values). */
export function storedState(row: {
  quantity: number;
  status: string;
  unitPrice: { toString(): string };
  billingCycle: string;
}): SubscriptionState {
  return {
    quantity: row.quantity,
    status: SubscriptionStatusSchema.parse(row.status),
    unitPrice: new Decimal(row.unitPrice.toString()).toFixed(),
    billingCycle: row.billingCycle,
  };
}

/** Two money strings denote the same amount. */
export function sameMoney(a: string, b: string): boolean {
  return new Decimal(a).equals(new Decimal(b));
}
