// What a reconciliation card shows, as plain data (PURE): the totals, the reasons, the largest
// differing lines and the CSV link. The `reconcile` command renders it at once; the monthly job
// stores it in a notice (zod-checked in the outbox), so amounts travel as decimal strings.
import { z } from 'zod';
import { ProblemSchema, type Problem } from '../core/problem.js';
import { VARIANCE_REASONS } from './reconcileCustomer.js';
import type { ReconciliationReport } from './reconciliationReport.js';

/** rows of the card's table: the rest are in the CSV */
export const RECONCILIATION_ROWS = 15;
/** skipped lines named on the card */
export const RECONCILIATION_SKIPPED = 5;

const money = z.string().regex(/^-?\d+\.\d{2}$/);
const count = z.number().int().nonnegative();

export const ReconciliationSummarySchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  scopeLabel: z.string(),
  customers: count,
  lineCount: count,
  differing: count,
  totals: z.object({ expected: money, billed: money, variance: money }),
  reasons: z.partialRecord(z.enum(VARIANCE_REASONS), count),
  /** the largest variances first, at most RECONCILIATION_ROWS */
  largest: z.array(
    z.object({
      customerName: z.string(),
      productName: z.string(),
      periodStart: z.string(),
      periodEnd: z.string(),
      expected: money,
      billed: money,
      variance: money,
      reason: z.enum(VARIANCE_REASONS),
      detail: z.string(),
    }),
  ),
  skipped: z.array(z.object({ customerName: z.string(), productName: z.string(), reason: z.string() })),
  skippedCount: count,
  csv: z.object({ url: z.string().nullable(), problem: ProblemSchema.nullable() }),
});
export type ReconciliationSummary = z.infer<typeof ReconciliationSummarySchema>;

export function summarizeReconciliation(
  report: ReconciliationReport,
  csv: { url: string | null; problem: Problem | null },
): ReconciliationSummary {
  const off = report.lines.filter((l) => l.reason !== 'matches');
  return {
    month: report.month.month,
    scopeLabel: report.scopeLabel,
    customers: report.customers,
    lineCount: report.lines.length,
    differing: off.length,
    totals: {
      expected: report.totals.expected.toFixed(2),
      billed: report.totals.billed.toFixed(2),
      variance: report.totals.variance.toFixed(2),
    },
    reasons: { ...report.reasons },
    largest: off.slice(0, RECONCILIATION_ROWS).map((l) => ({
      customerName: l.customerName,
      productName: l.productName,
      periodStart: l.periodStart,
      periodEnd: l.periodEnd,
      expected: l.expected.toFixed(2),
      billed: l.billed.toFixed(2),
      variance: l.variance.toFixed(2),
      reason: l.reason,
      detail: l.detail,
    })),
    skipped: report.skipped.slice(0, RECONCILIATION_SKIPPED).map((s) => ({ ...s })),
    skippedCount: report.skipped.length,
    csv: { url: csv.url, problem: csv.problem },
  };
}
