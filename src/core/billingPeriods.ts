// Autotask's billing periods of a recurring-service contract, as this project models them
// (docs/reconciliation.md): periods step from the contract START by the period type's months,
// each running to the day before the next one starts (month ends clamp). The last period keeps
// its full length; days past the contract end belong to no period (periodContaining). The sandbox builds its units timeline on them; reconciliation prorates on them.
import { addDays, addMonthsClamped } from './calendarDate.js';

export interface PeriodContract {
  startDate: string;
  endDate: string;
  /** months per billing period: 1 monthly, 3 quarterly, 6 semi-annual, 12 yearly */
  periodMonths: number;
}

export interface BillingPeriod {
  start: string;
  end: string;
}

/** The billing periods of a contract that start on or before its end, each at full length. */
export function billingPeriods(contract: PeriodContract): BillingPeriod[] {
  const periods: BillingPeriod[] = [];
  for (let k = 0; ; k++) {
    const start = addMonthsClamped(contract.startDate, k * contract.periodMonths);
    if (start > contract.endDate) break;
    const end = addDays(addMonthsClamped(contract.startDate, (k + 1) * contract.periodMonths), -1);
    periods.push({ start, end });
  }
  return periods;
}

/** The period containing `date`, or undefined outside the contract. */
export function periodContaining(contract: PeriodContract, date: string): BillingPeriod | undefined {
  if (date < contract.startDate || date > contract.endDate) return undefined;
  return billingPeriods(contract).find((p) => p.start <= date && date <= p.end);
}
