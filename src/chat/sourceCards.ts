// `sources`, `source test`, `source add`, `source sync`: the subscription sources, their
// connectivity, and what a pull stored and left out (docs/sources.md).
import { formatProblem, type Problem } from '../core/problem.js';
import type { PullSummary } from '../sources/pullSummary.js';
import { SOURCE_LABEL } from '../sources/pullSummary.js';
import type { SourceTestReport } from '../sources/sourceConnector.js';
import type { SourceView } from '../sources/sourceView.js';
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount } from './cardFormat.js';

/** Findings shown on a pull card; the rest are counted. */
const FINDINGS_SHOWN = 10;

const outcomeMark: Record<string, string> = { ok: '✅', partial: '⚠️', failed: '❌', running: '⏳' };

export function sourcesCard(sources: SourceView[], prefix: string): Card {
  const rows = sources.map((s) => [
    s.label,
    s.mode,
    s.enabled ? `on (${s.cron})` : 'off',
    s.nextPullAt ? s.nextPullAt.toISOString().slice(0, 16).replace('T', ' ') : '—',
    lastPullText(s),
  ]);
  const off = sources.filter((s) => !s.enabled && s.mode !== 'not configured');
  return card('sources', `${sources.filter((s) => s.enabled).length} of ${sources.length} sources on`, [
    { type: 'header', text: 'Subscription sources' },
    { type: 'table', columns: ['source', 'settings', 'daily pull', 'next pull (UTC)', 'last pull'], rows },
    ...sources
      .filter((s) => s.lastPull?.problem)
      .map((s) => ({ type: 'text' as const, text: `❌ ${s.label}: ${formatProblem(s.lastPull!.problem!)}` })),
    ...(off.length
      ? [
          {
            type: 'actions' as const,
            elements: off.map((s) => ({
              type: 'button' as const,
              label: `Add ${s.label}`,
              command: `source add ${s.source}`,
            })),
          },
        ]
      : []),
    {
      type: 'context',
      items: [
        `${prefix}source test <name> · ${prefix}source sync <name> [customer] · credentials are settings of the bot (README "Subscription sources")`,
      ],
    },
  ]);
}

export function lastPullText(s: SourceView): string {
  const last = s.lastPull;
  if (!last) return 'never';
  const mark = outcomeMark[last.outcome] ?? '';
  if (last.outcome === 'failed')
    return `${mark} ${last.pullDate} failed (${last.problem?.code ?? 'see the log'})`;
  return `${mark} ${last.pullDate}: ${formatCount(last.subscriptions)} subscriptions, ${formatCount(last.eventsNew)} new events${last.findings.length ? `, ${last.findings.length} rows left out` : ''}`;
}

export function sourceTestCard(
  source: keyof typeof SOURCE_LABEL,
  outcome: { report: SourceTestReport | null; error?: Problem | undefined },
): Card {
  const label = SOURCE_LABEL[source];
  const report = outcome.report;
  const ok = !outcome.error && report !== null && report.checks.every((c) => c.outcome !== 'failed');
  const blocks: CardBlock[] = [{ type: 'header', text: `${ok ? '✅' : '❌'} ${label} connection` }];
  if (report) {
    blocks.push({
      type: 'fields',
      fields: [
        { label: 'Reads from', value: report.baseUrl },
        { label: 'Customers', value: countText(report.counts.customers) },
        { label: 'Subscriptions', value: countText(report.counts.subscriptions) },
        ...(report.counts.products !== undefined
          ? [{ label: 'Products', value: countText(report.counts.products) }]
          : []),
        {
          label: 'Latency',
          value: report.latencyMs
            ? `${report.latencyMs.median} ms median, ${report.latencyMs.max} ms slowest`
            : 'n/a',
        },
        { label: 'Requests', value: String(report.requests) },
      ],
    });
    blocks.push({
      type: 'table',
      columns: ['check', 'result', 'detail'],
      rows: report.checks.map((c) => [
        c.name,
        c.outcome === 'ok' ? '✅ ok' : c.outcome === 'failed' ? '❌ failed' : '➖ cannot check',
        c.problem ? formatProblem(c.problem) : c.detail,
      ]),
    });
  }
  if (outcome.error) blocks.push({ type: 'text', text: `❌ ${formatProblem(outcome.error)}` });
  return card('source-test', `${label} connection ${ok ? 'works' : 'has problems'}`, blocks);
}

export function pullCard(summary: PullSummary, scopeName: string, prefix: string): Card {
  const label = SOURCE_LABEL[summary.source];
  const mark = outcomeMark[summary.outcome] ?? '';
  if (summary.outcome === 'failed')
    return card('source-pull', `${label} pull failed`, [
      { type: 'header', text: `❌ ${label} pull of ${scopeName} failed` },
      { type: 'text', text: `${formatProblem(summary.problem!)}\nNothing was stored.` },
      {
        type: 'actions',
        elements: [{ type: 'button', label: 'Try again', command: `source sync ${summary.source}` }],
      },
    ]);
  const blocks: CardBlock[] = [
    { type: 'header', text: `${mark} ${label} pull of ${scopeName}` },
    {
      type: 'fields',
      fields: [
        { label: 'Customers', value: `${formatCount(summary.customers)} (${summary.customersCreated} new)` },
        {
          label: 'Subscriptions',
          value: `${formatCount(summary.subscriptions)} (${summary.subscriptionsCreated} new)`,
        },
        {
          label: 'Events',
          value: `${formatCount(summary.eventsNew)} new, ${formatCount(summary.eventsAlreadyStored)} already stored`,
        },
        { label: 'API requests', value: formatCount(summary.requests) },
      ],
    },
  ];
  if (summary.findings.length) {
    blocks.push({
      type: 'table',
      columns: ['left out', 'id', 'why'],
      rows: summary.findings
        .slice(0, FINDINGS_SHOWN)
        .map((f) => [f.code, f.sourceId ?? '—', `${f.message} — ${f.hint}`]),
      omittedRows: Math.max(0, summary.findings.length - FINDINGS_SHOWN),
    });
  }
  blocks.push({
    type: 'context',
    items: [
      summary.eventsNew > 0
        ? `Next: ${prefix}validate ${summary.scope === 'all' ? 'all' : scopeName} to see what Autotask would change`
        : 'Nothing new since the last pull.',
    ],
  });
  return card(
    'source-pull',
    `${label} pull ${summary.outcome}: ${summary.eventsNew} new events, ${summary.findings.length} rows left out`,
    blocks,
  );
}

function countText(n: number | undefined): string {
  return n === undefined ? 'n/a' : formatCount(n);
}
