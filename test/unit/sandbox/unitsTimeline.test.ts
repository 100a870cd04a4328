// The pure timeline rule behind the sandbox's ContractServiceUnits (the over-HTTP table test is
// test/integration/sandbox/unitsTimeline.test.ts).
import { Decimal } from 'decimal.js';
import { billingPeriods, periodContaining, unitsTimeline } from '../../../src/sandbox/unitsTimeline.js';

describe('billing periods', () => {
  it('step from the contract start, clamping month ends but never drifting', () => {
    expect(billingPeriods({ startDate: '2026-01-31', endDate: '2026-04-30', periodMonths: 1 })).toEqual([
      { start: '2026-01-31', end: '2026-02-27' },
      { start: '2026-02-28', end: '2026-03-30' },
      { start: '2026-03-31', end: '2026-04-29' },
      { start: '2026-04-30', end: '2026-05-30' },
    ]);
  });

  it('are quarterly or yearly by the period type', () => {
    const quarterly = { startDate: '2026-02-15', endDate: '2026-12-31', periodMonths: 3 };
    expect(billingPeriods(quarterly).map((p) => p.start)).toEqual([
      '2026-02-15',
      '2026-05-15',
      '2026-08-15',
      '2026-11-15',
    ]);
    expect(periodContaining(quarterly, '2026-06-01')).toEqual({ start: '2026-05-15', end: '2026-08-14' });
    expect(periodContaining(quarterly, '2027-01-01')).toBeUndefined();
  });
});

describe('units timeline', () => {
  it('re-prices from an adjustedUnitPrice and prorates a yearly period by days', () => {
    const rows = unitsTimeline(
      { startDate: '2026-01-01', endDate: '2026-12-31', periodMonths: 12 },
      { unitPrice: new Decimal('120.00'), unitCost: null },
      [
        { effectiveDate: '2026-01-01', unitChange: 2 },
        { effectiveDate: '2026-07-01', unitChange: 0, adjustedUnitPrice: new Decimal('132.00') },
      ],
    );
    expect(
      rows.map((r) => [r.startDate, r.endDate, r.units, r.unitPrice.toFixed(2), r.price.toFixed(2)]),
    ).toEqual([
      ['2026-01-01', '2026-06-30', 2, '120.00', '119.01'], // 2 × 120 × 181/365 = 119.013…
      ['2026-07-01', '2026-12-31', 2, '132.00', '133.08'], // 2 × 132 × 184/365 = 133.0849…
    ]);
  });
});
