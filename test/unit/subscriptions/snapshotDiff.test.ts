// The snapshot diff is a pure function: previous state + snapshot + date → events. One row per
// event kind, plus two changes to one subscription between snapshots.
import type { HistoryEvent } from '../../../src/subscriptions/historyEvent.js';
import { diffSnapshot } from '../../../src/subscriptions/snapshotDiff.js';
import type { SubscriptionState } from '../../../src/subscriptions/subscriptionValues.js';

const D = '2025-06-01';
const base: SubscriptionState = { quantity: 10, status: 'active', unitPrice: '22', billingCycle: 'monthly' };
const s = (over: Partial<SubscriptionState> = {}): SubscriptionState => ({ ...base, ...over });
const ev = (kind: HistoryEvent['kind'], values: Partial<HistoryEvent>): HistoryEvent => ({
  subscriptionId: 'sub-1',
  effectiveDate: D,
  kind,
  ...values,
});

const cases: {
  name: string;
  previous: SubscriptionState | undefined;
  now: SubscriptionState | undefined;
  events: HistoryEvent[];
}[] = [
  {
    name: 'created: new in the snapshot',
    previous: undefined,
    now: s(),
    events: [
      ev('created', {
        quantityAfter: 10,
        statusAfter: 'active',
        priceAfter: '22',
        billingCycleAfter: 'monthly',
      }),
    ],
  },
  {
    name: 'quantity_changed',
    previous: s(),
    now: s({ quantity: 14 }),
    events: [ev('quantity_changed', { quantityBefore: 10, quantityAfter: 14 })],
  },
  {
    name: 'suspended',
    previous: s(),
    now: s({ status: 'suspended' }),
    events: [ev('suspended', { statusBefore: 'active', statusAfter: 'suspended' })],
  },
  {
    name: 'reactivated',
    previous: s({ status: 'suspended' }),
    now: s(),
    events: [ev('reactivated', { statusBefore: 'suspended', statusAfter: 'active' })],
  },
  {
    name: 'price_changed (12.50 and 12.5 are the same price)',
    previous: s({ unitPrice: '12.5' }),
    now: s({ unitPrice: '13.75' }),
    events: [ev('price_changed', { priceBefore: '12.5', priceAfter: '13.75' })],
  },
  {
    name: 'billing_cycle_changed',
    previous: s(),
    now: s({ billingCycle: 'annual' }),
    events: [ev('billing_cycle_changed', { billingCycleBefore: 'monthly', billingCycleAfter: 'annual' })],
  },
  {
    name: 'cancelled: status cancelled in the snapshot',
    previous: s(),
    now: s({ status: 'cancelled' }),
    events: [ev('cancelled', { statusBefore: 'active', statusAfter: 'cancelled' })],
  },
  {
    name: 'cancelled: absent from the snapshot',
    previous: s({ status: 'suspended' }),
    now: undefined,
    events: [ev('cancelled', { statusBefore: 'suspended', statusAfter: 'cancelled' })],
  },
  {
    name: 'two changes to one subscription: quantity and price → two events',
    previous: s(),
    now: s({ quantity: 12, unitPrice: '24.5' }),
    events: [
      ev('price_changed', { priceBefore: '22', priceAfter: '24.5' }),
      ev('quantity_changed', { quantityBefore: 10, quantityAfter: 12 }),
    ],
  },
  {
    name: 'reactivated with more seats: reactivation first, then the quantity',
    previous: s({ status: 'suspended' }),
    now: s({ quantity: 15 }),
    events: [
      ev('reactivated', { statusBefore: 'suspended', statusAfter: 'active' }),
      ev('quantity_changed', { quantityBefore: 10, quantityAfter: 15 }),
    ],
  },
  { name: 'unchanged → nothing', previous: s(), now: s(), events: [] },
  {
    name: 'already cancelled and absent → nothing',
    previous: s({ status: 'cancelled' }),
    now: undefined,
    events: [],
  },
  {
    name: 'new but already cancelled → nothing',
    previous: undefined,
    now: s({ status: 'cancelled' }),
    events: [],
  },
];

describe('diffSnapshot', () => {
  it.each(cases)('$name', ({ previous, now, events }) => {
    const previousMap = new Map(previous ? [['sub-1', previous]] : []);
    const snapshot = now ? [{ id: 'sub-1', state: now }] : [];
    expect(diffSnapshot(previousMap, snapshot, D)).toEqual(events);
  });

  it('covers every event kind in the table above', () => {
    const kinds = new Set(cases.flatMap((c) => c.events.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual(
      [
        'billing_cycle_changed',
        'cancelled',
        'created',
        'price_changed',
        'quantity_changed',
        'reactivated',
        'suspended',
      ].sort(),
    );
  });

  it('diffs many subscriptions at once and leaves untouched ones alone', () => {
    const previous = new Map([
      ['a', s()],
      ['b', s()],
      ['c', s()],
    ]);
    const events = diffSnapshot(
      previous,
      [
        { id: 'a', state: s() },
        { id: 'b', state: s({ quantity: 1 }) },
        { id: 'd', state: s() },
      ],
      D,
    );
    expect(events.map((e) => `${e.subscriptionId}:${e.kind}`)).toEqual([
      'b:quantity_changed',
      'd:created',
      'c:cancelled',
    ]);
  });
});
