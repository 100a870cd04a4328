import type { HistoryPull, SnapshotPull } from '../../../src/sources/sourceConnector.js';
import { storableRows } from '../../../src/sources/storableRows.js';

const subscription = (id: string, overrides: object = {}) => ({
  id,
  customerSourceId: 'c-1',
  productName: 'Microsoft 365 E3',
  billingType: 'quantity' as const,
  billingCycle: 'monthly',
  currency: 'USD',
  ...overrides,
});

describe('the rows of a pull held to what every input is held to', () => {
  it('leaves out what the database cannot store or the import would refuse, naming each by its id', () => {
    const pull: HistoryPull = {
      kind: 'history',
      customers: [
        { sourceId: 'c-1', name: 'Acme' },
        { sourceId: 'c-2', name: 'Nul\u0000 Inc' },
      ],
      subscriptions: [
        subscription('s-ok'),
        subscription('s-long', { productName: 'x'.repeat(301) }),
        subscription('s-currency', { currency: 'dollars' }),
        subscription('s-end', { term: { endDate: '2026-02-30' } }),
      ],
      events: [
        {
          subscriptionId: 's-ok',
          effectiveDate: '2026-01-02',
          kind: 'created',
          quantityAfter: 3,
          sourceEventId: 'h-1',
        },
        {
          subscriptionId: 's-ok',
          effectiveDate: '2026-13-01',
          kind: 'quantity_changed',
          quantityBefore: 3,
          quantityAfter: 4,
          sourceEventId: 'h-2',
        },
        {
          subscriptionId: 's-ok',
          effectiveDate: '2026-02-01',
          kind: 'price_changed',
          priceBefore: '1',
          priceAfter: '-2',
          sourceEventId: 'h-3',
        },
        {
          subscriptionId: 's-long',
          effectiveDate: '2026-01-02',
          kind: 'created',
          quantityAfter: 1,
          sourceEventId: 'h-4',
        },
      ],
      problems: [{ entity: 'company', sourceId: 'c-9', reason: 'from the connector' }],
      requests: 3,
    };
    const kept = storableRows(pull);
    expect(kept.customers.map((c) => c.sourceId)).toEqual(['c-1']);
    expect(kept.subscriptions.map((s) => s.id)).toEqual(['s-ok']);
    expect(kept.events.map((e) => e.sourceEventId)).toEqual(['h-1']);
    expect(kept.problems.map((p) => [p.entity, p.sourceId])).toEqual([
      ['company', 'c-9'],
      ['customer', 'c-2'],
      ['subscription', 's-long'],
      ['subscription', 's-currency'],
      ['subscription', 's-end'],
      ['history', 'h-2'],
      ['history', 'h-3'],
    ]);
    expect(kept.problems[2]!.reason).toBe('the product name is longer than 300 characters');
  });

  it('checks the state a snapshot tells', () => {
    const pull: SnapshotPull = {
      kind: 'snapshot',
      customers: [{ sourceId: 'c-1', name: 'Acme' }],
      subscriptions: [
        {
          ...subscription('s-1'),
          state: { quantity: 2, status: 'active', unitPrice: '0', billingCycle: 'monthly' },
        },
        {
          ...subscription('s-2'),
          state: { quantity: 2.5, status: 'active', unitPrice: '0', billingCycle: 'monthly' },
        },
      ],
      activity: [],
      problems: [],
      requests: 1,
    };
    const kept = storableRows(pull);
    expect(kept.subscriptions.map((s) => s.id)).toEqual(['s-1']);
    expect(kept.problems).toEqual([
      { entity: 'subscription', sourceId: 's-2', reason: 'the quantity 2.5 is not a whole number of units' },
    ]);
  });
});
