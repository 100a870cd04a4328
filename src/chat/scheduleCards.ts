// `schedule`, `schedules`, `unschedule`.
import { card, type Card } from './cardModel.js';
import { formatTimestamp } from './cardFormat.js';
import type { ScheduleView } from './chatServices.js';

export function schedulesCard(schedules: ScheduleView[], prefix: string): Card {
  return card('schedules', `${schedules.length} schedules.`, [
    { type: 'header', text: 'Schedules' },
    schedules.length === 0
      ? { type: 'text', text: `No schedules. \`${prefix}schedule all daily\` adds one.` }
      : {
          type: 'table',
          columns: ['id', 'target', 'cadence', 'next run', 'by'],
          rows: schedules.map((s) => [
            s.id,
            s.target,
            s.cadence,
            s.nextRunAt ? formatTimestamp(s.nextRunAt) : '—',
            s.createdBy,
          ]),
        },
    { type: 'context', items: ['Scheduled uploads still wait for approval.'] },
  ]);
}

export function scheduledCard(schedule: ScheduleView): Card {
  return card('schedule', `Scheduled ${schedule.target} ${schedule.cadence}.`, [
    {
      type: 'text',
      text: `🗓️ Scheduled validate-then-upload for ${schedule.target}, ${schedule.cadence} (id \`${schedule.id}\`${
        schedule.nextRunAt ? `, next ${formatTimestamp(schedule.nextRunAt)}` : ''
      }). Uploads still wait for approval.`,
    },
  ]);
}
