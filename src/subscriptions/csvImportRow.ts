// The CSV import layout: one row per change, as in the subscription-history report of CSP
// billing platforms (README "Import formats"). A row becomes one event per changed value.
import { z } from 'zod';
import { createdEvent, eventsBetween } from './historyEvent.js';
import type { IncomingEvent, ItemProblem } from './incomingEvent.js';
import { DEFAULT_INGEST_LIMITS, futureDateReason, latestAcceptedDate } from './ingestLimits.js';
import { whyUnstorable } from './storableText.js';
import {
  BillingCycleSchema,
  BillingTypeSchema,
  CurrencySchema,
  EffectiveDateSchema,
  MoneySchema,
  QuantitySchema,
  SubscriptionStatusSchema,
  type SubscriptionState,
} from './subscriptionValues.js';

export const CSV_REQUIRED_COLUMNS = [
  'customer',
  'customer_external_id',
  'subscription_id',
  'product',
  'sku',
  'billing_cycle',
  'billing_type',
  'old_quantity',
  'new_quantity',
  'date_of_change',
  'old_status',
  'new_status',
  'old_price',
  'new_price',
  'currency',
] as const;

/** Other spellings seen in exports, mapped onto our column names. */
const COLUMN_ALIASES: Record<string, string> = {
  customer_name: 'customer',
  tenant_id: 'customer_external_id',
  customer_id: 'customer_external_id',
  product_name: 'product',
  offer_id: 'sku',
  change_date: 'date_of_change',
  effective_date: 'date_of_change',
  date: 'date_of_change',
  source_event_id: 'event_id',
};

/** "Customer External Id" → customer_external_id. */
export function normaliseColumnName(header: string): string {
  const name = header
    .trim()
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return COLUMN_ALIASES[name] ?? name;
}

const blank = (v: string | undefined) => v === undefined || v.trim() === '';
const optionalCell = z
  .string()
  .optional()
  .transform((v) => (blank(v) ? undefined : v!.trim()));
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), schema.optional());

export const CsvRowSchema = z.object({
  customer: z.string().trim().min(1, 'the customer name is missing').max(200),
  customer_external_id: optionalCell,
  customer_domain: optionalCell,
  subscription_id: z.string().trim().min(1, 'the subscription id is missing').max(200),
  product: z.string().trim().min(1, 'the product name is missing').max(300),
  sku: optionalCell,
  billing_cycle: BillingCycleSchema,
  billing_type: z.string().trim().toLowerCase().pipe(BillingTypeSchema),
  old_quantity: optional(QuantitySchema),
  new_quantity: QuantitySchema,
  date_of_change: EffectiveDateSchema,
  old_status: optional(z.string().toLowerCase().pipe(SubscriptionStatusSchema)),
  new_status: z.string().trim().toLowerCase().pipe(SubscriptionStatusSchema),
  old_price: optional(MoneySchema),
  new_price: MoneySchema,
  currency: CurrencySchema,
  event_id: optionalCell,
  old_billing_cycle: optional(BillingCycleSchema),
  term: optionalCell,
  unit_cost: optional(MoneySchema),
});

/**
 * One CSV row → its events, or the problems that refuse it. A row with neither old quantity nor
 * old status is the subscription's creation; any other row is a change from the old values to
 * the new ones (blank old price or old cycle = unchanged).
 */
export function csvRowToEvents(
  row: number,
  cells: Record<string, string | undefined>,
  latestDate: string = latestAcceptedDate(DEFAULT_INGEST_LIMITS.maxFutureDays),
): { events: IncomingEvent[]; problems: ItemProblem[] } {
  const unstorable = Object.entries(cells).flatMap(([column, value]) => {
    const reason = value === undefined ? undefined : whyUnstorable(value);
    return reason ? [{ item: row, column, reason }] : [];
  });
  if (unstorable.length > 0) return { events: [], problems: unstorable };
  const parsed = CsvRowSchema.safeParse(cells);
  if (!parsed.success) {
    return {
      events: [],
      problems: parsed.error.issues.map((issue) => ({
        item: row,
        column: String(issue.path[0] ?? '(row)'),
        reason: issue.message,
      })),
    };
  }
  const r = parsed.data;
  if (r.date_of_change > latestDate)
    return {
      events: [],
      problems: [{ item: row, column: 'date_of_change', reason: futureDateReason(latestDate) }],
    };
  const after: SubscriptionState = {
    quantity: r.new_quantity,
    status: r.new_status,
    unitPrice: r.new_price,
    billingCycle: r.billing_cycle,
  };
  const common = {
    item: row,
    customer: { name: r.customer, externalId: r.customer_external_id, domain: r.customer_domain },
    subscription: {
      id: r.subscription_id,
      productName: r.product,
      sku: r.sku,
      billingType: r.billing_type,
      billingCycle: r.billing_cycle,
      term: r.term,
      currency: r.currency,
      unitCost: r.unit_cost,
    },
    stateAfter: after,
  };
  const isCreation = r.old_quantity === undefined && r.old_status === undefined;
  if (isCreation) {
    return {
      events: [
        {
          ...common,
          event: { ...createdEvent(r.subscription_id, r.date_of_change, after), sourceEventId: r.event_id },
        },
      ],
      problems: [],
    };
  }
  const problems: ItemProblem[] = [];
  if (r.old_quantity === undefined)
    problems.push({
      item: row,
      column: 'old_quantity',
      reason: 'is missing (only a creation row leaves it blank)',
    });
  if (r.old_status === undefined)
    problems.push({
      item: row,
      column: 'old_status',
      reason: 'is missing (only a creation row leaves it blank)',
    });
  if (problems.length > 0) return { events: [], problems };
  const before: SubscriptionState = {
    quantity: r.old_quantity!,
    status: r.old_status!,
    unitPrice: r.old_price ?? r.new_price,
    billingCycle: r.old_billing_cycle ?? r.billing_cycle,
  };
  const events = eventsBetween(r.subscription_id, r.date_of_change, before, after);
  if (events.length === 0) {
    return {
      events: [],
      problems: [
        {
          item: row,
          column: 'new_quantity',
          reason: 'the row changes nothing: old and new quantity, status, price and cycle are equal',
        },
      ],
    };
  }
  return {
    events: events.map((event) => ({ ...common, event: { ...event, sourceEventId: r.event_id } })),
    problems: [],
  };
}
