// The reconciliation as CSV for a spreadsheet (RFC 4180 quoting). Text cells that a spreadsheet
// would run as a formula (a product name starting with `=`, `+`, `-` or `@` from a hostile source)
// are prefixed with an apostrophe; amounts are plain decimals with two places.
import type { ReconciliationReport } from './reconciliationReport.js';

export const RECONCILIATION_CSV_COLUMNS = [
  'customer',
  'contract',
  'contract id',
  'product',
  'service id',
  'period start',
  'period end',
  'expected',
  'billed',
  'variance',
  'reason',
  'detail',
] as const;

const text = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function reconciliationCsv(report: ReconciliationReport): string {
  const rows = report.lines.map((l) => [
    text(l.customerName),
    text(l.contractName),
    String(l.contractId),
    text(l.productName),
    String(l.serviceId),
    l.periodStart,
    l.periodEnd,
    l.expected.toFixed(2),
    l.billed.toFixed(2),
    l.variance.toFixed(2),
    l.reason,
    text(l.detail),
  ]);
  return [[...RECONCILIATION_CSV_COLUMNS], ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
