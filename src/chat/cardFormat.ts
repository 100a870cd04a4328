// Small formatting rules shared by the card builders: numbers with separators, ages in words,
// "and N more".
import type { Decimal } from 'decimal.js';
import type { ChatRunState } from './chatServices.js';

const RUN_STATE_WORDS: Record<ChatRunState, string> = {
  validated: 'validated',
  awaiting_approval: 'awaiting approval',
  approved: 'approved',
  rejected: 'rejected',
  uploading: 'uploading',
  succeeded: 'succeeded',
  failed: 'failed',
  partially_failed: 'partially failed',
};
/** A run's state as people say it ("awaiting approval", not `awaiting_approval`). */
export const formatRunState = (state: ChatRunState): string => RUN_STATE_WORDS[state];

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export function formatMoney(amount: Decimal, currency: string): string {
  const sign = amount.isNegative() ? '−' : amount.isZero() ? '' : '+';
  const [whole, cents] = amount.abs().toFixed(2).split('.');
  return `${sign}${Number(whole).toLocaleString('en-US')}.${cents} ${currency}`;
}

export function formatSigned(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '0';
}

export function formatAge(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function formatProgress(done: number, total: number): string {
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  return `${formatCount(done)} / ${formatCount(total)} operations · ${percent} %`;
}

export const andMore = (n: number): string => `… and ${formatCount(n)} more`;

/** `2026-11-25 13:02 UTC` */
export const formatTimestamp = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** How a person is shown: Slack mentions render as names; others as their id. */
export function formatPerson(identity: string | null): string {
  if (!identity) return 'someone';
  const slack = /^slack:[^:]+:(.+)$/.exec(identity);
  return slack ? `<@${slack[1]}>` : identity;
}
