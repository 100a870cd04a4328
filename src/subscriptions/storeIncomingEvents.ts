// Stores a batch of incoming events in one transaction: unknown customers and subscriptions are
// created, events are inserted once (their idempotency key is unique), each touched
// subscription's current state is recomputed from its latest events, and one audit record
// names the actor. A batch with refused items stores nothing unless skipInvalid is set.
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/auditLog.js';
import type { Actor } from '../audit/actor.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { applyEvent } from './historyEvent.js';
import { idempotencyKey } from './idempotencyKey.js';
import { customerKey, type IncomingEvent, type ItemProblem } from './incomingEvent.js';
import type { SubscriptionState } from './subscriptionValues.js';
import {
  type EventRow,
  insertEvents,
  insertSubscriptions,
  lockIngestion,
  refreshSubscriptionState,
} from './subscriptionStore.js';

export interface StoreOptions {
  actor: Actor;
  /** where the batch came from, stored on each event: import:<file>, ingest, snapshot */
  channel: string;
  /** the source system that namespaces event ids */
  sourceSystem: string;
  /** store the valid items of a batch that has refused ones */
  skipInvalid?: boolean;
  /** do everything, report it, then roll back */
  dryRun?: boolean;
  /** how columns are named in problems: CSV column names or JSON field paths */
  format: 'csv' | 'json';
}

export interface StoreResult {
  /** items (rows) in the batch */
  items: number;
  /** items that were accepted (stored, or would be in a dry run) */
  acceptedItems: number;
  refused: ItemProblem[];
  /** true when the transaction committed */
  stored: boolean;
  dryRun: boolean;
  eventsNew: number;
  eventsAlreadyStored: number;
  customersCreated: number;
  subscriptionsCreated: number;
}

export interface IncomingBatch {
  items: number;
  events: IncomingEvent[];
  /** problems found while reading the items */
  problems: ItemProblem[];
}

class DryRunRollback extends Error {
  constructor(readonly result: StoreResult) {
    super('dry run: rolled back');
  }
}

const COLUMNS = {
  csv: { customer: 'customer_external_id', subscription: 'subscription_id', kind: 'old_status' },
  json: { customer: 'customer.externalId', subscription: 'subscription.id', kind: 'kind' },
};

export async function storeIncomingEvents(
  prisma: PrismaClient,
  batch: IncomingBatch,
  options: StoreOptions,
): Promise<StoreResult> {
  try {
    return await prisma.$transaction((tx) => storeIncomingEventsInTransaction(tx, batch, options), {
      timeout: 300_000,
      maxWait: 30_000,
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
}

/** The same, inside a caller's transaction (the snapshot use case). Throws to roll back a dry run. */
export async function storeIncomingEventsInTransaction(
  tx: Db,
  batch: IncomingBatch,
  options: StoreOptions,
): Promise<StoreResult> {
  await lockIngestion(tx);
  const columns = COLUMNS[options.format];
  const problems = [...batch.problems];

  // Who exists already.
  const externalIds = [
    ...new Set(batch.events.flatMap((e) => (e.customer.externalId ? [e.customer.externalId] : []))),
  ];
  const namesOnly = [
    ...new Set(batch.events.flatMap((e) => (e.customer.externalId ? [] : [e.customer.name]))),
  ];
  const existingCustomers = await tx.customer.findMany({
    where: { OR: [{ externalId: { in: externalIds } }, { name: { in: namesOnly } }] },
    select: { id: true, name: true, externalId: true },
  });
  const externalIdSet = new Set(externalIds);
  const nameSet = new Set(namesOnly);
  const customerIdByKey = new Map<string, string>();
  const ambiguousNames = new Set<string>();
  for (const c of existingCustomers) {
    if (c.externalId && externalIdSet.has(c.externalId)) customerIdByKey.set(`id:${c.externalId}`, c.id);
    if (nameSet.has(c.name)) {
      if (customerIdByKey.has(`name:${c.name}`)) ambiguousNames.add(c.name);
      customerIdByKey.set(`name:${c.name}`, c.id);
    }
  }
  const subscriptionIds = [...new Set(batch.events.map((e) => e.subscription.id))];
  const existingSubscriptions = new Map(
    (
      await tx.subscription.findMany({
        where: { id: { in: subscriptionIds } },
        select: { id: true, customerId: true, customer: { select: { name: true, externalId: true } } },
      })
    ).map((s) => [s.id, s]),
  );

  // Checks that need the database or the whole batch.
  const customerKeyOfSubscription = new Map<string, string>();
  const subscriptionsWithStart = new Set<string>();
  for (const e of batch.events) {
    if (e.event.kind === 'created' || e.stateAfter) subscriptionsWithStart.add(e.subscription.id);
  }
  for (const e of batch.events) {
    const key = customerKey(e.customer);
    if (!e.customer.externalId && ambiguousNames.has(e.customer.name)) {
      problems.push({
        item: e.item,
        column: columns.customer,
        reason: `several customers are named "${e.customer.name}": give the customer's external id`,
      });
    }
    const existing = existingSubscriptions.get(e.subscription.id);
    const knownCustomerId = customerIdByKey.get(key);
    if (existing && existing.customerId !== knownCustomerId) {
      problems.push({
        item: e.item,
        column: columns.customer,
        reason: `subscription ${e.subscription.id} belongs to customer "${existing.customer.name}"${existing.customer.externalId ? ` (${existing.customer.externalId})` : ''}, not to "${e.customer.name}"`,
      });
    }
    const firstKey = customerKeyOfSubscription.get(e.subscription.id);
    if (firstKey === undefined) customerKeyOfSubscription.set(e.subscription.id, key);
    else if (firstKey !== key) {
      problems.push({
        item: e.item,
        column: columns.customer,
        reason: `subscription ${e.subscription.id} appears under two customers in this batch`,
      });
    }
    if (!existing && !subscriptionsWithStart.has(e.subscription.id)) {
      problems.push({
        item: e.item,
        column: columns.kind,
        reason: `subscription ${e.subscription.id} is unknown: send its created event first`,
      });
    }
  }

  const refusedItems = new Set(problems.map((p) => p.item));
  const accepted = batch.events.filter((e) => !refusedItems.has(e.item));
  const acceptedItems = new Set(accepted.map((e) => e.item)).size;
  const result: StoreResult = {
    items: batch.items,
    acceptedItems,
    refused: problems.sort((a, b) => a.item - b.item),
    stored: false,
    dryRun: options.dryRun ?? false,
    eventsNew: 0,
    eventsAlreadyStored: 0,
    customersCreated: 0,
    subscriptionsCreated: 0,
  };
  if ((problems.length > 0 && !options.skipInvalid) || accepted.length === 0) return result;

  // New customers.
  const newCustomers = new Map<
    string,
    { id: string; name: string; externalId: string | null; domain: string | null }
  >();
  for (const e of accepted) {
    const key = customerKey(e.customer);
    if (customerIdByKey.has(key) || newCustomers.has(key)) continue;
    newCustomers.set(key, {
      id: randomUUID(),
      name: e.customer.name,
      externalId: e.customer.externalId ?? null,
      domain: e.customer.domain ?? null,
    });
  }
  if (newCustomers.size > 0) await tx.customer.createMany({ data: [...newCustomers.values()] });
  for (const [key, c] of newCustomers) customerIdByKey.set(key, c.id);

  // New subscriptions, created with the state the batch leaves them in (refreshed below anyway).
  const newSubscriptions = new Map<string, IncomingEvent[]>();
  for (const e of accepted) {
    if (existingSubscriptions.has(e.subscription.id)) continue;
    const list = newSubscriptions.get(e.subscription.id) ?? [];
    list.push(e);
    newSubscriptions.set(e.subscription.id, list);
  }
  const subscriptionRows = [...newSubscriptions.entries()].map(([id, events]) => {
    const ordered = [...events].sort((a, b) => a.event.effectiveDate.localeCompare(b.event.effectiveDate));
    const last = ordered[ordered.length - 1]!;
    const state = lastKnownState(ordered);
    return {
      id,
      customerId: customerIdByKey.get(customerKey(last.customer))!,
      productName: last.subscription.productName,
      sku: last.subscription.sku ?? null,
      billingCycle: state.billingCycle,
      billingType: last.subscription.billingType,
      term: last.subscription.term ?? null,
      status: state.status,
      quantity: state.quantity,
      unitPrice: state.unitPrice,
      unitCost: last.subscription.unitCost ?? null,
      currency: last.subscription.currency,
    };
  });
  for (const chunk of chunks(subscriptionRows, 2_000)) await insertSubscriptions(tx, chunk);

  // The events, once each.
  const toRow = (e: IncomingEvent): EventRow => ({
    subscriptionId: e.event.subscriptionId,
    effectiveDate: e.event.effectiveDate,
    kind: e.event.kind,
    quantityBefore: e.event.quantityBefore ?? null,
    quantityAfter: e.event.quantityAfter ?? null,
    statusBefore: e.event.statusBefore ?? null,
    statusAfter: e.event.statusAfter ?? null,
    priceBefore: e.event.priceBefore ?? null,
    priceAfter: e.event.priceAfter ?? null,
    billingCycleBefore: e.event.billingCycleBefore ?? null,
    billingCycleAfter: e.event.billingCycleAfter ?? null,
    sourceEventId: e.event.sourceEventId ?? null,
    idempotencyKey: idempotencyKey(e.event, options.sourceSystem),
    source: options.channel,
  });
  let insertedCount = 0;
  for (const chunk of chunks(accepted, 2_000)) insertedCount += await insertEvents(tx, chunk.map(toRow));
  result.eventsNew = insertedCount;
  result.eventsAlreadyStored = accepted.length - insertedCount;
  result.customersCreated = newCustomers.size;
  result.subscriptionsCreated = subscriptionRows.length;

  if (insertedCount > 0)
    await refreshSubscriptionState(tx, [...new Set(accepted.map((e) => e.subscription.id))]);

  result.stored = !result.dryRun;
  if (insertedCount > 0 || newCustomers.size > 0) {
    await recordAudit(tx, {
      actor: options.actor,
      action: 'subscriptions.events_stored',
      details: {
        channel: options.channel,
        sourceSystem: options.sourceSystem,
        items: result.items,
        acceptedItems: result.acceptedItems,
        refusedItems: refusedItems.size,
        eventsNew: result.eventsNew,
        eventsAlreadyStored: result.eventsAlreadyStored,
        customersCreated: result.customersCreated,
        subscriptionsCreated: result.subscriptionsCreated,
      },
    });
  }
  if (result.dryRun) throw new DryRunRollback(result);
  return result;
}

/** The state a new subscription starts with: the latest full state the batch tells. */
function lastKnownState(ordered: IncomingEvent[]): SubscriptionState {
  let state: SubscriptionState = {
    quantity: 0,
    status: 'active',
    unitPrice: '0',
    billingCycle: ordered[0]!.subscription.billingCycle,
  };
  for (const e of ordered) state = e.stateAfter ?? applyEvent(state, e.event);
  return state;
}

/** Inserts go in slices of bounded size, so memory does not grow with the file. */
function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
