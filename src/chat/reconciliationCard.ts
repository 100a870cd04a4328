// `reconcile <customer>|all [YYYY-MM]` and the monthly notice: totals, what the variances come
// from, the largest variances first, and the whole report as a CSV download
// (docs/reconciliation.md).
import type { Decimal } from 'decimal.js';
import { formatProblem } from '../core/problem.js';
import type { VarianceReason } from '../reconciliation/reconcileCustomer.js';
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount } from './cardFormat.js';
import type { ReconcileAnswer } from './chatServices.js';

/** rows of the card's table: the rest are in the CSV */
export const RECONCILIATION_ROWS = 15;

export const VARIANCE_REASON_WORDS: Record<VarianceReason, string> = {
  matches: 'matches',
  'not-posted': 'period not posted',
  'not-uploaded': 'not uploaded yet',
  'hand-edit': 'changed by hand in Autotask',
  proration: 'proration (rounding)',
  'price-differs': 'price differs',
};

const amount = (d: Decimal) => {
  const [whole, cents] = d.abs().toFixed(2).split('.');
  return `${d.isNegative() ? '−' : ''}${Number(whole).toLocaleString('en-US')}.${cents}`;
};
const signed = (d: Decimal) => (d.isZero() ? '0.00' : `${d.isPositive() ? '+' : ''}${amount(d)}`);

export function reconciliationCard(answer: ReconcileAnswer): Card {
  if (!answer.ok)
    return card('reconciliation', formatProblem(answer.problem), [
      { type: 'text', text: `❌ ${formatProblem(answer.problem)}` },
    ]);
  const { report, csv } = answer;
  const off = report.lines.filter((l) => l.reason !== 'matches');
  const summary = `Reconciliation ${report.month.month} — ${report.scopeLabel}: ${
    off.length === 0
      ? 'every line matches'
      : `${formatCount(off.length)} of ${formatCount(report.lines.length)} lines differ, ${signed(report.totals.variance)} in all`
  }`;
  const blocks: CardBlock[] = [
    { type: 'header', text: `Reconciliation ${report.month.month} — ${report.scopeLabel}`.slice(0, 150) },
    {
      type: 'fields',
      fields: [
        { label: 'Expected (source history)', value: amount(report.totals.expected) },
        { label: 'Billed (Autotask, posted)', value: amount(report.totals.billed) },
        { label: 'Variance', value: signed(report.totals.variance) },
        {
          label: 'Lines',
          value: `${formatCount(report.lines.length)} (${formatCount(off.length)} differ) · ${formatCount(report.customers)} customer${report.customers === 1 ? '' : 's'}`,
        },
      ],
    },
  ];
  const reasons = (Object.entries(report.reasons) as [VarianceReason, number][])
    .filter(([reason]) => reason !== 'matches')
    .map(([reason, n]) => `${formatCount(n)} ${VARIANCE_REASON_WORDS[reason]}`);
  if (report.lines.length === 0)
    blocks.push({
      type: 'text',
      text: `No billing period of a mapped contract line starts in ${report.month.month}.`,
    });
  else if (off.length === 0)
    blocks.push({ type: 'text', text: `✅ Autotask billed what the source history says, to the cent.` });
  else {
    blocks.push({ type: 'text', text: `Where the variances come from: ${reasons.join(' · ')}.` });
    const shown = off.slice(0, RECONCILIATION_ROWS);
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
      ...(off.length > shown.length ? { omittedRows: off.length - shown.length } : {}),
    });
    const first = off[0]!;
    blocks.push({
      type: 'context',
      items: [`Largest: ${first.customerName}, ${first.productName} — ${first.detail}`],
    });
  }
  if (report.skipped.length > 0)
    blocks.push({
      type: 'context',
      items: report.skipped
        .slice(0, 5)
        .map(
          (s) =>
            `Not reconciled: ${s.customerName}${s.productName === '(all)' ? '' : `, ${s.productName}`} — ${s.reason}`,
        )
        .concat(report.skipped.length > 5 ? [`… and ${formatCount(report.skipped.length - 5)} more`] : []),
    });
  if (csv.url)
    blocks.push({
      type: 'link',
      label: `Download the CSV (${formatCount(report.lines.length)} lines, with the reason for each)`,
      url: csv.url,
    });
  else if (csv.problem) blocks.push({ type: 'context', items: [`CSV: ${formatProblem(csv.problem)}`] });
  return card('reconciliation', summary, blocks);
}
