// `status`: mapping mode, schedules, recent runs, API budget, notification target.
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount, formatTimestamp } from './cardFormat.js';
import type { RunSummary, ScheduleView, TenantFactView } from './chatServices.js';
import type { MappingMode } from '../mapping/mappingMode.js';
import type { NotificationTarget } from '../settings/notificationTargetSetting.js';
import type { SourceView } from '../sources/sourceView.js';
import { lastPullText } from './sourceCards.js';

export interface StatusView {
  mappingMode: MappingMode;
  notificationTarget: NotificationTarget | null;
  schedules: ScheduleView[];
  recentRuns: RunSummary[];
  apiBudget: { used: number; limit: number; windowMinutes: number };
  /** what `verify tenant` stored about this tenant */
  tenantFacts: TenantFactView[];
  /** the subscription sources and their last pulls (absent: not shown) */
  sources?: SourceView[];
}

/** The tenant facts in one line: when verified, and what does not hold. */
export function tenantFactsSummary(facts: readonly TenantFactView[]): string {
  if (facts.length === 0) return 'not verified yet — run `verify tenant` (CLI: `autotask-bot verify-tenant`)';
  const latest = facts.reduce((a, b) => (a.checkedAt > b.checkedAt ? a : b));
  const contradicted = facts.filter((f) => f.holds === false);
  const refused = contradicted.filter((f) => f.reliedOn).map((f) => f.behaviour);
  const probed = facts.some((f) => f.source === 'write-probe');
  return [
    `verified ${formatTimestamp(latest.checkedAt)} by ${latest.checkedBy}${probed ? '' : ' (read-only; no write probe yet)'}`,
    `${facts.filter((f) => f.holds === true).length} hold, ${contradicted.length} differ, ${facts.filter((f) => f.holds === null).length} not checked`,
    ...(refused.length ? [`⛔ uploads refused: contradicts ${refused.join(', ')}`] : []),
    ...contradicted.filter((f) => !f.reliedOn).map((f) => `differs: ${f.behaviour}`),
  ].join('; ');
}

export function statusCard(view: StatusView): Card {
  const blocks: CardBlock[] = [
    { type: 'header', text: 'Autotask bot — status' },
    {
      type: 'fields',
      fields: [
        { label: 'Mapping mode', value: view.mappingMode },
        {
          label: 'Notifications',
          value: view.notificationTarget
            ? `${view.notificationTarget.platform} ${view.notificationTarget.label ?? view.notificationTarget.channel}`
            : 'not set — an admin types `notify here` in a channel',
        },
        {
          label: 'API budget',
          value: `${formatCount(view.apiBudget.used)} / ${formatCount(view.apiBudget.limit)} calls in ${view.apiBudget.windowMinutes} min`,
        },
        { label: 'Tenant', value: tenantFactsSummary(view.tenantFacts) },
        {
          label: 'Schedules',
          value:
            view.schedules.length === 0
              ? 'none'
              : view.schedules.map((s) => `${s.target} ${s.cadence}`).join(', '),
        },
        ...(view.sources ?? [])
          .filter((s) => s.enabled || s.lastPull)
          .map((s) => ({
            label: s.label,
            value: `${s.enabled ? 'daily pull on' : 'off'}; last pull ${lastPullText(s)}`,
          })),
      ],
    },
  ];
  const unused = (view.sources ?? []).filter((s) => !s.enabled && !s.lastPull);
  if (view.sources && unused.length === view.sources.length)
    blocks.push({
      type: 'context',
      items: [
        'No subscription source is on: `source add pax8` or `source add partner-center` pulls them daily.',
      ],
    });
  if (view.recentRuns.length === 0) blocks.push({ type: 'context', items: ['No runs yet.'] });
  else
    blocks.push({
      type: 'table',
      columns: ['run', 'customers', 'state', 'validated'],
      rows: view.recentRuns.map((r) => [
        r.runId,
        r.customerNames.join(', '),
        r.state,
        formatTimestamp(r.validatedAt),
      ]),
    });
  return card('status', `Mapping mode ${view.mappingMode}.`, blocks);
}
