// `reconcile <customer>|all [YYYY-MM]` and the monthly notice: totals, what the variances come
// from, the largest variances first, and the whole report as a CSV download
// (docs/reconciliation.md).
import { Decimal } from 'decimal.js';
import { formatProblem } from '../core/problem.js';
import type { VarianceReason } from '../reconciliation/reconcileCustomer.js';
import {
  summarizeReconciliation,
  type ReconciliationSummary,
} from '../reconciliation/reconciliationSummary.js';
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount } from './cardFormat.js';
import type { ReconcileAnswer } from './chatServices.js';

export const VARIANCE_REASON_WORDS: Record<VarianceReason, string> = {
  matches: 'matches',
  'not-posted': 'period not posted',
  'not-uploaded': 'not uploaded yet',
  'hand-edit': 'changed by hand in Autotask',
  proration: 'proration (rounding)',
  'price-differs': 'price differs',
};

const amount = (text: string) => {
  const d = new Decimal(text);
  const [whole, cents] = d.abs().toFixed(2).split('.');
  return `${d.isNegative() && !d.isZero() ? '−' : ''}${Number(whole).toLocaleString('en-US')}.${cents}`;
};
const signed = (text: string) => {
  const d = new Decimal(text);
  return d.isZero() ? '0.00' : `${d.isPositive() ? '+' : ''}${amount(text)}`;
};

export function reconciliationCard(answer: ReconcileAnswer): Card {
  if (!answer.ok)
    return card('reconciliation', formatProblem(answer.problem), [
      { type: 'text', text: `❌ ${formatProblem(answer.problem)}` },
    ]);
  return reconciliationSummaryCard(summarizeReconciliation(answer.report, answer.csv));
}

/** The card of a reconciliation: the command's answer and the monthly notice alike. */
export function reconciliationSummaryCard(
  report: ReconciliationSummary,
  title = `Reconciliation ${report.month} — ${report.scopeLabel}`,
): Card {
  const summary = `${title}: ${
    report.differing === 0
      ? report.lineCount === 0
        ? 'nothing to reconcile'
        : 'every line matches'
      : `${formatCount(report.differing)} of ${formatCount(report.lineCount)} lines differ, ${signed(report.totals.variance)} in all`
  }`;
  const blocks: CardBlock[] = [
    { type: 'header', text: title.slice(0, 150) },
    {
      type: 'fields',
      fields: [
        { label: 'Expected (source history)', value: amount(report.totals.expected) },
        { label: 'Billed (Autotask, posted)', value: amount(report.totals.billed) },
        { label: 'Variance', value: signed(report.totals.variance) },
        {
          label: 'Lines',
          value: `${formatCount(report.lineCount)} (${formatCount(report.differing)} differ) · ${formatCount(report.customers)} customer${report.customers === 1 ? '' : 's'}`,
        },
      ],
    },
  ];
  const reasons = (Object.entries(report.reasons) as [VarianceReason, number][])
    .filter(([reason]) => reason !== 'matches')
    .map(([reason, n]) => `${formatCount(n)} ${VARIANCE_REASON_WORDS[reason]}`);
  if (report.lineCount === 0)
    blocks.push({
      type: 'text',
      text: `No billing period of a mapped contract line starts in ${report.month}.`,
    });
  else if (report.differing === 0)
    blocks.push({ type: 'text', text: `✅ Autotask billed what the source history says, to the cent.` });
  else {
    blocks.push({ type: 'text', text: `Where the variances come from: ${reasons.join(' · ')}.` });
    const shown = report.largest;
    blocks.push({
      type: 'table',
      columns: ['customer', 'product', 'period', 'expected', 'billed', 'variance', 'reason'],
      rows: shown.map((l) => [
        l.customerName,
        l.productName,
        `${l.periodStart} – ${l.periodEnd}`,
        amount(l.expected),
        amount(l.billed),
        signed(l.variance),
        VARIANCE_REASON_WORDS[l.reason],
      ]),
      ...(report.differing > shown.length ? { omittedRows: report.differing - shown.length } : {}),
    });
    const first = shown[0];
    if (first)
      blocks.push({
        type: 'context',
        items: [`Largest: ${first.customerName}, ${first.productName} — ${first.detail}`],
      });
  }
  if (report.skippedCount > 0)
    blocks.push({
      type: 'context',
      items: report.skipped
        .map(
          (s) =>
            `Not reconciled: ${s.customerName}${s.productName === '(all)' ? '' : `, ${s.productName}`} — ${s.reason}`,
        )
        .concat(
          report.skippedCount > report.skipped.length
            ? [`… and ${formatCount(report.skippedCount - report.skipped.length)} more`]
            : [],
        ),
    });
  if (report.csv.url)
    blocks.push({
      type: 'link',
      label: `Download the CSV (${formatCount(report.lineCount)} lines, with the reason for each)`,
      url: report.csv.url,
    });
  else if (report.csv.problem)
    blocks.push({ type: 'context', items: [`CSV: ${formatProblem(report.csv.problem)}`] });
  return card('reconciliation', summary, blocks);
}
