// Small database helpers shared by the ingestion use cases.
import type { Db } from '../db/prismaClient.js';

/**
 * Serialises ingestion (imports, ingest API, snapshots) for the length of the transaction, so
 * two batches never create the same customer twice or diff against a state that is changing.
 */
export async function lockIngestion(tx: Db): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('autotask-bot.subscriptions.ingest'))`;
}

/**
 * A subscription's current quantity, status, price and cycle are those set by its latest events
 * (by effective date, then by insertion order); values no event sets stay as they are.
 */
export async function refreshSubscriptionState(tx: Db, subscriptionIds: string[]): Promise<void> {
  if (subscriptionIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE subscriptions s SET
      quantity = COALESCE((SELECT e.quantity_after FROM subscription_events e
        WHERE e.subscription_id = s.id AND e.quantity_after IS NOT NULL
        ORDER BY e.effective_date DESC, e.seq DESC LIMIT 1), s.quantity),
      status = COALESCE((SELECT e.status_after FROM subscription_events e
        WHERE e.subscription_id = s.id AND e.status_after IS NOT NULL
        ORDER BY e.effective_date DESC, e.seq DESC LIMIT 1), s.status),
      unit_price = COALESCE((SELECT e.price_after FROM subscription_events e
        WHERE e.subscription_id = s.id AND e.price_after IS NOT NULL
        ORDER BY e.effective_date DESC, e.seq DESC LIMIT 1), s.unit_price),
      billing_cycle = COALESCE((SELECT e.billing_cycle_after FROM subscription_events e
        WHERE e.subscription_id = s.id AND e.billing_cycle_after IS NOT NULL
        ORDER BY e.effective_date DESC, e.seq DESC LIMIT 1), s.billing_cycle),
      updated_at = now()
    WHERE s.id = ANY(${subscriptionIds}::text[])`;
}
