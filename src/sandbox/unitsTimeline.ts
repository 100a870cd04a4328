// The ContractServiceUnits timeline the sandbox generates for one contract-service line.
//
// The rule (Autotask documents none precisely; this is the sandbox's stated model):
// 1. Billing periods step from the CONTRACT START by the period type (1, 3, 6 or 12 months),
//    each period running to the day before the next one starts (month ends clamp:
//    a contract starting on the 31st has a period starting 2026-02-28).
// 2. The line has no rows before its first adjustment. From the first adjustment's effective
//    date to the contract end, every period gets a row, split at each adjustment date inside it.
//    The last period is cut at the contract end date.
// 3. A row's units are the sum of every unitChange dated on or before the row's start (rows at
//    0 units are kept: "0 in force" is an answer too). Its unit price is the adjustedUnitPrice
//    of the latest adjustment on or before the row's start that carries one, else the line's
//    unit price (unconfirmed against a real tenant; the sandbox re-prices from the effective date).
// 4. price = units × unit price × days-in-row ÷ days-in-full-period, rounded to cents
//    (half up) with decimal.js; cost the same with the unit cost.
import { Decimal } from 'decimal.js';
import { billingPeriods, type PeriodContract } from '../core/billingPeriods.js';
import { addDays, daysInclusive } from '../core/calendarDate.js';

/** the contract's billing periods, as src/core/billingPeriods.ts models them */
export type TimelineContract = PeriodContract;

export interface TimelineAdjustment {
  effectiveDate: string;
  unitChange: number;
  adjustedUnitPrice?: Decimal | null;
  adjustedUnitCost?: Decimal | null;
}

export interface TimelineRow {
  startDate: string;
  endDate: string;
  periodStart: string;
  periodEnd: string;
  units: number;
  unitPrice: Decimal;
  price: Decimal;
  cost: Decimal;
}

export { billingPeriods, periodContaining, type BillingPeriod } from '../core/billingPeriods.js';

export function unitsTimeline(
  contract: TimelineContract,
  line: { unitPrice: Decimal; unitCost: Decimal | null },
  adjustments: TimelineAdjustment[],
): TimelineRow[] {
  const sorted = [...adjustments].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
  const first = sorted[0];
  if (!first) return [];
  const rows: TimelineRow[] = [];
  for (const period of billingPeriods(contract)) {
    if (period.end < first.effectiveDate) continue;
    const periodDays = daysInclusive(period.start, period.end);
    const rowsEnd = period.end < contract.endDate ? period.end : contract.endDate;
    const rowsStart = period.start > first.effectiveDate ? period.start : first.effectiveDate;
    const cuts = [
      rowsStart,
      ...new Set(sorted.map((a) => a.effectiveDate).filter((date) => date > rowsStart && date <= rowsEnd)),
    ];
    cuts.forEach((start, i) => {
      const next = cuts[i + 1];
      const end = next ? addDays(next, -1) : rowsEnd;
      const inForce = sorted.filter((a) => a.effectiveDate <= start);
      const units = inForce.reduce((sum, a) => sum + a.unitChange, 0);
      const unitPrice =
        [...inForce].reverse().find((a) => a.adjustedUnitPrice != null)?.adjustedUnitPrice ?? line.unitPrice;
      const unitCost =
        [...inForce].reverse().find((a) => a.adjustedUnitCost != null)?.adjustedUnitCost ??
        line.unitCost ??
        new Decimal(0);
      const days = daysInclusive(start, end);
      // multiply before dividing so the only rounding is the final one to cents
      const prorate = (perUnit: Decimal) =>
        perUnit.times(units).times(days).div(periodDays).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      rows.push({
        startDate: start,
        endDate: end,
        periodStart: period.start,
        periodEnd: period.end,
        units,
        unitPrice,
        price: prorate(unitPrice),
        cost: prorate(unitCost),
      });
    });
  }
  return rows;
}
