// An event id names one change for good. Sent again with the same values it is a repeat (stored
// once, "alreadyStored"); sent again with other values it is a conflict, refused by name: storing
// nothing would silently drop the change, storing it would rewrite history under the same id.
// "The same values" are the ones stored for an event — subscription, date, kind and before/after
// values — with amounts compared as numbers (36 = 36.00).
import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Db } from '../db/prismaClient.js';
import type { HistoryEvent } from './historyEvent.js';
import { idempotencyKey } from './idempotencyKey.js';
import type { IncomingEvent, ItemProblem } from './incomingEvent.js';
import { findStoredEventContents, type StoredEventContent } from './subscriptionStore.js';

const FIELDS = [
  'subscriptionId',
  'effectiveDate',
  'kind',
  'quantityBefore',
  'quantityAfter',
  'statusBefore',
  'statusAfter',
  'priceBefore',
  'priceAfter',
  'billingCycleBefore',
  'billingCycleAfter',
] as const satisfies readonly (keyof StoredEventContent)[];

type Canonical = Record<(typeof FIELDS)[number], string | number | null>;

function canonical(e: HistoryEvent | StoredEventContent): Canonical {
  const money = (v: string | null | undefined) =>
    v === null || v === undefined ? null : new Decimal(v).toFixed();
  return {
    subscriptionId: e.subscriptionId,
    effectiveDate: e.effectiveDate,
    kind: e.kind,
    quantityBefore: e.quantityBefore ?? null,
    quantityAfter: e.quantityAfter ?? null,
    statusBefore: e.statusBefore ?? null,
    statusAfter: e.statusAfter ?? null,
    priceBefore: money(e.priceBefore),
    priceAfter: money(e.priceAfter),
    billingCycleBefore: e.billingCycleBefore ?? null,
    billingCycleAfter: e.billingCycleAfter ?? null,
  };
}

/** Short digests keep the batch's own repeats cheap to remember (half a 100,000-row file has ids). */
const digest = (text: string) => createHash('sha256').update(text).digest('base64').slice(0, 22);
const show = (v: string | number | null) => (v === null ? 'none' : String(v));

/**
 * Why an event may not be stored under an id stored before with other values, or undefined
 * when the values are the same (amounts compared as numbers).
 */
export function storedConflictReason(event: HistoryEvent, stored: StoredEventContent): string | undefined {
  const before = canonical(stored);
  const now = canonical(event);
  const changed = FIELDS.filter((f) => before[f] !== now[f]);
  if (changed.length === 0) return undefined;
  return `event id ${event.sourceEventId} (${event.kind}) was stored before with other values (${changed
    .map((f) => `${f}: stored ${show(before[f])}, sent ${show(now[f])}`)
    .join('; ')}): an event id names one change — give a new change a new id`;
}

/** Why an event repeats an id that appears earlier in the batch with other values. */
export function batchConflictReason(event: HistoryEvent, firstItem: number, unit: 'row' | 'item'): string {
  return `event id ${event.sourceEventId} (${event.kind}) appears earlier in this batch (${unit} ${firstItem}) with other values: an event id names one change`;
}

/** Ids per stored-event lookup. */
const LOOKUP_SLICE = 1_000;

/**
 * The events of a batch whose source event id is stored (or appears earlier in the batch) with
 * other values, as problems at the event id column. Events without a source id are keyed by
 * their content and cannot conflict.
 */
export async function findEventIdConflicts(
  tx: Db,
  events: () => Iterable<IncomingEvent>,
  options: { sourceSystem: string; column: string; unit: 'row' | 'item' },
): Promise<ItemProblem[]> {
  const problems: ItemProblem[] = [];
  const firstInBatch = new Map<string, { item: number; content: string }>();
  let slice: { key: string; item: number; event: HistoryEvent }[] = [];

  const compareWithStored = async () => {
    const stored = await findStoredEventContents(tx, [...new Set(slice.map((s) => s.key))]);
    for (const { key, item, event } of slice) {
      const known = stored.get(key);
      if (!known) continue;
      const reason = storedConflictReason(event, known);
      if (reason) problems.push({ item, id: event.sourceEventId!, column: options.column, reason });
    }
    slice = [];
  };

  for (const e of events()) {
    if (!e.event.sourceEventId) continue;
    const key = idempotencyKey(e.event, options.sourceSystem);
    const content = digest(JSON.stringify(canonical(e.event)));
    const keyDigest = digest(key);
    const first = firstInBatch.get(keyDigest);
    if (first === undefined) firstInBatch.set(keyDigest, { item: e.item, content });
    else if (first.content !== content)
      problems.push({
        item: e.item,
        id: e.event.sourceEventId,
        column: options.column,
        reason: batchConflictReason(e.event, first.item, options.unit),
      });
    slice.push({ key, item: e.item, event: e.event });
    if (slice.length === LOOKUP_SLICE) await compareWithStored();
  }
  await compareWithStored();
  return problems.sort((a, b) => a.item - b.item);
}
