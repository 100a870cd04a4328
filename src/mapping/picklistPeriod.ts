// Contracts and services name their billing period by a number of a tenant picklist
// (contractPeriodType, services' periodType): the same four periods, each tenant its own numbers.
import type { PeriodPicklist } from '../autotask/entities.js';

export type PicklistPeriod = keyof PeriodPicklist;

/** in this order, so a picklist that gives two periods one number reads as the first */
const PERIODS: readonly PicklistPeriod[] = ['monthly', 'quarterly', 'semiAnnual', 'yearly'];

/** The period a picklist number stands for, or undefined when it is none of the four. */
export function picklistPeriod(
  value: number | null | undefined,
  picklist: PeriodPicklist,
): PicklistPeriod | undefined {
  return PERIODS.find((period) => picklist[period] === value);
}
