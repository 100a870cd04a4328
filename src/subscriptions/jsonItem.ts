// One item of a JSON body (an event of a batch, a subscription of a snapshot): the id a person
// knows it by, and its validation, refused as problems that name the item and the field.
import type { z } from 'zod';
import type { ItemProblem } from './incomingEvent.js';
import { findUnstorableText, whyUnstorable } from './storableText.js';

/** The id a person knows an item by: its event id, else its subscription's (when readable). */
export function itemIdOf(raw: unknown): string | undefined {
  const readable = (v: unknown) =>
    typeof v === 'string' && v.trim() !== '' && v.length <= 200 && !whyUnstorable(v) ? v.trim() : undefined;
  if (raw === null || typeof raw !== 'object') return undefined;
  const item = raw as { eventId?: unknown; id?: unknown; subscription?: unknown };
  const subscription = item.subscription as { id?: unknown } | null | undefined;
  return (
    readable(item.eventId) ??
    readable(item.id) ??
    (subscription && typeof subscription === 'object' ? readable(subscription.id) : undefined)
  );
}

/**
 * Item number `item` of a body, parsed with its schema. Text the database cannot store is
 * refused before the schema sees it, so a problem names the field rather than a failed query.
 */
export function parseJsonItem<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  item: number,
): { ok: true; id: string | undefined; data: T } | { ok: false; problems: ItemProblem[] } {
  const id = itemIdOf(raw);
  const unstorable = findUnstorableText(raw);
  if (unstorable.length > 0)
    return {
      ok: false,
      problems: unstorable.map((u) => ({ item, id, column: u.path || '(item)', reason: u.reason })),
    };
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        item,
        id,
        column: i.path.join('.') || '(item)',
        reason: i.message,
      })),
    };
  return { ok: true, id, data: parsed.data };
}
