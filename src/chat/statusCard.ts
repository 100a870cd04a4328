// `status`: mapping mode, schedules, recent runs, API budget, notification target.
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount, formatTimestamp } from './cardFormat.js';
import type { RunSummary, ScheduleView } from './chatServices.js';
import type { MappingMode } from '../mapping/mappingMode.js';
import type { NotificationTarget } from '../settings/notificationTargetSetting.js';

export interface StatusView {
  mappingMode: MappingMode;
  notificationTarget: NotificationTarget | null;
  schedules: ScheduleView[];
  recentRuns: RunSummary[];
  apiBudget: { used: number; limit: number; windowMinutes: number };
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
        {
          label: 'Schedules',
          value:
            view.schedules.length === 0
              ? 'none'
              : view.schedules.map((s) => `${s.target} ${s.cadence}`).join(', '),
        },
      ],
    },
  ];
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
