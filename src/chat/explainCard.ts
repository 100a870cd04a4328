// `explain <customer> "<product>"`: the chart (an image at a signed URL), then the same story in
// words — each change of the history, the operation that encoded it, when it was sent and by
// whose approval, with the audit record ids to look up.
import { formatProblem, type Problem } from '../core/problem.js';
import { card, type Card, type CardBlock, type CardButton } from './cardModel.js';
import { formatPerson, formatTimestamp } from './cardFormat.js';
import { quoteArgument } from './commandTokenizer.js';
import type { ExplainableProduct, ExplainAnswer, ExplainView } from './chatServices.js';

/** rows of the words table: the newest changes are the ones asked about */
export const EXPLAIN_ROWS = 20;

/** The explain command for a product, as a button or a hint carries it. */
export const explainCommand = (customerName: string, productName: string, billingCycle: string): string =>
  `explain ${quoteArgument(customerName)} ${quoteArgument(productName)}${
    billingCycle === 'monthly' || billingCycle === 'annual' ? ` ${billingCycle}` : ''
  }`;

export function explainCard(answer: ExplainAnswer): Card {
  if (!answer.ok)
    return card('explain', formatProblem(answer.problem), [
      { type: 'text', text: `❌ ${formatProblem(answer.problem)}` },
    ]);
  const { view, chart } = answer;
  const story = view.story;
  const rows = story.changes.flatMap((c) =>
    c.operations.length === 0
      ? [[c.date, c.what, 'not uploaded', '', '', '']]
      : c.operations.map((o, i) => [
          i === 0 ? c.date : '',
          i === 0 ? c.what : '',
          `${o.what} · ${o.status} · ${o.runId}`,
          o.sentAt ? formatTimestamp(o.sentAt) : '—',
          o.approvedBy ? formatPerson(o.approvedBy) : '—',
          o.auditIds.map((id) => `#${id}`).join(' '),
        ]),
  );
  const shown = rows.slice(-EXPLAIN_ROWS);
  const notes: Problem[] = [view.autotaskProblem, answer.chartProblem].filter(
    (p): p is Problem => p !== null,
  );
  const blocks: CardBlock[] = [
    {
      type: 'header',
      text: `${view.productName} (${view.billingCycle}) — ${view.customerName}`.slice(0, 150),
    },
    ...(chart
      ? [{ type: 'image' as const, url: chart.url, altText: chart.altText, title: 'Units over time' }]
      : []),
    {
      type: 'table',
      columns: ['date', 'change at the source', 'operation', 'sent', 'approved by', 'audit'],
      rows: shown,
      ...(rows.length > shown.length ? { omittedRows: rows.length - shown.length } : {}),
    },
  ];
  if (story.unmatchedOperations.length > 0)
    blocks.push({
      type: 'text',
      text: `Operations on days the history has no change: ${story.unmatchedOperations
        .map((o) => `${o.date} ${o.what} (${o.runId})`)
        .join('; ')}`,
    });
  for (const p of notes) blocks.push({ type: 'context', items: [`⚠️ ${formatProblem(p)}`] });
  blocks.push({
    type: 'context',
    items: [
      `Subscription ${view.subscriptionId}`,
      `Audit ids refer to \`audit ${quoteArgument(view.customerName)}\``,
    ],
  });
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', label: 'Runs', command: `runs ${quoteArgument(view.customerName)}` },
      { type: 'button', label: 'Audit log', command: `audit ${quoteArgument(view.customerName)}` },
    ],
  });
  const lines = story.chart.series.length - 1;
  return card(
    'explain',
    `${view.productName} for ${view.customerName}: ${story.changes.length} changes, ${lines} Autotask line${lines === 1 ? '' : 's'}.`,
    blocks,
  );
}

/** What the chart shows, for screen readers and the text renderer. */
export function chartAltText(view: ExplainView): string {
  const s = view.story.chart;
  return `Units of ${view.productName} from ${s.from} to ${s.to}: ${s.series
    .map((x) => `${x.label} ${x.points.map((p) => `${p.date}=${p.units}`).join(', ') || 'no units'}`)
    .join('; ')}`.slice(0, 1900);
}

/** At most this many Explain buttons on a run or validation card (the rest: type the command). */
export const EXPLAIN_BUTTONS = 3;

/** "Explain <product>" buttons for the first subscriptions a card is about. */
export function explainButtons(products: readonly ExplainableProduct[] | undefined): CardButton[] {
  return (products ?? []).slice(0, EXPLAIN_BUTTONS).map((p) => ({
    type: 'button',
    label: `Explain ${p.productName}`.slice(0, 60),
    command: explainCommand(p.customerName, p.productName, p.billingCycle),
  }));
}
