// PURE: what a person may type as a schedule's cadence — `daily`, `weekly` or a 5-field cron
// expression (UTC) — turned into the cron expression Agenda repeats on. Validation runs read
// Autotask, so a schedule may not fire more often than once an hour.
import { CronExpressionParser } from 'cron-parser';

/** 02:00 UTC: validation results and approval requests are waiting when the partner starts work. */
export const DAILY_CRON = '0 2 * * *';
/** Mondays 02:00 UTC */
export const WEEKLY_CRON = '0 2 * * 1';
export const MIN_MINUTES_BETWEEN_RUNS = 60;

export type CadenceResult =
  | { ok: true; cadence: string; cron: string }
  | { ok: false; code: 'SCHEDULE_CADENCE_INVALID' | 'SCHEDULE_TOO_FREQUENT'; message: string };

const USAGE =
  'use daily, weekly or a cron expression in quotes such as "0 6 * * 1" (minute hour day month weekday, UTC)';

export function parseCadence(input: string, now: Date = new Date()): CadenceResult {
  const text = input
    .trim()
    .replace(/^["'“”]+|["'“”]+$/g, '')
    .trim();
  const lower = text.toLowerCase();
  if (lower === 'daily') return { ok: true, cadence: 'daily', cron: DAILY_CRON };
  if (lower === 'weekly') return { ok: true, cadence: 'weekly', cron: WEEKLY_CRON };
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    return {
      ok: false,
      code: 'SCHEDULE_CADENCE_INVALID',
      message: `"${text.slice(0, 80)}" is not a cadence: ${USAGE}`,
    };
  let runs: Date[];
  try {
    const expression = CronExpressionParser.parse(fields.join(' '), { tz: 'UTC', currentDate: now });
    runs = Array.from({ length: 48 }, () => expression.next().toDate());
  } catch (error) {
    return {
      ok: false,
      code: 'SCHEDULE_CADENCE_INVALID',
      message: `"${fields.join(' ')}" is not a valid cron expression (${(error as Error).message}): ${USAGE}`,
    };
  }
  const gaps = runs.slice(1).map((r, i) => (r.getTime() - runs[i]!.getTime()) / 60_000);
  if (Math.min(...gaps) < MIN_MINUTES_BETWEEN_RUNS)
    return {
      ok: false,
      code: 'SCHEDULE_TOO_FREQUENT',
      message: `"${fields.join(' ')}" would validate every ${Math.min(...gaps)} minutes; schedules run at most once an hour because every validation reads Autotask — try "0 * * * *" or daily`,
    };
  return { ok: true, cadence: fields.join(' '), cron: fields.join(' ') };
}
