// Small database helpers shared by the ingestion use cases.
import { Prisma } from '../db/generated/prisma/client.js';
import type { Db } from '../db/prismaClient.js';

/**
 * Serialises ingestion (imports, ingest API, snapshots) for the length of the transaction, so
 * two batches never create the same customer twice or diff against a state that is changing.
 */
export async function lockIngestion(tx: Db): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('autotask-bot.subscriptions.ingest'))`;
}

/** The values a subscription takes from its events: its column, and the event column that sets it. */
const VALUES_SET_BY_EVENTS = [
  ['quantity', 'quantity_after'],
  ['status', 'status_after'],
  ['unit_price', 'price_after'],
  ['billing_cycle', 'billing_cycle_after'],
] as const;

/** Each value from the latest event that sets it (SQL text built from the names above alone). */
const LATEST_VALUES = Prisma.raw(
  VALUES_SET_BY_EVENTS.map(
    ([column, after]) => `${column} = COALESCE((SELECT e.${after} FROM subscription_events e
        WHERE e.subscription_id = s.id AND e.${after} IS NOT NULL
        ORDER BY e.effective_date DESC, e.seq DESC LIMIT 1), s.${column})`,
  ).join(',\n      '),
);

/**
 * A subscription's current quantity, status, price and cycle are those set by its latest events
 * (by effective date, then by insertion order); values no event sets stay as they are.
 */
export async function refreshSubscriptionState(tx: Db, subscriptionIds: string[]): Promise<void> {
  if (subscriptionIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE subscriptions s SET
      ${LATEST_VALUES},
      updated_at = now()
    WHERE s.id = ANY(${subscriptionIds}::text[])`;
}

/**
 * Values as one JSON text for a query (read back with json_array_elements). A lone surrogate
 * becomes U+FFFD, as it does when a string is sent as a text parameter: PostgreSQL refuses its
 * JSON escape.
 */
function jsonParameter(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' ? v.replace(/\p{Cs}/gu, '\uFFFD') : v,
  );
}

export interface SubscriptionOwner {
  id: string;
  customerId: string;
  customer: { name: string; externalId: string | null };
}

/** The stored ones among these subscriptions, with their customers (ids as one JSON text). */
export async function findSubscriptionOwners(tx: Db, ids: string[]): Promise<SubscriptionOwner[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<
    { id: string; customerId: string; name: string; externalId: string | null }[]
  >`
    SELECT s.id, s.customer_id AS "customerId", c.name, c.external_id AS "externalId"
    FROM subscriptions s JOIN customers c ON c.id = s.customer_id
    WHERE s.id IN (SELECT json_array_elements_text(${jsonParameter(ids)}::json))`;
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customerId,
    customer: { name: r.name, externalId: r.externalId },
  }));
}

/** The values stored for an event: what "the same event" is compared on. */
export interface StoredEventContent {
  subscriptionId: string;
  effectiveDate: string;
  kind: string;
  quantityBefore: number | null;
  quantityAfter: number | null;
  statusBefore: string | null;
  statusAfter: string | null;
  /** decimal text */
  priceBefore: string | null;
  priceAfter: string | null;
  billingCycleBefore: string | null;
  billingCycleAfter: string | null;
}

export interface EventRow extends StoredEventContent {
  sourceEventId: string | null;
  idempotencyKey: string;
  source: string;
}

/**
 * Inserts events in the given order, skipping those whose idempotency key is stored already;
 * resolves to the number inserted. The rows travel as one JSON text of value arrays: Prisma
 * keeps each query's parameters for a while (its debug history), and one string costs a fraction
 * of thousands of separate values. (Prisma's createMany costs hundreds of MB for 10,000 events.)
 */
export async function insertEvents(tx: Db, rows: EventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const values = jsonParameter(
    rows.map((r) => [
      r.subscriptionId,
      r.effectiveDate,
      r.kind,
      r.quantityBefore,
      r.quantityAfter,
      r.statusBefore,
      r.statusAfter,
      r.priceBefore,
      r.priceAfter,
      r.billingCycleBefore,
      r.billingCycleAfter,
      r.sourceEventId,
      r.idempotencyKey,
      r.source,
    ]),
  );
  return tx.$executeRaw`
    INSERT INTO subscription_events (id, subscription_id, effective_date, kind, quantity_before,
      quantity_after, status_before, status_after, price_before, price_after, billing_cycle_before,
      billing_cycle_after, source_event_id, idempotency_key, source)
    SELECT gen_random_uuid()::text, v.r->>0, v.r->>1, v.r->>2, (v.r->>3)::int, (v.r->>4)::int,
      v.r->>5, v.r->>6, (v.r->>7)::numeric, (v.r->>8)::numeric, v.r->>9, v.r->>10, v.r->>11,
      v.r->>12, v.r->>13
    FROM json_array_elements(${values}::json) WITH ORDINALITY AS v(r, n)
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

/** Creates subscriptions (plain SQL over one JSON text, for the same reasons as insertEvents). */
export async function insertSubscriptions(tx: Db, rows: SubscriptionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = jsonParameter(
    rows.map((r) => [
      r.id,
      r.customerId,
      r.productName,
      r.sku,
      r.billingCycle,
      r.billingType,
      r.term,
      r.status,
      r.quantity,
      r.unitPrice,
      r.unitCost,
      r.currency,
    ]),
  );
  await tx.$executeRaw`
    INSERT INTO subscriptions (id, customer_id, product_name, sku, billing_cycle, billing_type, term,
      status, quantity, unit_price, unit_cost, currency, updated_at)
    SELECT v.r->>0, v.r->>1, v.r->>2, v.r->>3, v.r->>4, v.r->>5, v.r->>6, v.r->>7, (v.r->>8)::int,
      (v.r->>9)::numeric, (v.r->>10)::numeric, v.r->>11, now()
    FROM json_array_elements(${values}::json) AS v(r)`;
}

/** The stored events among these idempotency keys, by key (keys as one JSON text). */
export async function findStoredEventContents(
  tx: Db,
  keys: string[],
): Promise<Map<string, StoredEventContent>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.$queryRaw<(StoredEventContent & { key: string })[]>`
    SELECT idempotency_key AS "key", subscription_id AS "subscriptionId",
      effective_date AS "effectiveDate", kind, quantity_before AS "quantityBefore",
      quantity_after AS "quantityAfter", status_before AS "statusBefore", status_after AS "statusAfter",
      price_before::text AS "priceBefore", price_after::text AS "priceAfter",
      billing_cycle_before AS "billingCycleBefore", billing_cycle_after AS "billingCycleAfter"
    FROM subscription_events
    WHERE idempotency_key IN (SELECT json_array_elements_text(${jsonParameter(keys)}::json))`;
  return new Map(rows.map(({ key, ...content }) => [key, content]));
}
