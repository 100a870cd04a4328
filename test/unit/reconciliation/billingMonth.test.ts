// The month a reconciliation looks at: its first and last day, the month before a date, and the
// month chosen from what was typed (or last month when nothing was).
import { billingMonth, chooseBillingMonth, previousMonth } from '../../../src/reconciliation/billingMonth.js';

describe('billingMonth', () => {
  it('gives February 2028 (a leap year) 29 days', () => {
    expect(billingMonth('2028-02')).toEqual({ month: '2028-02', first: '2028-02-01', last: '2028-02-29' });
  });

  it('gives February 2026 (not a leap year) 28 days', () => {
    expect(billingMonth('2026-02')).toEqual({ month: '2026-02', first: '2026-02-01', last: '2026-02-28' });
  });

  it('ends a 30-day month on the 30th', () => {
    for (const month of ['2026-04', '2026-06', '2026-09', '2026-11'])
      expect(billingMonth(month)).toEqual({ month, first: `${month}-01`, last: `${month}-30` });
  });

  it('ends a 31-day month on the 31st, December included', () => {
    for (const month of ['2026-01', '2026-03', '2026-05', '2026-07', '2026-08', '2026-10', '2026-12'])
      expect(billingMonth(month)).toEqual({ month, first: `${month}-01`, last: `${month}-31` });
  });
});

describe('previousMonth', () => {
  it('is the month before the one the date is in', () => {
    expect(previousMonth('2026-11-25')).toBe('2026-10');
    expect(previousMonth('2026-03-01')).toBe('2026-02');
    expect(previousMonth('2026-10-31')).toBe('2026-09');
  });

  it('goes from January to December of the year before', () => {
    expect(previousMonth('2027-01-01')).toBe('2026-12');
    expect(previousMonth('2027-01-31')).toBe('2026-12');
  });
});

describe('chooseBillingMonth', () => {
  const TODAY = '2026-11-25';

  it('chooses last month when nothing was typed', () => {
    expect(chooseBillingMonth(null, TODAY)).toEqual({
      ok: true,
      month: { month: '2026-10', first: '2026-10-01', last: '2026-10-31' },
    });
  });

  it('chooses December of last year when nothing was typed in January', () => {
    expect(chooseBillingMonth(null, '2027-01-05')).toEqual({
      ok: true,
      month: { month: '2026-12', first: '2026-12-01', last: '2026-12-31' },
    });
  });

  it('takes a typed past month as it is', () => {
    expect(chooseBillingMonth('2026-02', TODAY)).toEqual({
      ok: true,
      month: { month: '2026-02', first: '2026-02-01', last: '2026-02-28' },
    });
  });

  it.each(['2026-13', '2026-00', '2026-1', 'october', '26-10', '2026/10', '2026-10-01', ' 2026-10', ''])(
    'refuses %j as not a month with RECONCILE_MONTH_INVALID',
    (typed) => {
      const chosen = chooseBillingMonth(typed, TODAY);
      expect(chosen.ok).toBe(false);
      if (chosen.ok) return;
      expect(chosen.problem.code).toBe('RECONCILE_MONTH_INVALID');
      expect(chosen.problem.message).toContain('is not a month');
      expect(chosen.problem.message).toContain(`"${typed}"`);
    },
  );

  it('refuses a month that has not begun', () => {
    for (const typed of ['2026-12', '2027-01', '2030-06']) {
      const chosen = chooseBillingMonth(typed, TODAY);
      expect(chosen.ok).toBe(false);
      if (chosen.ok) continue;
      expect(chosen.problem.code).toBe('RECONCILE_MONTH_INVALID');
      expect(chosen.problem.message).toContain('has not begun');
      expect(chosen.problem.hint).toContain('2026-11');
    }
  });

  it('allows the current month, even on its first day', () => {
    expect(chooseBillingMonth('2026-11', TODAY)).toEqual({
      ok: true,
      month: { month: '2026-11', first: '2026-11-01', last: '2026-11-30' },
    });
    expect(chooseBillingMonth('2026-11', '2026-11-01')).toEqual({
      ok: true,
      month: { month: '2026-11', first: '2026-11-01', last: '2026-11-30' },
    });
  });
});
