// The reconciliation of one or all customers for a month (PURE): every line, the largest
// variances first, with totals — what the card, the CSV and the monthly notice show.
import { Decimal } from 'decimal.js';
import type { BillingMonth } from './billingMonth.js';
import type { ReconciledLine, SkippedLine, VarianceReason } from './reconcileCustomer.js';

export interface ReconciliationReport {
  month: BillingMonth;
  scopeLabel: string;
  customers: number;
  /** the largest variance (by amount) first; lines that match last */
  lines: ReconciledLine[];
  skipped: SkippedLine[];
  totals: { expected: Decimal; billed: Decimal; variance: Decimal };
  /** lines per reason */
  reasons: Partial<Record<VarianceReason, number>>;
}

export function buildReconciliationReport(input: {
  month: BillingMonth;
  scopeLabel: string;
  customers: number;
  lines: readonly ReconciledLine[];
  skipped: readonly SkippedLine[];
}): ReconciliationReport {
  const lines = [...input.lines].sort(
    (a, b) =>
      b.variance.abs().comparedTo(a.variance.abs()) ||
      a.customerName.localeCompare(b.customerName) ||
      a.productName.localeCompare(b.productName) ||
      a.periodStart.localeCompare(b.periodStart),
  );
  const sum = (pick: (l: ReconciledLine) => Decimal) =>
    lines.reduce((s, l) => s.plus(pick(l)), new Decimal(0));
  const reasons: Partial<Record<VarianceReason, number>> = {};
  for (const l of lines) reasons[l.reason] = (reasons[l.reason] ?? 0) + 1;
  return {
    month: input.month,
    scopeLabel: input.scopeLabel,
    customers: input.customers,
    lines,
    skipped: [...input.skipped],
    totals: {
      expected: sum((l) => l.expected),
      billed: sum((l) => l.billed),
      variance: sum((l) => l.variance),
    },
    reasons,
  };
}
