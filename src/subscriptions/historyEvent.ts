// A history event as the domain sees it (docs/billing-semantics.md §1): a dated change of one
// subscription with the before/after values its kind changes, and nothing else.
import type { EventKind, SubscriptionState, SubscriptionStatus } from './subscriptionValues.js';
import { sameMoney } from './subscriptionValues.js';

export interface HistoryEvent {
  subscriptionId: string;
  /** YYYY-MM-DD */
  effectiveDate: string;
  kind: EventKind;
  quantityBefore?: number | null;
  quantityAfter?: number | null;
  statusBefore?: SubscriptionStatus | null;
  statusAfter?: SubscriptionStatus | null;
  /** decimal strings */
  priceBefore?: string | null;
  priceAfter?: string | null;
  billingCycleBefore?: string | null;
  billingCycleAfter?: string | null;
  /** the source system's own id for this change, when it has one */
  sourceEventId?: string | null;
}

/** Which before/after pairs each kind carries (created has only "after" values). */
export const KIND_FIELDS: Record<EventKind, ('quantity' | 'status' | 'price' | 'billingCycle')[]> = {
  created: ['quantity', 'status', 'price', 'billingCycle'],
  quantity_changed: ['quantity'],
  suspended: ['status'],
  reactivated: ['status'],
  cancelled: ['status'],
  price_changed: ['price'],
  billing_cycle_changed: ['billingCycle'],
};

export function createdEvent(
  subscriptionId: string,
  effectiveDate: string,
  state: SubscriptionState,
): HistoryEvent {
  return {
    subscriptionId,
    effectiveDate,
    kind: 'created',
    quantityAfter: state.quantity,
    statusAfter: state.status,
    priceAfter: state.unitPrice,
    billingCycleAfter: state.billingCycle,
  };
}

/**
 * The events that turn state `before` into state `after` on one date, one event per changed
 * value, so a quantity change and a price change on one date are two events. The order is the
 * one a person would apply them in: switch cycle, reactivate, reprice, change quantity, then
 * suspend or cancel.
 */
export function eventsBetween(
  subscriptionId: string,
  effectiveDate: string,
  before: SubscriptionState,
  after: SubscriptionState,
): HistoryEvent[] {
  const base = { subscriptionId, effectiveDate };
  const events: HistoryEvent[] = [];
  if (before.billingCycle !== after.billingCycle) {
    events.push({
      ...base,
      kind: 'billing_cycle_changed',
      billingCycleBefore: before.billingCycle,
      billingCycleAfter: after.billingCycle,
    });
  }
  const statusChanged = before.status !== after.status;
  if (statusChanged && after.status === 'active') {
    events.push({ ...base, kind: 'reactivated', statusBefore: before.status, statusAfter: 'active' });
  }
  if (!sameMoney(before.unitPrice, after.unitPrice)) {
    events.push({
      ...base,
      kind: 'price_changed',
      priceBefore: before.unitPrice,
      priceAfter: after.unitPrice,
    });
  }
  if (before.quantity !== after.quantity) {
    events.push({
      ...base,
      kind: 'quantity_changed',
      quantityBefore: before.quantity,
      quantityAfter: after.quantity,
    });
  }
  if (statusChanged && after.status !== 'active') {
    events.push({
      ...base,
      kind: after.status === 'suspended' ? 'suspended' : 'cancelled',
      statusBefore: before.status,
      statusAfter: after.status,
    });
  }
  return events;
}
