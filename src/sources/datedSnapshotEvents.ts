// PURE: a snapshot's differences are dated the pull's day unless an activity record of the
// source tells when the change really happened (docs/sources.md "Partner Center").
import type { HistoryEvent } from '../subscriptions/historyEvent.js';
import type { SourceActivity } from './sourceConnector.js';

const CHANGE_OF_KIND: Record<HistoryEvent['kind'], SourceActivity['change']> = {
  created: 'created',
  quantity_changed: 'quantity',
  suspended: 'status',
  reactivated: 'status',
  cancelled: 'status',
  price_changed: 'price',
  billing_cycle_changed: 'billingCycle',
};

/** Each event re-dated to the latest record of its subscription and change in (since, today]. */
export function datedSnapshotEvents(
  events: readonly HistoryEvent[],
  activity: readonly SourceActivity[],
  range: { since?: string | undefined; today: string },
): HistoryEvent[] {
  const latest = new Map<string, string>();
  for (const a of activity) {
    if (a.date > range.today || (range.since !== undefined && a.date <= range.since)) continue;
    const key = `${a.subscriptionId}\u0000${a.change}`;
    const known = latest.get(key);
    if (known === undefined || a.date > known) latest.set(key, a.date);
  }
  return events.map((e) => {
    const date = latest.get(`${e.subscriptionId}\u0000${CHANGE_OF_KIND[e.kind]}`);
    return date ? { ...e, effectiveDate: date } : e;
  });
}
