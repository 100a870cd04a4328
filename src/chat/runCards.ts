// `runs [customer]` and `run <run>`: the run list, and one run's issue grid and operations.
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount, formatPerson, formatProgress, formatTimestamp } from './cardFormat.js';
import type { RunDetail, RunSummary } from './chatServices.js';

const DETAIL_ROWS = 40;

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
            r.state,
            formatCount(r.operations),
            formatTimestamp(r.validatedAt),
          ]),
        },
  ]);
}

export function runDetailCard(detail: RunDetail): Card {
  const run = detail.run;
  const blocks: CardBlock[] = [
    { type: 'header', text: `Run ${run.runId}`.slice(0, 150) },
    {
      type: 'fields',
      fields: [
        { label: 'Customers', value: run.customerNames.join(', ') },
        { label: 'State', value: run.state },
        { label: 'Requested by', value: run.requestedBy ? formatPerson(run.requestedBy) : '—' },
        { label: 'Decided by', value: run.decidedBy ? formatPerson(run.decidedBy) : '—' },
        ...(run.progress
          ? [{ label: 'Progress', value: formatProgress(run.progress.done, run.progress.total) }]
          : []),
      ],
    },
  ];
  if (detail.issues.length > 0) {
    const shown = detail.issues.slice(0, DETAIL_ROWS);
    blocks.push({
      type: 'table',
      columns: ['customer', 'subscription', 'severity', 'issue', 'fix'],
      rows: shown.map((i) => [
        i.customerName,
        i.subscription ?? '',
        i.severity,
        `${i.error.code}: ${i.error.message}`,
        i.error.fix ?? '',
      ]),
      omittedRows: detail.issues.length - shown.length,
    });
  }
  if (detail.operations.length > 0) {
    const shown = detail.operations.slice(0, DETAIL_ROWS);
    blocks.push({
      type: 'table',
      columns: ['customer', 'operation', 'state', 'error'],
      rows: shown.map((o) => [
        o.customerName,
        o.description,
        o.state,
        o.error ? `${o.error.code}: ${o.error.message}` : '',
      ]),
      omittedRows: detail.operations.length - shown.length,
    });
  }
  if (detail.issues.length === 0 && detail.operations.length === 0)
    blocks.push({ type: 'text', text: 'No issues and no operations.' });
  if (['failed', 'partially_failed'].includes(run.state))
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', label: 'Retry', command: `retry ${run.runId}` }],
    });
  return card('run', `Run ${run.runId}: ${run.state}.`, blocks);
}
