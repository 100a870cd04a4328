// The snapshot diff, a pure function: the state we knew, a snapshot of every subscription as of
// one date → the events that happened in between, all dated the snapshot date.
import { createdEvent, eventsBetween, type HistoryEvent } from './historyEvent.js';
import type { SubscriptionState } from './subscriptionValues.js';

export interface SnapshotEntry {
  id: string;
  state: SubscriptionState;
}

/**
 * - new and not cancelled → created
 * - known and changed → one event per changed value (quantity and price changes are two events)
 * - known, not cancelled, and absent from the snapshot → cancelled
 * - cancelled and absent, or new and already cancelled → nothing (there is nothing to bill)
 */
export function diffSnapshot(
  previous: ReadonlyMap<string, SubscriptionState>,
  snapshot: readonly SnapshotEntry[],
  snapshotDate: string,
): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const seen = new Set<string>();
  for (const { id, state } of snapshot) {
    seen.add(id);
    const before = previous.get(id);
    if (!before) {
      if (state.status !== 'cancelled') events.push(createdEvent(id, snapshotDate, state));
      continue;
    }
    events.push(...eventsBetween(id, snapshotDate, before, state));
  }
  for (const [id, before] of previous) {
    if (seen.has(id) || before.status === 'cancelled') continue;
    events.push({
      subscriptionId: id,
      effectiveDate: snapshotDate,
      kind: 'cancelled',
      statusBefore: before.status,
      statusAfter: 'cancelled',
    });
  }
  return events;
}
