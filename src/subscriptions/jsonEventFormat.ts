// The JSON event format, shared by JSON import files and POST /api/ingest/events:
// { "source": "c3", "events": [ { eventId?, customer, subscription, date, kind, <before/after> } ] }
// Each kind must carry its own before/after values and no others (docs/billing-semantics.md §1).
import { z } from 'zod';
import { KIND_FIELDS, type HistoryEvent } from './historyEvent.js';
import { CustomerRefSchema, type IncomingEvent, type ItemProblem } from './incomingEvent.js';
import { DEFAULT_INGEST_LIMITS, futureDateReason, latestAcceptedDate } from './ingestLimits.js';
import { parseJsonItem } from './jsonItem.js';
import {
  BillingCycleSchema,
  BillingTypeSchema,
  CurrencySchema,
  EffectiveDateSchema,
  EventKindSchema,
  MoneySchema,
  QuantitySchema,
  SubscriptionStatusSchema,
} from './subscriptionValues.js';

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

export const JsonSubscriptionSchema = z.object({
  id: z.string().trim().min(1, 'the subscription id is missing').max(200),
  product: z.string().trim().min(1, 'the product name is missing').max(300),
  sku: optionalText(200),
  billingCycle: BillingCycleSchema,
  billingType: BillingTypeSchema,
  term: optionalText(40),
  currency: CurrencySchema,
  unitCost: MoneySchema.optional(),
});

export const JsonEventSchema = z
  .object({
    eventId: optionalText(200),
    customer: CustomerRefSchema,
    subscription: JsonSubscriptionSchema,
    date: EffectiveDateSchema,
    kind: EventKindSchema,
    quantityBefore: QuantitySchema.optional(),
    quantityAfter: QuantitySchema.optional(),
    statusBefore: SubscriptionStatusSchema.optional(),
    statusAfter: SubscriptionStatusSchema.optional(),
    priceBefore: MoneySchema.optional(),
    priceAfter: MoneySchema.optional(),
    billingCycleBefore: BillingCycleSchema.optional(),
    billingCycleAfter: BillingCycleSchema.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const carried = KIND_FIELDS[e.kind];
    for (const field of ['quantity', 'status', 'price', 'billingCycle'] as const) {
      const before = e[`${field}Before`];
      const after = e[`${field}After`];
      if (!carried.includes(field)) {
        for (const [name, value] of [
          [`${field}Before`, before],
          [`${field}After`, after],
        ] as const) {
          if (value !== undefined)
            ctx.addIssue({ code: 'custom', path: [name], message: `does not belong to a ${e.kind} event` });
        }
        continue;
      }
      if (e.kind === 'created') {
        // a creation may leave status and cycle out: active, and the subscription's cycle
        if (after === undefined && (field === 'quantity' || field === 'price'))
          ctx.addIssue({
            code: 'custom',
            path: [`${field}After`],
            message: `is required for a created event`,
          });
        if (before !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [`${field}Before`],
            message: 'a created event has no before value',
          });
        continue;
      }
      if (field === 'status') continue; // defaults below
      if (before === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [`${field}Before`],
          message: `is required for a ${e.kind} event`,
        });
      if (after === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [`${field}After`],
          message: `is required for a ${e.kind} event`,
        });
      if (before !== undefined && after !== undefined && String(before) === String(after))
        ctx.addIssue({
          code: 'custom',
          path: [`${field}After`],
          message: 'equals the before value: nothing changes',
        });
    }
    const expected = { suspended: 'suspended', reactivated: 'active', cancelled: 'cancelled' } as const;
    if (e.kind in expected) {
      const want = expected[e.kind as keyof typeof expected];
      if (e.statusAfter !== undefined && e.statusAfter !== want)
        ctx.addIssue({
          code: 'custom',
          path: ['statusAfter'],
          message: `must be ${want} for a ${e.kind} event`,
        });
      if (e.statusBefore !== undefined && e.statusBefore === want)
        ctx.addIssue({
          code: 'custom',
          path: ['statusBefore'],
          message: `is already ${want}: nothing changes`,
        });
    }
  });
export type JsonEvent = z.infer<typeof JsonEventSchema>;

export const JsonEventBatchSchema = z.object({
  /** the source system: namespaces its event ids (default "default") */
  source: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,60}$/, 'must be a short name such as c3, pax8 or partner-center')
    .optional(),
  events: z.array(z.unknown()).min(1, 'must hold at least one event').max(100_000),
});

/** One JSON event → the incoming event, with the defaults a person expects filled in. */
export function toIncomingEvent(item: number, e: JsonEvent): IncomingEvent {
  const event: HistoryEvent = {
    subscriptionId: e.subscription.id,
    effectiveDate: e.date,
    kind: e.kind,
    sourceEventId: e.eventId,
  };
  switch (e.kind) {
    case 'created':
      Object.assign(event, {
        quantityAfter: e.quantityAfter,
        statusAfter: e.statusAfter ?? 'active',
        priceAfter: e.priceAfter,
        billingCycleAfter: e.billingCycleAfter ?? e.subscription.billingCycle,
      });
      break;
    case 'quantity_changed':
      Object.assign(event, { quantityBefore: e.quantityBefore, quantityAfter: e.quantityAfter });
      break;
    case 'price_changed':
      Object.assign(event, { priceBefore: e.priceBefore, priceAfter: e.priceAfter });
      break;
    case 'billing_cycle_changed':
      Object.assign(event, {
        billingCycleBefore: e.billingCycleBefore,
        billingCycleAfter: e.billingCycleAfter,
      });
      break;
    case 'suspended':
      Object.assign(event, { statusBefore: e.statusBefore ?? 'active', statusAfter: 'suspended' });
      break;
    case 'reactivated':
      Object.assign(event, { statusBefore: e.statusBefore ?? 'suspended', statusAfter: 'active' });
      break;
    case 'cancelled':
      Object.assign(event, { statusBefore: e.statusBefore ?? 'active', statusAfter: 'cancelled' });
      break;
  }
  return {
    item,
    customer: e.customer,
    subscription: {
      id: e.subscription.id,
      productName: e.subscription.product,
      sku: e.subscription.sku,
      billingType: e.subscription.billingType,
      billingCycle: e.subscription.billingCycle,
      term: e.subscription.term,
      currency: e.subscription.currency,
      unitCost: e.subscription.unitCost,
    },
    event,
  };
}

/**
 * Validates every item of a batch; items are numbered from 1. Events dated after latestDate
 * are refused (a change far in the future would hide every later one).
 */
export function parseJsonEvents(
  items: unknown[],
  latestDate: string = latestAcceptedDate(DEFAULT_INGEST_LIMITS.maxFutureDays),
): { events: IncomingEvent[]; problems: ItemProblem[] } {
  const events: IncomingEvent[] = [];
  const problems: ItemProblem[] = [];
  items.forEach((raw, index) => {
    const item = index + 1;
    const parsed = parseJsonItem(JsonEventSchema, raw, item);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      return;
    }
    if (parsed.data.date > latestDate) {
      problems.push({ item, id: parsed.id, column: 'date', reason: futureDateReason(latestDate) });
      return;
    }
    events.push(toIncomingEvent(item, parsed.data));
  });
  return { events, problems };
}
