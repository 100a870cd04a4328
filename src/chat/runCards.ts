// `runs [customer]` and `run <run>`: the run list, and one run's issue grid and operations.
import { explainButtons } from './explainCard.js';
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount, formatPerson, formatProgress, formatRunState, formatTimestamp } from './cardFormat.js';
import type { RunDetail, RunSummary } from './chatServices.js';

/** rows of each table on one page: a whole page fits one Slack message */
export const RUN_PAGE_ROWS = 25;

export function runsCard(runs: RunSummary[], scope: string | null): Card {
  return card('runs', `${runs.length} runs${scope ? ` for ${scope}` : ''}.`, [
    { type: 'header', text: `Runs${scope ? ` — ${scope}` : ''}` },
    runs.length === 0
      ? { type: 'text', text: 'No runs yet.' }
      : {
          type: 'table',
          columns: ['run', 'customers', 'state', 'operations', 'validated'],
          rows: runs.map((r) => [
            r.runId,
            r.customerNames.join(', '),
            formatRunState(r.state),
            formatCount(r.operations),
            formatTimestamp(r.validatedAt),
          ]),
        },
  ]);
}

export function runDetailCard(detail: RunDetail, page = 1): Card {
  const pages = Math.max(
    1,
    Math.ceil(Math.max(detail.issues.length, detail.operations.length) / RUN_PAGE_ROWS),
  );
  const current = Math.min(Math.max(1, page), pages);
  const from = (current - 1) * RUN_PAGE_ROWS;
  const issues = detail.issues.slice(from, from + RUN_PAGE_ROWS);
  const operations = detail.operations.slice(from, from + RUN_PAGE_ROWS);
  const run = detail.run;
  const blocks: CardBlock[] = [
    { type: 'header', text: `Run ${run.runId}`.slice(0, 150) },
    {
      type: 'fields',
      fields: [
        { label: 'Customers', value: run.customerNames.join(', ') },
        { label: 'State', value: formatRunState(run.state) },
        { label: 'Requested by', value: run.requestedBy ? formatPerson(run.requestedBy) : '—' },
        { label: 'Decided by', value: run.decidedBy ? formatPerson(run.decidedBy) : '—' },
        ...(run.progress
          ? [{ label: 'Progress', value: formatProgress(run.progress.done, run.progress.total) }]
          : []),
      ],
    },
  ];
  if (issues.length > 0) {
    blocks.push({
      type: 'table',
      columns: ['customer', 'subscription', 'severity', 'issue', 'fix'],
      rows: issues.map((i) => [
        i.customerName,
        i.subscription ?? '',
        i.severity,
        `${i.error.code}: ${i.error.message}`,
        i.error.hint,
      ]),
    });
  }
  if (operations.length > 0) {
    blocks.push({
      type: 'table',
      // date and unit change first, in columns of their own: a narrow terminal squeezes the wide
      // description, never these
      columns: ['date', 'change', 'customer', 'operation', 'state', 'error'],
      rows: operations.map((o) => [
        o.effectiveDate ?? '',
        o.unitChange === undefined || o.unitChange === null
          ? 'new line'
          : `${o.unitChange >= 0 ? '+' : ''}${o.unitChange}`,
        o.customerName,
        o.description,
        o.state,
        o.error ? `${o.error.code}: ${o.error.message}` : '',
      ]),
    });
  }
  if (detail.issues.length === 0 && detail.operations.length === 0)
    blocks.push({ type: 'text', text: 'No issues and no operations.' });
  const buttons = [
    ...(current > 1
      ? [{ type: 'button' as const, label: 'Previous page', command: `run ${run.runId} page ${current - 1}` }]
      : []),
    ...(current < pages
      ? [{ type: 'button' as const, label: 'Next page', command: `run ${run.runId} page ${current + 1}` }]
      : []),
    ...(['failed', 'partially_failed'].includes(run.state)
      ? [{ type: 'button' as const, label: 'Retry', command: `retry ${run.runId}` }]
      : []),
    ...explainButtons(detail.explainable),
  ];
  if (pages > 1)
    blocks.push({
      type: 'context',
      items: [
        `Page ${current} of ${pages} · ${formatCount(detail.issues.length)} issues, ${formatCount(detail.operations.length)} operations`,
      ],
    });
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return card('run', `Run ${run.runId}: ${formatRunState(run.state)}.`, blocks);
}
