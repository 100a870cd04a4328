// Pax8 history records (full snapshots of a subscription) → dated events: every kind, the
// status and term mapping, time order whatever order Pax8 lists them in, changes on one day and
// in one snapshot, provisioning steps, and ids that repeat on a re-read.
import {
  pax8BillingCycle,
  pax8HistoryEvents,
  pax8Instant,
  pax8Status,
} from '../../../src/sources/pax8/pax8History.js';
import {
  Pax8HistoryEntrySchema,
  Pax8SubscriptionSchema,
  type Pax8HistoryEntry,
  type Pax8SubscriptionRow,
} from '../../../src/sources/pax8/pax8Schemas.js';
import type { HistoryEvent } from '../../../src/subscriptions/historyEvent.js';

const ID = '05c587df-9e7d-4ef9-8218-0262198e36c9';

type Snapshot = { quantity: number; status: string; price: number; billingTerm: string; updatedDate: string };

const entry = (s: Snapshot): Pax8HistoryEntry => Pax8HistoryEntrySchema.parse({ id: ID, ...s });
const subscriptionLike = (s: Snapshot): Pax8SubscriptionRow =>
  Pax8SubscriptionSchema.parse({
    id: ID,
    companyId: 'fe7a2d5f-0000-4000-8000-000000000001',
    productId: 'e91bba5e-0000-4000-8000-000000000001',
    currencyCode: 'USD',
    ...s,
  });

/** Pax8 lists history newest first; the subscription row is its newest snapshot. */
function eventsOf(oldestFirst: Snapshot[]): HistoryEvent[] {
  const result = pax8HistoryEvents(
    subscriptionLike(oldestFirst[oldestFirst.length - 1]!),
    [...oldestFirst].reverse().map(entry),
  );
  if ('problem' in result) throw new Error(result.problem);
  return result.events;
}

const base: Snapshot = {
  quantity: 5,
  status: 'Active',
  price: 32.01,
  billingTerm: 'Monthly',
  updatedDate: '2025-01-01T08:30:00.000-0600',
};
const at = (date: string, time = '09:00:00') => `${date}T${time}.000-0600`;

describe('Pax8 values', () => {
  test('billing terms: Monthly and Annual become monthly and annual, the others their own word in lower case', () => {
    expect(pax8BillingCycle('Monthly')).toBe('monthly');
    expect(pax8BillingCycle('Annual')).toBe('annual');
    for (const term of ['2-Year', '3-Year', 'One-Time', 'Trial', 'Activation'])
      expect(pax8BillingCycle(term)).toBe(term.toLowerCase());
  });

  test('statuses: billing ones map to ours, provisioning steps keep the status, an unknown one is undefined', () => {
    for (const s of ['Active', 'Activated', 'Converted']) expect(pax8Status(s)).toBe('active');
    expect(pax8Status('Suspended')).toBe('suspended');
    expect(pax8Status('Cancelled')).toBe('cancelled');
    for (const s of [
      'PendingManual',
      'PendingAutomated',
      'PendingCancel',
      'WaitingForDetails',
      'PendingActivation',
      'Trial',
    ])
      expect(pax8Status(s)).toBe('provisioning');
    expect(pax8Status('Deleted')).toBeUndefined();
    expect(pax8Status('active')).toBeUndefined();
  });

  test('instants read Z, ±hhmm and ±hh:mm offsets and bare dates alike', () => {
    expect(pax8Instant('2020-12-01T13:20:13.153-0700')).toBe(Date.parse('2020-12-01T20:20:13.153Z'));
    expect(pax8Instant('2020-12-01T13:20:13.153-07:00')).toBe(Date.parse('2020-12-01T20:20:13.153Z'));
    expect(pax8Instant('2021-01-01T08:30:00Z')).toBe(Date.parse('2021-01-01T08:30:00Z'));
    expect(pax8Instant('2020-12-03')).toBe(Date.parse('2020-12-03T00:00:00Z'));
  });
});

describe('pax8HistoryEvents', () => {
  test('the first snapshot creates the subscription with its values, on its own date', () => {
    const [created, ...rest] = eventsOf([base]);
    expect(rest).toEqual([]);
    expect(created).toMatchObject({
      subscriptionId: ID,
      kind: 'created',
      effectiveDate: base.updatedDate.slice(0, 10),
      quantityAfter: base.quantity,
      statusAfter: 'active',
      priceAfter: String(base.price),
      billingCycleAfter: 'monthly',
    });
  });

  test.each([
    ['quantity_changed', { quantity: 9 }, { quantityBefore: 5, quantityAfter: 9 }],
    ['suspended', { status: 'Suspended' }, { statusBefore: 'active', statusAfter: 'suspended' }],
    ['cancelled', { status: 'Cancelled' }, { statusBefore: 'active', statusAfter: 'cancelled' }],
    ['price_changed', { price: 33.5 }, { priceBefore: '32.01', priceAfter: '33.5' }],
    [
      'billing_cycle_changed',
      { billingTerm: 'Annual' },
      { billingCycleBefore: 'monthly', billingCycleAfter: 'annual' },
    ],
    [
      'billing_cycle_changed',
      { billingTerm: '3-Year' },
      { billingCycleBefore: 'monthly', billingCycleAfter: '3-year' },
    ],
  ] as const)('a snapshot changing one value is one %s event on its date', (kind, patch, values) => {
    const date = '2025-02-14';
    const events = eventsOf([base, { ...base, ...patch, updatedDate: at(date) }]);
    expect(events.map((e) => e.kind)).toEqual(['created', kind]);
    expect(events[1]).toMatchObject({ effectiveDate: date, ...values });
  });

  test('a reactivation follows a suspension, and a cancelled subscription can come back', () => {
    const events = eventsOf([
      base,
      { ...base, status: 'Suspended', updatedDate: at('2025-03-01') },
      { ...base, status: 'Active', updatedDate: at('2025-03-10') },
      { ...base, status: 'Cancelled', updatedDate: at('2025-04-01') },
      { ...base, status: 'Active', updatedDate: at('2025-04-02') },
    ]);
    expect(events.map((e) => [e.kind, e.effectiveDate, e.statusBefore, e.statusAfter])).toEqual([
      ['created', '2025-01-01', undefined, 'active'],
      ['suspended', '2025-03-01', 'active', 'suspended'],
      ['reactivated', '2025-03-10', 'suspended', 'active'],
      ['cancelled', '2025-04-01', 'active', 'cancelled'],
      ['reactivated', '2025-04-02', 'cancelled', 'active'],
    ]);
  });

  test('records come out in time order whatever order Pax8 lists them in, offsets counted', () => {
    const snapshots: Snapshot[] = [
      base,
      { ...base, quantity: 6, updatedDate: '2025-02-01T23:30:00.000-0600' }, // 2025-02-02 05:30Z
      { ...base, quantity: 7, updatedDate: '2025-02-02T04:00:00Z' }, // earlier than the one above
    ];
    const shuffled = [snapshots[1]!, snapshots[0]!, snapshots[2]!].map(entry);
    const result = pax8HistoryEvents(subscriptionLike(snapshots[1]!), shuffled);
    if ('problem' in result) throw new Error(result.problem);
    expect(result.events.map((e) => [e.kind, e.quantityBefore, e.quantityAfter, e.effectiveDate])).toEqual([
      ['created', undefined, 5, '2025-01-01'],
      ['quantity_changed', 5, 7, '2025-02-02'],
      // dated as Pax8 wrote it (the partner's day), not the UTC day
      ['quantity_changed', 7, 6, '2025-02-01'],
    ]);
  });

  test('two snapshots on one day are two events of that day with their own ids', () => {
    const day = '2025-05-05';
    const events = eventsOf([
      base,
      { ...base, billingTerm: 'Annual', updatedDate: at(day, '09:00:00') },
      { ...base, billingTerm: 'Annual', price: 364.91, updatedDate: at(day, '09:01:00') },
    ]);
    expect(events.slice(1).map((e) => [e.kind, e.effectiveDate])).toEqual([
      ['billing_cycle_changed', day],
      ['price_changed', day],
    ]);
    expect(new Set(events.map((e) => e.sourceEventId)).size).toBe(events.length);
  });

  test('one snapshot changing several values gives one event per value, cycle before price before quantity', () => {
    const events = eventsOf([
      base,
      {
        ...base,
        billingTerm: 'Annual',
        price: 364.91,
        quantity: 8,
        status: 'Suspended',
        updatedDate: at('2025-06-01'),
      },
    ]);
    expect(events.slice(1).map((e) => e.kind)).toEqual([
      'billing_cycle_changed',
      'price_changed',
      'quantity_changed',
      'suspended',
    ]);
    expect(new Set(events.map((e) => e.sourceEventId)).size).toBe(events.length);
  });

  test('provisioning before activation creates nothing until Active; a pending step later keeps the status', () => {
    const events = eventsOf([
      { ...base, status: 'PendingAutomated', updatedDate: at('2025-01-01', '08:00:00') },
      { ...base, status: 'WaitingForDetails', quantity: 6, updatedDate: at('2025-01-02') },
      { ...base, status: 'Active', quantity: 6, updatedDate: at('2025-01-03') },
      { ...base, status: 'PendingAutomated', quantity: 10, updatedDate: at('2025-02-01') },
      { ...base, status: 'Active', quantity: 10, updatedDate: at('2025-02-02') },
      { ...base, status: 'PendingCancel', quantity: 10, updatedDate: at('2025-03-01') },
      { ...base, status: 'Cancelled', quantity: 10, updatedDate: at('2025-03-02') },
    ]);
    expect(events.map((e) => [e.kind, e.effectiveDate])).toEqual([
      ['created', '2025-01-03'],
      ['quantity_changed', '2025-02-01'],
      ['cancelled', '2025-03-02'],
    ]);
    expect(events[0]!.quantityAfter).toBe(6);
  });

  test('a subscription cancelled before it ever ran has no events', () => {
    expect(
      eventsOf([
        { ...base, status: 'PendingManual' },
        { ...base, status: 'Cancelled', updatedDate: at('2025-01-05') },
      ]),
    ).toEqual([]);
  });

  test('reading the same records again gives the same events, ids included; ids name the subscription and record', () => {
    const snapshots = [base, { ...base, quantity: 9, updatedDate: at('2025-02-14') }];
    const first = eventsOf(snapshots);
    expect(eventsOf(snapshots)).toEqual(first);
    for (const e of first) {
      expect(e.sourceEventId).toContain(ID);
      expect(e.sourceEventId).toContain(e.kind);
    }
    expect(first[1]!.sourceEventId).toContain(snapshots[1]!.updatedDate);
  });

  test('the subscription row counts as the newest record when it is newer than the history, or there is none', () => {
    const newer = { ...base, quantity: 12, updatedDate: at('2025-07-01') };
    const withHistory = pax8HistoryEvents(subscriptionLike(newer), [entry(base)]);
    if ('problem' in withHistory) throw new Error(withHistory.problem);
    expect(withHistory.events.map((e) => [e.kind, e.effectiveDate])).toEqual([
      ['created', '2025-01-01'],
      ['quantity_changed', '2025-07-01'],
    ]);
    const alone = pax8HistoryEvents(subscriptionLike(newer), []);
    if ('problem' in alone) throw new Error(alone.problem);
    expect(alone.events.map((e) => [e.kind, e.effectiveDate, e.quantityAfter])).toEqual([
      ['created', '2025-07-01', 12],
    ]);
  });

  test('an undocumented status is a problem, not a guess', () => {
    const result = pax8HistoryEvents(subscriptionLike(base), [entry({ ...base, status: 'Deleted' })]);
    expect(result).toEqual({ problem: expect.stringContaining('Deleted') });
  });
});
