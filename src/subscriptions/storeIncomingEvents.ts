// Stores a batch of incoming events in one transaction: unknown customers and subscriptions are
// created, events are inserted once (their idempotency key is unique), each touched
// subscription's current state is recomputed from its latest events, and one audit record
// names the actor. A batch with refused items stores nothing unless skipInvalid is set.
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/auditLog.js';
import type { Actor } from '../audit/actor.js';
import { chunks } from '../collections/chunks.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { findEventIdConflicts } from './eventIdConflicts.js';
import { idempotencyKey } from './idempotencyKey.js';
import {
  customerKey,
  type CustomerRef,
  type IncomingEvent,
  type ItemProblem,
  type SubscriptionDescription,
} from './incomingEvent.js';
import type { SubscriptionState } from './subscriptionValues.js';
import {
  type EventRow,
  type SubscriptionOwner,
  insertEvents,
  findSubscriptionOwners,
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
  /** the refused items that are event id conflicts (also in refused) */
  conflicts: ItemProblem[];
  /** true when the transaction committed */
  stored: boolean;
  dryRun: boolean;
  eventsNew: number;
  eventsAlreadyStored: number;
  customersCreated: number;
  subscriptionsCreated: number;
}

/** The result of a batch before anything of it is stored: what was accepted and refused. */
export function nothingStoredYet(
  outcome: Pick<StoreResult, 'items' | 'acceptedItems' | 'refused' | 'conflicts' | 'dryRun'>,
): StoreResult {
  return {
    items: outcome.items,
    acceptedItems: outcome.acceptedItems,
    refused: outcome.refused,
    conflicts: outcome.conflicts,
    stored: false,
    dryRun: outcome.dryRun,
    eventsNew: 0,
    eventsAlreadyStored: 0,
    customersCreated: 0,
    subscriptionsCreated: 0,
  };
}

export interface IncomingBatch {
  items: number;
  /** walked several times (an array, or a CompactEventList for a big file), never changed */
  events: Iterable<IncomingEvent>;
  /** problems found while reading the items */
  problems: ItemProblem[];
}

class DryRunRollback extends Error {
  constructor(readonly result: StoreResult) {
    super('dry run: rolled back');
  }
}

const COLUMNS = {
  csv: {
    customer: 'customer_external_id',
    subscription: 'subscription_id',
    kind: 'old_status',
    eventId: 'event_id',
  },
  json: {
    customer: 'customer.externalId',
    subscription: 'subscription.id',
    kind: 'kind',
    eventId: 'eventId',
  },
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

  // Who the batch names (a pass over the events; each later step is another).
  const externalIdSet = new Set<string>();
  const nameSet = new Set<string>();
  const subscriptionIdSet = new Set<string>();
  const subscriptionsWithStart = new Set<string>();
  for (const e of batch.events) {
    if (e.customer.externalId) externalIdSet.add(e.customer.externalId);
    else nameSet.add(e.customer.name);
    subscriptionIdSet.add(e.subscription.id);
    if (e.event.kind === 'created' || e.stateAfter) subscriptionsWithStart.add(e.subscription.id);
  }

  // Who exists already.
  // Looked up (and written below) in slices: a query's arguments stay small, however big the batch.
  const existingCustomers = new Map<string, { id: string; name: string; externalId: string | null }>();
  const customerQueries = [
    ...chunks([...externalIdSet], SLICE).map((ids) => ({ externalId: { in: ids } })),
    ...chunks([...nameSet], SLICE).map((names) => ({ name: { in: names } })),
  ];
  for (const where of customerQueries) {
    const found = await tx.customer.findMany({ where, select: { id: true, name: true, externalId: true } });
    for (const c of found) existingCustomers.set(c.id, c);
  }
  const customerIdByKey = new Map<string, string>();
  const ambiguousNames = new Set<string>();
  for (const c of existingCustomers.values()) {
    if (c.externalId && externalIdSet.has(c.externalId)) customerIdByKey.set(`id:${c.externalId}`, c.id);
    if (nameSet.has(c.name)) {
      if (customerIdByKey.has(`name:${c.name}`)) ambiguousNames.add(c.name);
      customerIdByKey.set(`name:${c.name}`, c.id);
    }
  }
  const existingSubscriptions = new Map<string, SubscriptionOwner>();
  for (const ids of chunks([...subscriptionIdSet], LOOKUP_SLICE))
    for (const s of await findSubscriptionOwners(tx, ids)) existingSubscriptions.set(s.id, s);
  externalIdSet.clear();
  nameSet.clear();
  subscriptionIdSet.clear();

  // Checks that need the database or the whole batch.
  const customerKeyOfSubscription = new Map<string, string>();
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
  customerKeyOfSubscription.clear();
  subscriptionsWithStart.clear();

  const refusedItems = new Set(problems.map((p) => p.item));
  // Only where something would be stored: a batch refused already is answered for that first.
  let conflicts: ItemProblem[] = [];
  if (problems.length === 0 || options.skipInvalid) {
    conflicts = await findEventIdConflicts(
      tx,
      function* () {
        for (const e of batch.events) if (!refusedItems.has(e.item)) yield e;
      },
      {
        sourceSystem: options.sourceSystem,
        column: columns.eventId,
        unit: options.format === 'csv' ? 'row' : 'item',
      },
    );
    for (const c of conflicts) {
      problems.push(c);
      refusedItems.add(c.item);
    }
  }
  /** the events to store, in batch order */
  const accepted = function* () {
    for (const e of batch.events) if (!refusedItems.has(e.item)) yield e;
  };
  const acceptedItemSet = new Set<number>();
  let acceptedEvents = 0;
  for (const e of accepted()) {
    acceptedItemSet.add(e.item);
    acceptedEvents++;
  }
  const result = nothingStoredYet({
    items: batch.items,
    acceptedItems: acceptedItemSet.size,
    refused: problems.sort((a, b) => a.item - b.item),
    conflicts,
    dryRun: options.dryRun ?? false,
  });
  acceptedItemSet.clear();
  if ((problems.length > 0 && !options.skipInvalid) || acceptedEvents === 0) return result;

  // New customers, and what new subscriptions start with.
  const newCustomers = new Map<
    string,
    { id: string; name: string; externalId: string | null; domain: string | null }
  >();
  const newSubscriptions = new Map<string, NewSubscriptionState>();
  const touchedSubscriptionIds = new Set<string>();
  for (const e of accepted()) {
    touchedSubscriptionIds.add(e.subscription.id);
    if (!existingSubscriptions.has(e.subscription.id)) {
      const state = newSubscriptions.get(e.subscription.id);
      if (state) state.add(e);
      else newSubscriptions.set(e.subscription.id, new NewSubscriptionState(e));
    }
    const key = customerKey(e.customer);
    if (customerIdByKey.has(key) || newCustomers.has(key)) continue;
    newCustomers.set(key, {
      id: randomUUID(),
      name: e.customer.name,
      externalId: e.customer.externalId ?? null,
      domain: e.customer.domain ?? null,
    });
  }
  for (const data of chunks([...newCustomers.values()], SLICE)) await tx.customer.createMany({ data });
  for (const [key, c] of newCustomers) customerIdByKey.set(key, c.id);

  // New subscriptions, created with the state the batch leaves them in (refreshed below anyway).
  const subscriptionRows = [...newSubscriptions.entries()].map(([id, s]) => {
    const state = s.state();
    return {
      id,
      customerId: customerIdByKey.get(customerKey(s.customer))!,
      productName: s.subscription.productName,
      sku: s.subscription.sku ?? null,
      billingCycle: state.billingCycle,
      billingType: s.subscription.billingType,
      term: s.subscription.term ?? null,
      status: state.status,
      quantity: state.quantity,
      unitPrice: state.unitPrice,
      unitCost: s.subscription.unitCost ?? null,
      currency: s.subscription.currency,
    };
  });
  newSubscriptions.clear();
  for (const chunk of chunks(subscriptionRows, SLICE)) await insertSubscriptions(tx, chunk);

  // The events, once each, in slices of bounded size so memory does not grow with the batch.
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
  let slice: EventRow[] = [];
  for (const e of accepted()) {
    slice.push(toRow(e));
    if (slice.length === SLICE) {
      insertedCount += await insertEvents(tx, slice);
      slice = [];
    }
  }
  insertedCount += await insertEvents(tx, slice);
  result.eventsNew = insertedCount;
  result.eventsAlreadyStored = acceptedEvents - insertedCount;
  result.customersCreated = newCustomers.size;
  result.subscriptionsCreated = subscriptionRows.length;

  if (insertedCount > 0)
    for (const ids of chunks([...touchedSubscriptionIds], SLICE)) await refreshSubscriptionState(tx, ids);

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

/**
 * Rows per insert and ids per lookup. Small on purpose: Prisma keeps the arguments of its last
 * hundred debug calls (each query's plan, with its parameters) and its query compiler's memory
 * grows to the biggest query, so big statements cost memory long after they ran.
 */
const SLICE = 250;
/** Ids per lookup by one JSON text (see findSubscriptionOwners). */
const LOOKUP_SLICE = 1_000;

/**
 * The state a new subscription starts with: its batch events ordered by date (a stable order:
 * same-date events as they came), each full state the batch tells replacing the state and each
 * other event setting the values it sets. Kept as "latest value of each field" so the events
 * need not be held: the same result as folding over the ordered events.
 */
class NewSubscriptionState {
  /** the date of the batch's earliest event, and its cycle (the first event of that date) */
  private firstDate: string;
  private defaultCycle: string;
  /** the batch's latest event (the last of that date) describes the subscription */
  private lastDate: string;
  customer: CustomerRef;
  subscription: SubscriptionDescription;
  /** per field of SubscriptionState (STATE_FIELDS order): the latest value set, and its date */
  private readonly values: (SubscriptionState[keyof SubscriptionState] | undefined)[] = [];
  private readonly dates: string[] = [];

  constructor(e: IncomingEvent) {
    this.firstDate = this.lastDate = e.event.effectiveDate;
    this.defaultCycle = e.subscription.billingCycle;
    this.customer = e.customer;
    this.subscription = e.subscription;
    this.add(e);
  }

  add(e: IncomingEvent): void {
    const date = e.event.effectiveDate;
    if (date.localeCompare(this.firstDate) < 0) {
      this.firstDate = date;
      this.defaultCycle = e.subscription.billingCycle;
    }
    if (date.localeCompare(this.lastDate) >= 0) {
      this.lastDate = date;
      this.customer = e.customer;
      this.subscription = e.subscription;
    }
    const s = e.stateAfter;
    const set = [
      s ? s.quantity : e.event.quantityAfter,
      s ? s.status : e.event.statusAfter,
      s ? s.unitPrice : e.event.priceAfter,
      s ? s.billingCycle : e.event.billingCycleAfter,
    ];
    for (let f = 0; f < STATE_FIELDS; f++) {
      const value = set[f];
      if (value === null || value === undefined) continue;
      const known = this.dates[f];
      if (known === undefined || date.localeCompare(known) >= 0) {
        this.values[f] = value;
        this.dates[f] = date;
      }
    }
  }

  state(): SubscriptionState {
    const [quantity, status, unitPrice, billingCycle] = this.values;
    return {
      quantity: (quantity as number | undefined) ?? 0,
      status: (status as SubscriptionState['status'] | undefined) ?? 'active',
      unitPrice: (unitPrice as string | undefined) ?? '0',
      billingCycle: (billingCycle as string | undefined) ?? this.defaultCycle,
    };
  }
}

/** quantity, status, unitPrice, billingCycle */
const STATE_FIELDS = 4;
