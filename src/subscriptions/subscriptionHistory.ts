// Reading a subscription's history back in its stored order, as domain events.
import { groupBy } from '../collections/groupBy.js';
import type { Db } from '../db/prismaClient.js';
import type { HistoryEvent } from './historyEvent.js';
import type { EventKind, SubscriptionStatus } from './subscriptionValues.js';
import { Decimal } from 'decimal.js';
import { checkHistoryConsistency, type HistoryFinding } from './historyConsistency.js';

const money = (v: { toString(): string } | null) => (v === null ? null : new Decimal(v.toString()).toFixed());

/** A stored event row (Prisma's, or the same fields parsed elsewhere); prices as any decimal. */
export interface StoredEventRow {
  subscriptionId: string;
  effectiveDate: string;
  kind: string;
  quantityBefore?: number | null;
  quantityAfter?: number | null;
  statusBefore?: string | null;
  statusAfter?: string | null;
  priceBefore?: { toString(): string } | null;
  priceAfter?: { toString(): string } | null;
  billingCycleBefore?: string | null;
  billingCycleAfter?: string | null;
  sourceEventId?: string | null;
}

export function toHistoryEvent(r: StoredEventRow): HistoryEvent {
  return {
    subscriptionId: r.subscriptionId,
    effectiveDate: r.effectiveDate,
    kind: r.kind as EventKind,
    quantityBefore: r.quantityBefore ?? null,
    quantityAfter: r.quantityAfter ?? null,
    statusBefore: (r.statusBefore ?? null) as SubscriptionStatus | null,
    statusAfter: (r.statusAfter ?? null) as SubscriptionStatus | null,
    priceBefore: money(r.priceBefore ?? null),
    priceAfter: money(r.priceAfter ?? null),
    billingCycleBefore: r.billingCycleBefore ?? null,
    billingCycleAfter: r.billingCycleAfter ?? null,
    sourceEventId: r.sourceEventId ?? null,
  };
}

/** Rows in stored order (subscription, date, insertion) → each subscription's history. */
export function groupHistory(rows: Iterable<StoredEventRow>): Map<string, HistoryEvent[]> {
  return groupBy([...rows].map(toHistoryEvent), (e) => e.subscriptionId);
}

/** Every event of the given subscriptions (all when omitted), by subscription, date, insertion. */
export async function loadHistory(db: Db, subscriptionIds?: string[]): Promise<Map<string, HistoryEvent[]>> {
  const rows = await db.subscriptionEvent.findMany({
    where: subscriptionIds ? { subscriptionId: { in: subscriptionIds } } : {},
    orderBy: [{ subscriptionId: 'asc' }, { effectiveDate: 'asc' }, { seq: 'asc' }],
  });
  return groupHistory(rows);
}

/** HISTORY_INCONSISTENT findings over histories already read (groupHistory or loadHistory). */
export function inconsistenciesIn(history: Map<string, HistoryEvent[]>, today: string): HistoryFinding[] {
  return [...history.values()].flatMap((events) => checkHistoryConsistency(events, today));
}

/** HISTORY_INCONSISTENT findings over the stored history (all subscriptions, or the given ones). */
export async function findHistoryInconsistencies(
  db: Db,
  today: string,
  subscriptionIds?: string[],
): Promise<HistoryFinding[]> {
  return inconsistenciesIn(await loadHistory(db, subscriptionIds), today);
}
