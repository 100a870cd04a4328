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

export interface EventRow {
  subscriptionId: string;
  effectiveDate: string;
  kind: string;
  quantityBefore: number | null;
  quantityAfter: number | null;
  statusBefore: string | null;
  statusAfter: string | null;
  priceBefore: string | null;
  priceAfter: string | null;
  billingCycleBefore: string | null;
  billingCycleAfter: string | null;
  sourceEventId: string | null;
  idempotencyKey: string;
  source: string;
}

/**
 * Inserts events in the given order, skipping those whose idempotency key is stored already;
 * resolves to the number inserted. Plain SQL over column arrays: Prisma's createMany costs
 * hundreds of MB for a 10,000-event file, this a few.
 */
export async function insertEvents(tx: Db, rows: EventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const column = <K extends keyof EventRow>(key: K) => rows.map((r) => r[key]);
  return tx.$executeRaw`
    INSERT INTO subscription_events (id, subscription_id, effective_date, kind, quantity_before,
      quantity_after, status_before, status_after, price_before, price_after, billing_cycle_before,
      billing_cycle_after, source_event_id, idempotency_key, source)
    SELECT gen_random_uuid()::text, v.s, v.d, v.k, v.qb, v.qa, v.sb, v.sa, v.pb, v.pa, v.cb, v.ca, v.eid, v.ik, v.src
    FROM unnest(
      ${column('subscriptionId')}::text[], ${column('effectiveDate')}::text[], ${column('kind')}::text[],
      ${column('quantityBefore')}::int[], ${column('quantityAfter')}::int[],
      ${column('statusBefore')}::text[], ${column('statusAfter')}::text[],
      ${column('priceBefore')}::numeric[], ${column('priceAfter')}::numeric[],
      ${column('billingCycleBefore')}::text[], ${column('billingCycleAfter')}::text[],
      ${column('sourceEventId')}::text[], ${column('idempotencyKey')}::text[], ${column('source')}::text[]
    ) WITH ORDINALITY AS v(s, d, k, qb, qa, sb, sa, pb, pa, cb, ca, eid, ik, src, n)
    ORDER BY v.n
    ON CONFLICT (idempotency_key) DO NOTHING`;
}

export interface SubscriptionRow {
  id: string;
  customerId: string;
  productName: string;
  sku: string | null;
  billingCycle: string;
  billingType: string;
  term: string | null;
  status: string;
  quantity: number;
  unitPrice: string;
  unitCost: string | null;
  currency: string;
}

/** Creates subscriptions (plain SQL over column arrays, for the same reason as insertEvents). */
export async function insertSubscriptions(tx: Db, rows: SubscriptionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof SubscriptionRow>(key: K) => rows.map((r) => r[key]);
  await tx.$executeRaw`
    INSERT INTO subscriptions (id, customer_id, product_name, sku, billing_cycle, billing_type, term,
      status, quantity, unit_price, unit_cost, currency, updated_at)
    SELECT v.id, v.c, v.p, v.sku, v.bc, v.bt, v.t, v.st, v.q, v.up, v.uc, v.cur, now()
    FROM unnest(
      ${column('id')}::text[], ${column('customerId')}::text[], ${column('productName')}::text[],
      ${column('sku')}::text[], ${column('billingCycle')}::text[], ${column('billingType')}::text[],
      ${column('term')}::text[], ${column('status')}::text[], ${column('quantity')}::int[],
      ${column('unitPrice')}::numeric[], ${column('unitCost')}::numeric[], ${column('currency')}::text[]
    ) AS v(id, c, p, sku, bc, bt, t, st, q, up, uc, cur)`;
}
