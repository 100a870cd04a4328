// What every input channel (CSV, JSON file, ingest API, snapshot) is turned into before it is
// stored: the event plus who it belongs to, so unknown customers and subscriptions can be created.
import { z } from 'zod';
import type { HistoryEvent } from './historyEvent.js';
import type { BillingType, SubscriptionState } from './subscriptionValues.js';

export const CustomerRefSchema = z.object({
  name: z.string().trim().min(1, 'the customer name is missing').max(200),
  externalId: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  domain: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});
export interface CustomerRef {
  name: string;
  externalId?: string | undefined;
  domain?: string | undefined;
}

export interface SubscriptionDescription {
  id: string;
  productName: string;
  sku?: string | undefined;
  billingType: BillingType;
  /** the cycle to create the subscription with when it is new */
  billingCycle: string;
  term?: string | undefined;
  currency: string;
  unitCost?: string | undefined;
}

export interface IncomingEvent {
  /** row number (CSV) or item number (JSON, 1-based), for reports */
  item: number;
  customer: CustomerRef;
  subscription: SubscriptionDescription;
  event: HistoryEvent;
  /** the full state after this change when the source tells it (CSV rows, snapshots) */
  stateAfter?: SubscriptionState | undefined;
}

/** A refused row or item: where, which column or field, and why, in words a person can act on. */
export interface ItemProblem {
  item: number;
  /** the item's own id when it has a readable one (event id, else subscription id) */
  id?: string | undefined;
  column: string;
  reason: string;
}

export function customerKey(customer: CustomerRef): string {
  return customer.externalId ? `id:${customer.externalId}` : `name:${customer.name}`;
}
