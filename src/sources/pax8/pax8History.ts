// A Pax8 subscription and its history records → dated HistoryEvents (docs/sources-pax8.md
// "Mapping"). Pure: the same records always give the same events, ids included, so a re-pull
// stores nothing new.
// Pax8 keeps each change as a full snapshot of the subscription, with no id of its own; an
// event's sourceEventId is therefore built from what identifies the record — the subscription
// id, the snapshot's updatedDate as Pax8 wrote it — and the kind of change.
import { Decimal } from 'decimal.js';
import { createdEvent, eventsBetween, type HistoryEvent } from '../../subscriptions/historyEvent.js';
import type { SubscriptionState, SubscriptionStatus } from '../../subscriptions/subscriptionValues.js';
import type { Pax8HistoryEntry, Pax8SubscriptionRow } from './pax8Schemas.js';

/** Monthly → monthly, Annual → annual, any other term (2-Year, One-Time, …) in lower case. */
export function pax8BillingCycle(billingTerm: string): string {
  return billingTerm.trim().toLowerCase();
}

/**
 * The billing status a Pax8 status means; `provisioning` for the steps before or around a
 * change (Pending…, WaitingForDetails, Trial), which keep whatever status the subscription had;
 * undefined for a status Pax8 does not document.
 */
export function pax8Status(status: string): SubscriptionStatus | 'provisioning' | undefined {
  switch (status) {
    case 'Active':
    case 'Activated':
    case 'Converted':
      return 'active';
    case 'Suspended':
      return 'suspended';
    case 'Cancelled':
      return 'cancelled';
    case 'PendingManual':
    case 'PendingAutomated':
    case 'PendingCancel':
    case 'WaitingForDetails':
    case 'PendingActivation':
    case 'Trial':
      return 'provisioning';
    default:
      return undefined;
  }
}

/** Milliseconds since the epoch of a Pax8 date-time (`-0600` and `-06:00` both read; a bare date is UTC midnight). */
export function pax8Instant(timestamp: string): number {
  if (timestamp.length === 10) return Date.parse(`${timestamp}T00:00:00Z`);
  const normalised = timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(normalised) ? normalised : `${normalised}Z`;
  return Date.parse(withZone);
}

export type Pax8HistoryResult = { events: HistoryEvent[] } | { problem: string };

/**
 * The subscription's events, oldest first. Records are put in time order (Pax8 lists newest
 * first; records of one instant keep that order reversed). The subscription row itself counts as
 * the newest record when it is newer than every history record (or there is no history). The
 * first record with a billing status creates the subscription on its date (a subscription that
 * was never active, or cancelled before it was, has no events); each later record gives one event
 * per changed value, in the order of eventsBetween.
 */
export function pax8HistoryEvents(
  subscription: Pax8SubscriptionRow,
  history: readonly Pax8HistoryEntry[],
): Pax8HistoryResult {
  const stampOf = (e: Pax8HistoryEntry) => (e.updatedDate ?? e.createdDate)!;
  const ordered = history
    .map((entry, index) => ({ entry, index, instant: pax8Instant(stampOf(entry)) }))
    .sort((a, b) => a.instant - b.instant || b.index - a.index)
    .map((r) => r.entry);
  const rowStamp = subscription.updatedDate ?? subscription.createdDate;
  const newest = ordered[ordered.length - 1];
  if (rowStamp && (!newest || pax8Instant(rowStamp) > pax8Instant(stampOf(newest))))
    ordered.push(subscription);
  if (ordered.length === 0) return { problem: 'has no history records and no createdDate or updatedDate' };

  const events: HistoryEvent[] = [];
  const usedIds = new Set<string>();
  const idFor = (stamp: string, kind: string) => {
    const base = `pax8:${subscription.id}:${stamp}:${kind}`;
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}:${n}`;
    usedIds.add(id);
    return id;
  };
  let state: SubscriptionState | undefined;
  for (const entry of ordered) {
    const status = pax8Status(entry.status);
    if (status === undefined)
      return { problem: `has a history record with the unknown status ${entry.status}` };
    const stamp = stampOf(entry);
    const date = stamp.slice(0, 10);
    if (state === undefined) {
      // not billing yet: provisioning, or cancelled before it ever ran
      if (status !== 'active' && status !== 'suspended') continue;
      state = stateOf(entry, status);
      events.push({ ...createdEvent(subscription.id, date, state), sourceEventId: idFor(stamp, 'created') });
      continue;
    }
    const next = stateOf(entry, status === 'provisioning' ? state.status : status);
    for (const event of eventsBetween(subscription.id, date, state, next))
      events.push({ ...event, sourceEventId: idFor(stamp, event.kind) });
    state = next;
  }
  return { events };
}

function stateOf(entry: Pax8HistoryEntry, status: SubscriptionStatus): SubscriptionState {
  return {
    quantity: entry.quantity,
    status,
    unitPrice: new Decimal(String(entry.price)).toFixed(),
    billingCycle: pax8BillingCycle(entry.billingTerm),
  };
}
