// The key that makes ingestion idempotent: the source's own event id (namespaced by the source
// system, and by kind because one source change can become several events), or a hash of the
// event's content when the source gives no id.
import { createHash } from 'node:crypto';
import type { HistoryEvent } from './historyEvent.js';

export function idempotencyKey(event: HistoryEvent, sourceSystem: string): string {
  if (event.sourceEventId) return `src:${sourceSystem}:${event.sourceEventId}:${event.kind}`;
  const content = [
    event.subscriptionId,
    event.effectiveDate,
    event.kind,
    event.quantityBefore ?? null,
    event.quantityAfter ?? null,
    event.statusBefore ?? null,
    event.statusAfter ?? null,
    event.priceBefore ?? null,
    event.priceAfter ?? null,
    event.billingCycleBefore ?? null,
    event.billingCycleAfter ?? null,
  ];
  return `sha256:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`;
}
