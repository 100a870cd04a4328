// datedSnapshotEvents is pure: a snapshot's events dated by the activity records of the same
// subscription and the same kind of change inside [since, today]; the latest such record wins.
import type { HistoryEvent } from '../../../src/subscriptions/historyEvent.js';
import { eventsBetween } from '../../../src/subscriptions/historyEvent.js';
import type { SubscriptionState } from '../../../src/subscriptions/subscriptionValues.js';
import { datedSnapshotEvents } from '../../../src/sources/datedSnapshotEvents.js';
import type { SourceActivity } from '../../../src/sources/sourceConnector.js';

const since = '2026-03-01';
const today = '2026-03-15';
const before: SubscriptionState = { quantity: 5, status: 'active', unitPrice: '0', billingCycle: 'monthly' };

// one quantity change and one suspension on sub-a, one cycle switch on sub-b, all dated today
const events: HistoryEvent[] = [
  ...eventsBetween('sub-a', today, before, { ...before, quantity: 9, status: 'suspended' }),
  ...eventsBetween('sub-b', today, before, { ...before, billingCycle: 'annual' }),
];

const record = (subscriptionId: string, change: SourceActivity['change'], date: string): SourceActivity => ({
  subscriptionId,
  change,
  date,
  recordId: `${subscriptionId}-${change}-${date}`,
});

const dateOf = (dated: HistoryEvent[], id: string, kind: HistoryEvent['kind']) =>
  dated.find((e) => e.subscriptionId === id && e.kind === kind)?.effectiveDate;

describe('datedSnapshotEvents', () => {
  it('starts from events of three kinds on two subscriptions', () => {
    expect(events.map((e) => `${e.subscriptionId}:${e.kind}`).sort()).toEqual(
      ['sub-a:quantity_changed', 'sub-a:suspended', 'sub-b:billing_cycle_changed'].sort(),
    );
  });

  it('dates each event by the latest record of its subscription and change within the range', () => {
    const activity = [
      record('sub-a', 'quantity', '2026-03-04'),
      record('sub-a', 'quantity', '2026-03-11'), // the latest quantity record wins
      record('sub-a', 'quantity', '2026-03-07'),
      record('sub-a', 'status', '2026-03-12'),
      record('sub-b', 'billingCycle', '2026-03-02'),
    ];
    const dated = datedSnapshotEvents(events, activity, { since, today });
    expect(dateOf(dated, 'sub-a', 'quantity_changed')).toBe('2026-03-11');
    expect(dateOf(dated, 'sub-a', 'suspended')).toBe('2026-03-12');
    expect(dateOf(dated, 'sub-b', 'billing_cycle_changed')).toBe('2026-03-02');
  });

  it('ignores records before `since` and after `today`', () => {
    const activity = [
      record('sub-a', 'quantity', '2026-02-20'), // before the last pull
      record('sub-a', 'status', '2026-03-16'), // after the pull's day
    ];
    const dated = datedSnapshotEvents(events, activity, { since, today });
    expect(dateOf(dated, 'sub-a', 'quantity_changed')).toBe(today);
    expect(dateOf(dated, 'sub-a', 'suspended')).toBe(today);
  });

  it("counts a record on the last pull's own day: the pull ran early that day", () => {
    const dated = datedSnapshotEvents(events, [record('sub-a', 'quantity', since)], { since, today });
    expect(dateOf(dated, 'sub-a', 'quantity_changed')).toBe(since);
  });

  it("keeps the pull's day for a change no record tells, and matches the change, not only the subscription", () => {
    const activity = [record('sub-a', 'status', '2026-03-05'), record('sub-c', 'billingCycle', '2026-03-05')];
    const dated = datedSnapshotEvents(events, activity, { since, today });
    expect(dateOf(dated, 'sub-a', 'quantity_changed')).toBe(today);
    expect(dateOf(dated, 'sub-a', 'suspended')).toBe('2026-03-05');
    expect(dateOf(dated, 'sub-b', 'billing_cycle_changed')).toBe(today);
  });

  it('takes every record up to today when there was no earlier pull', () => {
    const dated = datedSnapshotEvents(events, [record('sub-b', 'billingCycle', '2025-12-01')], { today });
    expect(dateOf(dated, 'sub-b', 'billing_cycle_changed')).toBe('2025-12-01');
  });

  it('changes only the dates, returns new objects and leaves its input alone', () => {
    const copy = structuredClone(events);
    const dated = datedSnapshotEvents(events, [record('sub-a', 'quantity', '2026-03-09')], { since, today });
    expect(events).toEqual(copy);
    expect(dated.map(({ effectiveDate: _, ...rest }) => rest)).toEqual(
      copy.map(({ effectiveDate: _, ...rest }) => rest),
    );
  });
});
