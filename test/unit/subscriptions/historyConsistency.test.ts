import type { HistoryEvent } from '../../../src/subscriptions/historyEvent.js';
import { checkHistoryConsistency } from '../../../src/subscriptions/historyConsistency.js';

const TODAY = '2026-11-25';
const created: HistoryEvent = {
  subscriptionId: 'sub-1',
  effectiveDate: '2025-01-01',
  kind: 'created',
  quantityAfter: 10,
  statusAfter: 'active',
  priceAfter: '22',
  billingCycleAfter: 'monthly',
};
const change = (date: string, kind: HistoryEvent['kind'], values: Partial<HistoryEvent>): HistoryEvent => ({
  subscriptionId: 'sub-1',
  effectiveDate: date,
  kind,
  ...values,
});

describe('checkHistoryConsistency', () => {
  it('finds nothing in a history whose values chain', () => {
    const events = [
      created,
      change('2025-02-01', 'quantity_changed', { quantityBefore: 10, quantityAfter: 12 }),
      change('2025-03-01', 'price_changed', { priceBefore: '22.00', priceAfter: '23' }),
      change('2025-04-01', 'suspended', { statusBefore: 'active', statusAfter: 'suspended' }),
      change('2025-05-01', 'reactivated', { statusBefore: 'suspended', statusAfter: 'active' }),
      change('2025-05-01', 'quantity_changed', { quantityBefore: 12, quantityAfter: 3 }),
    ];
    expect(checkHistoryConsistency(events, TODAY)).toEqual([]);
  });

  it('reports a before value that does not chain with the previous after, with date and fix hint', () => {
    const findings = checkHistoryConsistency(
      [created, change('2025-02-01', 'quantity_changed', { quantityBefore: 8, quantityAfter: 12 })],
      TODAY,
    );
    expect(findings).toEqual([
      {
        code: 'HISTORY_INCONSISTENT',
        severity: 'error',
        subscriptionId: 'sub-1',
        effectiveDate: '2025-02-01',
        message: expect.stringContaining(
          'quantity before it is 8, but the previous change (2025-01-01) left it at 10',
        ),
        hint: expect.stringContaining('missing'),
      },
    ]);
  });

  it('reports status and price that do not chain', () => {
    const findings = checkHistoryConsistency(
      [
        created,
        change('2025-02-01', 'reactivated', { statusBefore: 'suspended', statusAfter: 'active' }),
        change('2025-03-01', 'price_changed', { priceBefore: '20', priceAfter: '23' }),
      ],
      TODAY,
    );
    expect(findings.map((f) => f.effectiveDate)).toEqual(['2025-02-01', '2025-03-01']);
    expect(findings[0]!.message).toMatch(/status before it is suspended/);
    expect(findings[1]!.message).toMatch(/unit price before it is 20/);
  });

  it('reports negative quantities', () => {
    const findings = checkHistoryConsistency(
      [created, change('2025-02-01', 'quantity_changed', { quantityBefore: 10, quantityAfter: -2 })],
      TODAY,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/quantity -2 is negative/);
  });

  it('reports dates after today', () => {
    const findings = checkHistoryConsistency(
      [created, change('2026-12-01', 'quantity_changed', { quantityBefore: 10, quantityAfter: 11 })],
      TODAY,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      effectiveDate: '2026-12-01',
      message: expect.stringMatching(/future/),
    });
  });

  it('reports events out of date order and a second creation', () => {
    const findings = checkHistoryConsistency(
      [
        created,
        change('2025-05-01', 'quantity_changed', { quantityBefore: 10, quantityAfter: 11 }),
        { ...created, effectiveDate: '2025-03-01' },
      ],
      TODAY,
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/comes after an event dated 2025-05-01/),
      expect.stringMatching(/created again/),
    ]);
  });
});
