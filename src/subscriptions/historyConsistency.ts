// History consistency checks (docs/billing-semantics.md §5, HISTORY_INCONSISTENT), a pure function over
// one subscription's events in order. The validation step of the sync part calls it.
import type { HistoryEvent } from './historyEvent.js';
import { sameMoney } from './subscriptionValues.js';

export interface HistoryFinding {
  code: 'HISTORY_INCONSISTENT';
  severity: 'error';
  subscriptionId: string;
  effectiveDate: string;
  message: string;
  hint: string;
}

const FIELDS = [
  { name: 'quantity', label: 'quantity', before: 'quantityBefore', after: 'quantityAfter' },
  { name: 'status', label: 'status', before: 'statusBefore', after: 'statusAfter' },
  { name: 'price', label: 'unit price', before: 'priceBefore', after: 'priceAfter' },
  { name: 'billingCycle', label: 'billing cycle', before: 'billingCycleBefore', after: 'billingCycleAfter' },
] as const;

function same(field: (typeof FIELDS)[number]['name'], a: unknown, b: unknown): boolean {
  if (field === 'price') return sameMoney(String(a), String(b));
  return a === b;
}

/**
 * Findings for one subscription's events, given in stored order (effective date, then insertion).
 * `today` is YYYY-MM-DD; events after it are future-dated.
 */
export function checkHistoryConsistency(events: readonly HistoryEvent[], today: string): HistoryFinding[] {
  const findings: HistoryFinding[] = [];
  const last: Partial<Record<(typeof FIELDS)[number]['name'], { value: unknown; date: string }>> = {};
  let previousDate: string | undefined;
  for (const event of events) {
    const finding = (message: string, hint: string) =>
      findings.push({
        code: 'HISTORY_INCONSISTENT',
        severity: 'error',
        subscriptionId: event.subscriptionId,
        effectiveDate: event.effectiveDate,
        message: `HISTORY_INCONSISTENT: subscription ${event.subscriptionId}, ${event.kind} on ${event.effectiveDate}: ${message}`,
        hint,
      });
    if (previousDate !== undefined && event.effectiveDate < previousDate) {
      finding(
        `it comes after an event dated ${previousDate}`,
        'the events must be in date order; re-import the history sorted by date',
      );
    }
    previousDate = event.effectiveDate;
    if (event.effectiveDate > today) {
      finding(
        `the date lies in the future (today is ${today})`,
        'correct the date of the change; a future change is imported when it has happened',
      );
    }
    for (const q of [event.quantityBefore, event.quantityAfter]) {
      if (q !== null && q !== undefined && q < 0) {
        finding(
          `the quantity ${q} is negative`,
          'correct the quantity in the source data; units cannot go below 0',
        );
        break;
      }
    }
    if (event.kind === 'created' && Object.keys(last).length > 0) {
      finding(
        `the subscription was created again after earlier events (last one on ${previousDateOf(last)})`,
        'remove the duplicate creation, or give the second subscription its own id',
      );
    }
    for (const field of FIELDS) {
      const before = event[field.before];
      const after = event[field.after];
      const known = last[field.name];
      if (before !== null && before !== undefined && known && !same(field.name, before, known.value)) {
        finding(
          `the ${field.label} before it is ${String(before)}, but the previous change (${known.date}) left it at ${String(known.value)}`,
          `a change between ${known.date} and ${event.effectiveDate} is missing, or the old ${field.label} of this change is wrong; import the missing change or correct it`,
        );
      }
      if (after !== null && after !== undefined)
        last[field.name] = { value: after, date: event.effectiveDate };
    }
  }
  return findings;
}

function previousDateOf(last: Partial<Record<string, { date: string }>>): string {
  return Object.values(last)
    .map((v) => v!.date)
    .sort()
    .pop()!;
}
