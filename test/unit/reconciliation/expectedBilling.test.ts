// What the source history says a line should have been billed for a period: the units in force
// day by day, × the unit price ÷ the days of the full period, rounded once, half up, to cents.
// Every expectation below is worked by hand in the comment beside it.
import { Decimal } from 'decimal.js';
import { expectedAmount, unitSegments } from '../../../src/reconciliation/expectedBilling.js';

const OCTOBER = { start: '2026-10-01', end: '2026-10-31' }; // 31 days
const NOVEMBER = { start: '2026-11-01', end: '2026-11-30' }; // 30 days
const FEBRUARY = { start: '2026-02-01', end: '2026-02-28' }; // 28 days
const FAR_END = '2030-12-31';

/** The amount as money text, after checking nothing finer than a cent is left in it. */
function money(amount: Decimal): string {
  expect(amount.decimalPlaces()).toBeLessThanOrEqual(2);
  return amount.toFixed(2);
}

describe('unitSegments', () => {
  it('is one segment when nothing changes inside the period', () => {
    expect(
      unitSegments([{ effectiveDate: '2026-01-01', unitChange: 10 }], '2026-10-01', '2026-10-31'),
    ).toEqual([{ start: '2026-10-01', end: '2026-10-31', units: 10 }]);
  });

  it('cuts at a change inside the period, the day before it ending the earlier segment', () => {
    const changes = [
      { effectiveDate: '2026-01-01', unitChange: 10 },
      { effectiveDate: '2026-10-16', unitChange: 2 },
    ];
    expect(unitSegments(changes, '2026-10-01', '2026-10-31')).toEqual([
      { start: '2026-10-01', end: '2026-10-15', units: 10 },
      { start: '2026-10-16', end: '2026-10-31', units: 12 },
    ]);
  });

  it('counts a change dated on the first day from the start without an empty segment', () => {
    expect(
      unitSegments([{ effectiveDate: '2026-10-01', unitChange: 5 }], '2026-10-01', '2026-10-31'),
    ).toEqual([{ start: '2026-10-01', end: '2026-10-31', units: 5 }]);
  });

  it('has no units before a first change inside the period', () => {
    expect(
      unitSegments([{ effectiveDate: '2026-10-11', unitChange: 4 }], '2026-10-01', '2026-10-31'),
    ).toEqual([
      { start: '2026-10-01', end: '2026-10-10', units: 0 },
      { start: '2026-10-11', end: '2026-10-31', units: 4 },
    ]);
  });

  it('ignores changes after the end and sums changes on one date into one cut, in any input order', () => {
    const changes = [
      { effectiveDate: '2026-11-05', unitChange: 3 },
      { effectiveDate: '2026-10-16', unitChange: 2 },
      { effectiveDate: '2026-01-01', unitChange: 10 },
      { effectiveDate: '2026-10-16', unitChange: -1 },
    ];
    // 10 until the 15th; from the 16th 10 + 2 − 1 = 11; the November change is outside
    expect(unitSegments(changes, '2026-10-01', '2026-10-31')).toEqual([
      { start: '2026-10-01', end: '2026-10-15', units: 10 },
      { start: '2026-10-16', end: '2026-10-31', units: 11 },
    ]);
  });

  it('gives a change on the last day a one-day segment', () => {
    const changes = [
      { effectiveDate: '2026-01-01', unitChange: 10 },
      { effectiveDate: '2026-10-31', unitChange: 1 },
    ];
    expect(unitSegments(changes, '2026-10-01', '2026-10-31')).toEqual([
      { start: '2026-10-01', end: '2026-10-30', units: 10 },
      { start: '2026-10-31', end: '2026-10-31', units: 11 },
    ]);
  });
});

describe('expectedAmount', () => {
  it('bills a full month at constant units as units × price, whatever the month length', () => {
    const changes = [{ effectiveDate: '2026-01-01', unitChange: 10 }];
    // 10 × 22.00 = 220.00 in a 31-day and in a 28-day month alike
    expect(money(expectedAmount(changes, new Decimal('22.00'), OCTOBER, FAR_END))).toBe('220.00');
    expect(money(expectedAmount(changes, new Decimal('22.00'), FEBRUARY, FAR_END))).toBe('220.00');
    expect(money(expectedAmount(changes, new Decimal('22.00'), NOVEMBER, FAR_END))).toBe('220.00');
  });

  it('multiplies in decimals, not binary floating point', () => {
    // 3 × 22.10 = 66.30 exactly (in JavaScript numbers 3 * 22.1 = 66.30000000000001)
    const changes = [{ effectiveDate: '2026-01-01', unitChange: 3 }];
    expect(expectedAmount(changes, new Decimal('22.10'), OCTOBER, FAR_END).toString()).toBe('66.3');
  });

  it('prorates a mid-period change by days ÷ days of the period and rounds once', () => {
    // 1 unit Oct 1–15 (15 unit-days) + 2 units Oct 16–31 (16 days × 2 = 32) = 47 unit-days;
    // 1.00 × 47 ÷ 31 = 1.51612… → 1.52. Rounding each segment instead would give
    // 15/31 = 0.48 + 32/31 = 1.03 = 1.51.
    const changes = [
      { effectiveDate: '2026-01-01', unitChange: 1 },
      { effectiveDate: '2026-10-16', unitChange: 1 },
    ];
    expect(money(expectedAmount(changes, new Decimal('1.00'), OCTOBER, FAR_END))).toBe('1.52');
  });

  it('rounds an exact half cent up', () => {
    // 2 units Nov 1–15 (30 unit-days) + 1 unit Nov 16–30 (15) = 45 unit-days;
    // 3.35 × 45 ÷ 30 = 150.75 ÷ 30 = 5.025 → 5.03 half up (half-even would give 5.02)
    const changes = [
      { effectiveDate: '2026-01-01', unitChange: 2 },
      { effectiveDate: '2026-11-16', unitChange: -1 },
    ];
    expect(money(expectedAmount(changes, new Decimal('3.35'), NOVEMBER, FAR_END))).toBe('5.03');
  });

  it('bills a line whose first change is inside the period from that date', () => {
    // 2 units Oct 22–31 = 10 days × 2 = 20 unit-days; 31.00 × 20 ÷ 31 = 20.00
    const changes = [{ effectiveDate: '2026-10-22', unitChange: 2 }];
    expect(money(expectedAmount(changes, new Decimal('31.00'), OCTOBER, FAR_END))).toBe('20.00');
  });

  it('ignores a change dated after the period', () => {
    const changes = [
      { effectiveDate: '2026-01-01', unitChange: 10 },
      { effectiveDate: '2026-11-01', unitChange: 5 },
    ];
    expect(money(expectedAmount(changes, new Decimal('22.00'), OCTOBER, FAR_END))).toBe('220.00');
  });

  it('stops at the contract end, still dividing by the days of the full period', () => {
    // contract ends Oct 20: 3 units × 20 days = 60 unit-days; 31.00 × 60 ÷ 31 = 60.00
    // (the full month would be 93.00)
    const changes = [{ effectiveDate: '2026-01-01', unitChange: 3 }];
    expect(money(expectedAmount(changes, new Decimal('31.00'), OCTOBER, '2026-10-20'))).toBe('60.00');
  });

  it('bills the contract end day itself', () => {
    // contract ends Oct 1: 1 unit × 1 day; 31.00 × 1 ÷ 31 = 1.00
    const changes = [{ effectiveDate: '2026-01-01', unitChange: 1 }];
    expect(money(expectedAmount(changes, new Decimal('31.00'), OCTOBER, '2026-10-01'))).toBe('1.00');
  });

  it('prorates an annual period over its 12 months', () => {
    const YEAR = { start: '2026-03-01', end: '2027-02-28' }; // 365 days
    // constant 2 units all year: 2 × 120.00 = 240.00
    expect(
      money(
        expectedAmount(
          [{ effectiveDate: '2026-03-01', unitChange: 2 }],
          new Decimal('120.00'),
          YEAR,
          FAR_END,
        ),
      ),
    ).toBe('240.00');
    // 2 units Mar 1–Aug 31 (31+30+31+30+31+31 = 184 days) then 3 units Sep 1–Feb 28
    // (30+31+30+31+31+28 = 181 days): 368 + 543 = 911 unit-days;
    // 120.00 × 911 ÷ 365 = 109320 ÷ 365 = 299.5068… → 299.51
    const changes = [
      { effectiveDate: '2026-03-01', unitChange: 2 },
      { effectiveDate: '2026-09-01', unitChange: 1 },
    ];
    expect(money(expectedAmount(changes, new Decimal('120.00'), YEAR, FAR_END))).toBe('299.51');
  });

  it('is zero for a line with no changes', () => {
    expect(money(expectedAmount([], new Decimal('22.00'), OCTOBER, FAR_END))).toBe('0.00');
  });
});
