// Calendar dates as `YYYY-MM-DD` strings, the one form every effective date takes. Arithmetic
// goes through UTC midnight so no local time zone or daylight-saving shift can move a date.
import { z } from 'zod';

const DAY_MS = 86_400_000;

function toUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The shape alone (`2025-02-30` passes); `isCalendarDate` also checks the day exists. */
export const CALENDAR_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2025-02-30 is refused). */
export function isCalendarDate(value: string): boolean {
  return CALENDAR_DATE_PATTERN.test(value) && fromUtc(toUtc(value)) === value;
}

/** A real calendar date written YYYY-MM-DD, with the message a person sees when it is not. */
export const CalendarDateSchema = z
  .string()
  .refine(isCalendarDate, { message: 'must be a date written YYYY-MM-DD, e.g. 2026-03-01' });

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Days from `from` to `to`, both included (a one-day row has 1 day). */
export function daysInclusive(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS) + 1;
}

/**
 * `start` plus `months` months, counted from `start` itself (not step by step), with the day
 * clamped to the month's last day: 2026-01-31 + 1 month = 2026-02-28, + 2 months = 2026-03-31.
 */
export function addMonthsClamped(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(d, lastDay)));
}

/** The calendar date, in UTC, of an instant: today's date is `utcDateOf(new Date())`. */
export function utcDateOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}
