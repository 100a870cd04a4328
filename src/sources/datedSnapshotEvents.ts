// Dates the events of a snapshot difference by the source's activity records
// (docs/sources-partner-center.md "Dating the changes"): a snapshot only says the state changed
// between the last pull and today; an activity record of the same subscription and the same kind
// of change inside [since, today] says on which day. The latest such record wins (the state
// today is the last change's); without one the event keeps the pull's day. Pure: no I/O.
import type { HistoryEvent } from '../subscriptions/historyEvent.js';
import type { EventKind } from '../subscriptions/subscriptionValues.js';
import type { SourceActivity } from './sourceConnector.js';

const CHANGE_OF_KIND: Record<EventKind, SourceActivity['change']> = {
  created: 'created',
  quantity_changed: 'quantity',
  suspended: 'status',
  reactivated: 'status',
  cancelled: 'status',
  price_changed: 'price',
  billing_cycle_changed: 'billingCycle',
};

export function datedSnapshotEvents(
  events: readonly HistoryEvent[],
  activity: readonly SourceActivity[],
  range: { since?: string | undefined; today: string },
): HistoryEvent[] {
  const latest = new Map<string, string>();
  for (const record of activity) {
    // the last pull's own day counts: it ran early that day, a change later that day is new
    if (range.since !== undefined && record.date < range.since) continue;
    if (record.date > range.today) continue;
    const key = `${record.subscriptionId}\u0000${record.change}`;
    const known = latest.get(key);
    if (known === undefined || record.date > known) latest.set(key, record.date);
  }
  return events.map((event) => ({
    ...event,
    effectiveDate: latest.get(`${event.subscriptionId}\u0000${CHANGE_OF_KIND[event.kind]}`) ?? range.today,
  }));
}
