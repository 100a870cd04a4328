// `status`: mapping mode, schedules, recent runs, API budget, notification target. Parts whose
// use cases are not wired in this build say so instead of being left out silently.
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount, formatTimestamp } from './cardFormat.js';
import type { RunSummary, ScheduleView } from './chatServices.js';
import type { MappingMode } from '../mapping/mappingMode.js';
import type { NotificationTarget } from './chatSettings.js';

export interface StatusView {
  mappingMode: MappingMode;
  notificationTarget: NotificationTarget | null;
  schedules: ScheduleView[] | null;
  recentRuns: RunSummary[] | null;
  apiBudget: { used: number; limit: number; windowMinutes: number } | null;
}

const NOT_WIRED = '(not available in this build)';

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
          value: view.apiBudget
            ? `${formatCount(view.apiBudget.used)} / ${formatCount(view.apiBudget.limit)} calls in ${view.apiBudget.windowMinutes} min`
            : NOT_WIRED,
        },
        {
          label: 'Schedules',
          value: view.schedules
            ? view.schedules.length === 0
              ? 'none'
              : view.schedules.map((s) => `${s.target} ${s.cadence}`).join(', ')
            : NOT_WIRED,
        },
      ],
    },
  ];
  if (view.recentRuns === null) blocks.push({ type: 'context', items: [`Recent runs ${NOT_WIRED}`] });
  else if (view.recentRuns.length === 0) blocks.push({ type: 'context', items: ['No runs yet.'] });
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
