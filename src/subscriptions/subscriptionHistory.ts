// Reading a subscription's history back in its stored order, as domain events.
import type { Db } from '../db/prismaClient.js';
import type { HistoryEvent } from './historyEvent.js';
import type { EventKind, SubscriptionStatus } from './subscriptionValues.js';
import { Decimal } from 'decimal.js';
import { checkHistoryConsistency, type HistoryFinding } from './historyConsistency.js';

const money = (v: { toString(): string } | null) => (v === null ? null : new Decimal(v.toString()).toFixed());

/** Every event of the given subscriptions (all when omitted), by subscription, date, insertion. */
export async function loadHistory(db: Db, subscriptionIds?: string[]): Promise<Map<string, HistoryEvent[]>> {
  const rows = await db.subscriptionEvent.findMany({
    where: subscriptionIds ? { subscriptionId: { in: subscriptionIds } } : {},
    orderBy: [{ subscriptionId: 'asc' }, { effectiveDate: 'asc' }, { seq: 'asc' }],
  });
  const history = new Map<string, HistoryEvent[]>();
  for (const r of rows) {
    const list = history.get(r.subscriptionId) ?? [];
    list.push({
      subscriptionId: r.subscriptionId,
      effectiveDate: r.effectiveDate,
      kind: r.kind as EventKind,
      quantityBefore: r.quantityBefore,
      quantityAfter: r.quantityAfter,
      statusBefore: r.statusBefore as SubscriptionStatus | null,
      statusAfter: r.statusAfter as SubscriptionStatus | null,
      priceBefore: money(r.priceBefore),
      priceAfter: money(r.priceAfter),
      billingCycleBefore: r.billingCycleBefore,
      billingCycleAfter: r.billingCycleAfter,
      sourceEventId: r.sourceEventId,
    });
    history.set(r.subscriptionId, list);
  }
  return history;
}

/** HISTORY_INCONSISTENT findings over the stored history (all subscriptions, or the given ones). */
export async function findHistoryInconsistencies(
  db: Db,
  today: string,
  subscriptionIds?: string[],
): Promise<HistoryFinding[]> {
  const history = await loadHistory(db, subscriptionIds);
  return [...history.values()].flatMap((events) => checkHistoryConsistency(events, today));
}
