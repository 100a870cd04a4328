// What the source history says a line should have been billed for one billing period (PURE):
// units in force each day × the line's unit price ÷ the days of the full period, summed over the
// period's days and rounded to cents once (half up, decimal.js). Autotask rounds each split row
// of the period on its own, so where a period is split the two can differ by a cent a row: that
// difference is "proration" (docs/reconciliation.md).
import { Decimal } from 'decimal.js';
import type { BillingPeriod } from '../core/billingPeriods.js';
import { addDays, daysInclusive } from '../core/calendarDate.js';

export interface DatedUnitChange {
  effectiveDate: string;
  unitChange: number;
}

/** The units in force from each change date inside the period (and from its start). */
export function unitSegments(
  changes: readonly DatedUnitChange[],
  from: string,
  to: string,
): { start: string; end: string; units: number }[] {
  const sorted = [...changes].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
  const cuts = [from, ...new Set(sorted.map((c) => c.effectiveDate).filter((d) => d > from && d <= to))];
  return cuts.map((start, i) => ({
    start,
    end: cuts[i + 1] ? addDays(cuts[i + 1]!, -1) : to,
    units: sorted.filter((c) => c.effectiveDate <= start).reduce((sum, c) => sum + c.unitChange, 0),
  }));
}

/**
 * The amount for `period` (cut at `contractEnd`), from a line's changes. A line whose first
 * change comes inside the period bills from that date.
 */
export function expectedAmount(
  changes: readonly DatedUnitChange[],
  unitPrice: Decimal,
  period: BillingPeriod,
  contractEnd: string,
): Decimal {
  const periodDays = daysInclusive(period.start, period.end);
  const to = period.end < contractEnd ? period.end : contractEnd;
  const unitDays = unitSegments(changes, period.start, to).reduce(
    (sum, s) => sum + s.units * daysInclusive(s.start, s.end),
    0,
  );
  return unitPrice.times(unitDays).div(periodDays).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}
