// The month a reconciliation looks at: `YYYY-MM` as typed, or the last month that has ended
// (finance reconciles the month just closed). A month in the future is refused.
import { problem, type Problem } from '../core/problem.js';

export const BILLING_MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface BillingMonth {
  /** YYYY-MM */
  month: string;
  /** first day, YYYY-MM-DD */
  first: string;
  /** last day, YYYY-MM-DD */
  last: string;
}

export function billingMonth(month: string): BillingMonth {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return { month, first: `${month}-01`, last: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** The month before the one `today` (YYYY-MM-DD) is in. */
export function previousMonth(today: string): string {
  const [year, mm] = today.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, mm - 2, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function chooseBillingMonth(
  typed: string | null,
  today: string,
): { ok: true; month: BillingMonth } | { ok: false; problem: Problem } {
  if (typed === null) return { ok: true, month: billingMonth(previousMonth(today)) };
  if (!BILLING_MONTH_PATTERN.test(typed))
    return {
      ok: false,
      problem: problem(
        'RECONCILE_MONTH_INVALID',
        `"${typed}" is not a month`,
        'name it as YYYY-MM, e.g. 2026-11, or leave it out for last month',
      ),
    };
  if (typed > today.slice(0, 7))
    return {
      ok: false,
      problem: problem(
        'RECONCILE_MONTH_INVALID',
        `${typed} has not begun: nothing can have been billed for it`,
        `name ${today.slice(0, 7)} or an earlier month`,
      ),
    };
  return { ok: true, month: billingMonth(typed) };
}
