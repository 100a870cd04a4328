// The limits every ingestion channel (import file, ingest API, snapshot) applies to what it is
// sent: how far in the future a change may be dated, and how much of the partner one snapshot
// may cancel. Set by INGEST_MAX_FUTURE_DAYS and INGEST_MASS_CANCEL_SHARE (README "Configuration").
import { addDays, utcDateOf } from '../core/calendarDate.js';

export interface IngestLimits {
  /** a change dated later than today (UTC) plus this many days is refused */
  maxFutureDays: number;
  /** a snapshot cancelling more than this share of the live subscriptions is refused (0–1) */
  massCancelShare: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxFutureDays: 3, massCancelShare: 0.2 };

/** The latest effective date accepted on the given day: YYYY-MM-DD. */
export function latestAcceptedDate(maxFutureDays: number, now: Date = new Date()): string {
  return addDays(utcDateOf(now), maxFutureDays);
}

export function futureDateReason(latestDate: string): string {
  return `is later than ${latestDate}, the latest date accepted today (INGEST_MAX_FUTURE_DAYS): send changes once they are due`;
}

/** A share as people read it: 0.2 → "20 %". */
export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}
