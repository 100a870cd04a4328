// Imports a CSV file as a stream, in one transaction, with memory that does not grow with the
// file: each row is checked as it is read (the per-row report is the same as ever) and its
// events go, a few thousand at a time, into a temporary table of the transaction (one multi-row
// INSERT over column arrays). The checks that need the whole file or the database — a customer
// name shared by several customers, a subscription under another customer, an event id sent
// before with other values — then run as set-based SQL over that table, and the accepted events
// are written with a few INSERT … SELECT statements. Nothing per event stays in this process:
// a file of a million events is stored the way one of a hundred is, all or nothing.
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseStream } from 'csv-parse';
import { recordAudit } from '../audit/auditLog.js';
import type { Actor } from '../audit/actor.js';
import type { OnProgress } from '../core/progress.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { CsvImportReader } from './csvImportReader.js';
import { batchConflictReason, storedConflictReason } from './eventIdConflicts.js';
import type { HistoryEvent } from './historyEvent.js';
import { idempotencyKey } from './idempotencyKey.js';
import { customerKey, type IncomingEvent, type ItemProblem } from './incomingEvent.js';
import { nothingStoredYet, type StoreResult } from './storeIncomingEvents.js';
import { lockIngestion, type StoredEventContent } from './subscriptionStore.js';
import type { EventKind, SubscriptionStatus } from './subscriptionValues.js';

export interface StreamedImportOptions {
  actor: Actor;
  /** stored on each event: import:<file> */
  channel: string;
  /** rows dated after this are refused (YYYY-MM-DD) */
  latestDate: string;
  skipInvalid: boolean;
  dryRun: boolean;
  onProgress?: OnProgress | undefined;
}

/** Events per staging INSERT: big enough that round trips do not count, small in memory. */
export const STAGING_BATCH = 2_000;
/** The source system CSV files are namespaced by (as ever: "default"). */
const SOURCE_SYSTEM = 'default';
/** A million-row file takes about a minute; a slow disk or machine gets far more. */
const TRANSACTION_TIMEOUT_MS = 60 * 60_000;

class DryRunRollback extends Error {
  constructor(readonly result: StoreResult) {
    super('dry run: rolled back');
  }
}

/** Reads `source` (a CSV file) and stores it as one transaction; read errors are thrown. */
export async function importCsvStream(
  prisma: PrismaClient,
  source: Readable,
  options: StreamedImportOptions,
): Promise<StoreResult> {
  try {
    return await prisma.$transaction((tx) => importInTransaction(tx, source, options), {
      timeout: TRANSACTION_TIMEOUT_MS,
      maxWait: 30_000,
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  } finally {
    source.destroy();
  }
}

async function importInTransaction(
  tx: Db,
  source: Readable,
  options: StreamedImportOptions,
): Promise<StoreResult> {
  await tx.$executeRawUnsafe(STAGING_TABLE);
  const reader = new CsvImportReader(options.latestDate, options.onProgress, { emit: true });
  const staging = new StagingWriter(tx);
  const sink = new Writable({
    objectMode: true,
    write: (events: IncomingEvent[], _encoding, done) => {
      staging.add(events).then(() => done(), done);
    },
    final: (done) => {
      staging.finish().then(() => done(), done);
    },
  });
  let batch;
  try {
    await pipeline(source, parseStream(reader.options), sink);
    batch = reader.result();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall || staging.failed(error)) throw error;
    batch = reader.unreadable(error);
  }
  const dryRun = options.dryRun;
  // a file that could not be read at all has problems but no items
  if (batch.items === 0 && batch.problems.length > 0)
    return nothingStoredYet({
      items: 0,
      acceptedItems: 0,
      refused: batch.problems,
      conflicts: [],
      dryRun,
    });
  const readingRefused = new Set(batch.problems.map((p) => p.item)).size;
  options.onProgress?.({ phase: 'storing', done: batch.items, failed: readingRefused });

  await tx.$executeRawUnsafe('ANALYZE import_staging');
  await lockIngestion(tx);
  // Checks that need the database or the whole file, in the order the batch store makes them.
  const found: Found[] = [...(await ambiguousNames(tx)), ...(await otherOwners(tx))];
  found.push(...(await twoCustomers(tx)));
  await markRefused(tx, found);
  let conflicts: ItemProblem[] = [];
  if ((batch.problems.length === 0 && found.length === 0) || options.skipInvalid) {
    const conflicting = await eventIdConflicts(tx);
    await markRefused(tx, conflicting);
    conflicts = conflicting.sort(byItem).map((f) => f.problem);
    found.push(...conflicting);
  }
  found.sort(byItem);
  const problems = mergeByItem(batch.problems, found);
  const refusedStaged = new Set(found.map((f) => f.problem.item));
  const refusedEvents =
    refusedStaged.size === 0 ? 0 : Number((await tx.$queryRawUnsafe<{ n: bigint }[]>(REFUSED_EVENTS))[0]!.n);
  const acceptedEvents = staging.events - refusedEvents;
  const result = nothingStoredYet({
    items: batch.items,
    acceptedItems: staging.items - refusedStaged.size,
    refused: problems,
    conflicts,
    dryRun,
  });
  if ((problems.length > 0 && !options.skipInvalid) || acceptedEvents === 0) return result;

  // New customers, new subscriptions (with the state their latest event leaves them in), events.
  await tx.$executeRawUnsafe(CUSTOMER_KEYS);
  await tx.$executeRawUnsafe(KNOWN_CUSTOMERS_BY_EXTERNAL_ID);
  await tx.$executeRawUnsafe(KNOWN_CUSTOMERS_BY_NAME);
  result.customersCreated = await tx.$executeRawUnsafe(NEW_CUSTOMER_IDS);
  if (result.customersCreated > 0) await tx.$executeRawUnsafe(INSERT_NEW_CUSTOMERS);
  result.subscriptionsCreated = await tx.$executeRawUnsafe(INSERT_NEW_SUBSCRIPTIONS);
  const inserted = await tx.$executeRawUnsafe(INSERT_EVENTS, options.channel);
  result.eventsNew = inserted;
  result.eventsAlreadyStored = acceptedEvents - inserted;
  if (inserted > 0) await tx.$executeRawUnsafe(REFRESH_STATE);

  result.stored = !dryRun;
  if (inserted > 0 || result.customersCreated > 0) {
    await recordAudit(tx, {
      actor: options.actor,
      action: 'subscriptions.events_stored',
      details: {
        channel: options.channel,
        sourceSystem: SOURCE_SYSTEM,
        items: result.items,
        acceptedItems: result.acceptedItems,
        refusedItems: new Set(problems.map((p) => p.item)).size,
        eventsNew: result.eventsNew,
        eventsAlreadyStored: result.eventsAlreadyStored,
        customersCreated: result.customersCreated,
        subscriptionsCreated: result.subscriptionsCreated,
      },
    });
  }
  if (dryRun) throw new DryRunRollback(result);
  return result;
}

// --- staging ---------------------------------------------------------------------------------

/**
 * One row per event read, in file order (seq). Prices stay as the text of the file (the
 * conflict report shows them as sent); every CSV event carries the full state its row ends in,
 * so a subscription new to the database always has a start.
 */
const STAGING_TABLE = `CREATE TEMP TABLE import_staging (
  seq int PRIMARY KEY, item int NOT NULL, refused boolean NOT NULL DEFAULT false,
  customer_key text NOT NULL, customer_name text NOT NULL, customer_external_id text,
  customer_domain text, subscription_id text NOT NULL, product_name text NOT NULL, sku text,
  billing_type text NOT NULL, term text, currency text NOT NULL, unit_cost text,
  state_quantity int NOT NULL, state_status text NOT NULL, state_price text NOT NULL,
  state_cycle text NOT NULL, effective_date text NOT NULL, kind text NOT NULL,
  quantity_before int, quantity_after int, status_before text, status_after text,
  price_before text, price_after text, cycle_before text, cycle_after text,
  source_event_id text, idempotency_key text NOT NULL
) ON COMMIT DROP`;

const STAGING_COLUMNS = [
  ['seq', 'int'],
  ['item', 'int'],
  ['customer_key', 'text'],
  ['customer_name', 'text'],
  ['customer_external_id', 'text'],
  ['customer_domain', 'text'],
  ['subscription_id', 'text'],
  ['product_name', 'text'],
  ['sku', 'text'],
  ['billing_type', 'text'],
  ['term', 'text'],
  ['currency', 'text'],
  ['unit_cost', 'text'],
  ['state_quantity', 'int'],
  ['state_status', 'text'],
  ['state_price', 'text'],
  ['state_cycle', 'text'],
  ['effective_date', 'text'],
  ['kind', 'text'],
  ['quantity_before', 'int'],
  ['quantity_after', 'int'],
  ['status_before', 'text'],
  ['status_after', 'text'],
  ['price_before', 'text'],
  ['price_after', 'text'],
  ['cycle_before', 'text'],
  ['cycle_after', 'text'],
  ['source_event_id', 'text'],
  ['idempotency_key', 'text'],
] as const;

/**
 * A batch travels as one JSON text of value arrays, read back as jsonb (whose elements are
 * indexed, not re-parsed per column): Prisma keeps the arguments of its last hundred debug
 * calls, and one string costs a fraction of the thousands of values it holds.
 */
const INSERT_STAGED = `INSERT INTO import_staging (${STAGING_COLUMNS.map(([c]) => c).join(', ')})
  SELECT ${STAGING_COLUMNS.map(([, type], i) => (type === 'int' ? `(r->>${i})::int` : `r->>${i}`)).join(', ')}
  FROM jsonb_array_elements($1::jsonb) AS r`;

type Cell = string | number | null;

/** The events read so far, as rows of values, written to the staging table a batch at a time. */
class StagingWriter {
  private rows: Cell[][] = [];
  private pending: Promise<void> = Promise.resolve();
  private error: unknown;
  /** events and items (rows with events) staged */
  events = 0;
  items = 0;

  constructor(private readonly tx: Db) {}

  /** Stages one row's events; resolves at once unless a batch is already on its way. */
  async add(rowEvents: IncomingEvent[]): Promise<void> {
    if (rowEvents.length === 0) return;
    this.items++;
    for (const e of rowEvents) this.push(e);
    if (this.rows.length >= STAGING_BATCH) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.pending;
  }

  /** Whether `error` is this writer's (the database's), not the file's. */
  failed(error: unknown): boolean {
    return this.error !== undefined && this.error === error;
  }

  /** One batch may be in flight while the next is read: reading and storing overlap. */
  private async flush(): Promise<void> {
    await this.pending;
    if (this.rows.length === 0) return;
    const rows = JSON.stringify(this.rows);
    this.rows = [];
    this.pending = this.tx.$executeRawUnsafe(INSERT_STAGED, rows).then(
      () => undefined,
      (error: unknown) => {
        this.error = error;
        throw error;
      },
    );
    // a failure is seen by the next add or by finish; never left unhandled meanwhile
    this.pending.catch(() => undefined);
  }

  private push(e: IncomingEvent): void {
    const s = e.subscription;
    const state = e.stateAfter;
    if (!state) throw new Error('a CSV event without the state its row ends in');
    const v = e.event;
    this.rows.push([
      this.events++,
      e.item,
      customerKey(e.customer),
      e.customer.name,
      e.customer.externalId ?? null,
      e.customer.domain ?? null,
      s.id,
      s.productName,
      s.sku ?? null,
      s.billingType,
      s.term ?? null,
      s.currency,
      s.unitCost ?? null,
      state.quantity,
      state.status,
      state.unitPrice,
      state.billingCycle,
      v.effectiveDate,
      v.kind,
      v.quantityBefore ?? null,
      v.quantityAfter ?? null,
      v.statusBefore ?? null,
      v.statusAfter ?? null,
      v.priceBefore ?? null,
      v.priceAfter ?? null,
      v.billingCycleBefore ?? null,
      v.billingCycleAfter ?? null,
      v.sourceEventId ?? null,
      idempotencyKey(v, SOURCE_SYSTEM),
    ]);
  }
}

// --- checks ----------------------------------------------------------------------------------

/** A problem found in the staging table, with the event it was found on (for the order). */
interface Found {
  seq: number;
  /** the order of the checks on one event */
  check: number;
  problem: ItemProblem;
}

const byItem = (a: Found, b: Found) => a.problem.item - b.problem.item || a.seq - b.seq || a.check - b.check;

/** Both lists sorted by item; on one item, the reading problems first (a row has one kind). */
function mergeByItem(reading: ItemProblem[], found: Found[]): ItemProblem[] {
  const out: ItemProblem[] = [];
  let i = 0;
  for (const f of found) {
    while (i < reading.length && reading[i]!.item <= f.problem.item) out.push(reading[i++]!);
    out.push(f.problem);
  }
  while (i < reading.length) out.push(reading[i++]!);
  return out;
}

async function ambiguousNames(tx: Db): Promise<Found[]> {
  const rows = await tx.$queryRawUnsafe<{ seq: number; item: number; name: string }[]>(`
    SELECT s.seq, s.item, s.customer_name AS name FROM import_staging s
    JOIN (SELECT name FROM customers GROUP BY name HAVING count(*) > 1) d ON d.name = s.customer_name
    WHERE s.customer_external_id IS NULL`);
  return rows.map((r) => ({
    seq: r.seq,
    check: 0,
    problem: {
      item: r.item,
      column: 'customer_external_id',
      reason: `several customers are named "${r.name}": give the customer's external id`,
    },
  }));
}

async function otherOwners(tx: Db): Promise<Found[]> {
  const rows = await tx.$queryRawUnsafe<
    { seq: number; item: number; sub: string; owner: string; ownerId: string | null; sent: string }[]
  >(`
    SELECT s.seq, s.item, s.subscription_id AS sub, c.name AS owner, c.external_id AS "ownerId",
      s.customer_name AS sent
    FROM import_staging s
    JOIN subscriptions x ON x.id = s.subscription_id JOIN customers c ON c.id = x.customer_id
    WHERE (CASE WHEN s.customer_external_id IS NOT NULL THEN c.external_id = s.customer_external_id
      ELSE c.name = s.customer_name END) IS NOT TRUE`);
  return rows.map((r) => ({
    seq: r.seq,
    check: 1,
    problem: {
      item: r.item,
      column: 'customer_external_id',
      reason: `subscription ${r.sub} belongs to customer "${r.owner}"${r.ownerId ? ` (${r.ownerId})` : ''}, not to "${r.sent}"`,
    },
  }));
}

async function twoCustomers(tx: Db): Promise<Found[]> {
  const rows = await tx.$queryRawUnsafe<{ seq: number; item: number; sub: string }[]>(`
    WITH mixed AS (
      SELECT subscription_id, min(seq) AS first FROM import_staging
      GROUP BY subscription_id HAVING min(customer_key) <> max(customer_key))
    SELECT s.seq, s.item, s.subscription_id AS sub
    FROM mixed m JOIN import_staging f ON f.seq = m.first
    JOIN import_staging s ON s.subscription_id = m.subscription_id AND s.customer_key <> f.customer_key`);
  return rows.map((r) => ({
    seq: r.seq,
    check: 2,
    problem: {
      item: r.item,
      column: 'customer_external_id',
      reason: `subscription ${r.sub} appears under two customers in this batch`,
    },
  }));
}

async function markRefused(tx: Db, found: Found[]): Promise<void> {
  if (found.length === 0) return;
  const items = [...new Set(found.map((f) => f.problem.item))];
  await tx.$executeRawUnsafe(`UPDATE import_staging SET refused = true WHERE item = ANY($1::int[])`, items);
}

const REFUSED_EVENTS = `SELECT count(*) AS n FROM import_staging WHERE refused`;

/** An event's stored columns as text (prices as numeric text), for the conflict report. */
const EVENT_TEXT = (t: string, cycleBefore: string, cycleAfter: string) =>
  `${t}.subscription_id, ${t}.effective_date, ${t}.kind, ${t}.quantity_before, ${t}.quantity_after,
   ${t}.status_before, ${t}.status_after, ${t}.price_before::text, ${t}.price_after::text,
   ${t}.${cycleBefore}, ${t}.${cycleAfter}`;

/** The columns two events are compared on: the same list as eventIdConflicts' FIELDS. */
const DIFFERS = (a: string, b: string, cycleBefore: string, cycleAfter: string) =>
  `(${a}.subscription_id, ${a}.effective_date, ${a}.kind, ${a}.quantity_before, ${a}.quantity_after,
    ${a}.status_before, ${a}.status_after, ${a}.price_before::numeric, ${a}.price_after::numeric,
    ${a}.cycle_before, ${a}.cycle_after) IS DISTINCT FROM
   (${b}.subscription_id, ${b}.effective_date, ${b}.kind, ${b}.quantity_before, ${b}.quantity_after,
    ${b}.status_before, ${b}.status_after, ${b}.price_before::numeric, ${b}.price_after::numeric,
    ${b}.${cycleBefore}, ${b}.${cycleAfter})`;

type EventText = [
  string,
  string,
  string,
  number | null,
  number | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
];

function historyEvent(row: EventText, sourceEventId: string | null): HistoryEvent {
  const content = storedContent(row);
  return {
    ...content,
    kind: content.kind as EventKind,
    statusBefore: content.statusBefore as SubscriptionStatus | null,
    statusAfter: content.statusAfter as SubscriptionStatus | null,
    sourceEventId,
  };
}

function storedContent(row: EventText): StoredEventContent {
  return {
    subscriptionId: row[0],
    effectiveDate: row[1],
    kind: row[2],
    quantityBefore: row[3],
    quantityAfter: row[4],
    statusBefore: row[5],
    statusAfter: row[6],
    priceBefore: row[7],
    priceAfter: row[8],
    billingCycleBefore: row[9],
    billingCycleAfter: row[10],
  };
}

/**
 * Events (of rows not refused) whose source event id appears earlier in the file with other
 * values, or was stored before with other values; repeats with the same values are not problems
 * (they are stored once).
 */
async function eventIdConflicts(tx: Db): Promise<Found[]> {
  const inBatch = await tx.$queryRawUnsafe<
    { seq: number; item: number; id: string; firstItem: number; sent: EventText }[]
  >(`
    WITH repeated AS (
      SELECT idempotency_key, min(seq) AS first FROM import_staging
      WHERE source_event_id IS NOT NULL AND NOT refused
      GROUP BY idempotency_key HAVING count(*) > 1)
    SELECT s.seq, s.item, s.source_event_id AS id, f.item AS "firstItem",
      json_build_array(${EVENT_TEXT('s', 'cycle_before', 'cycle_after')}) AS sent
    FROM repeated r JOIN import_staging f ON f.seq = r.first
    JOIN import_staging s ON s.idempotency_key = r.idempotency_key AND s.seq > r.first AND NOT s.refused
    WHERE ${DIFFERS('s', 'f', 'cycle_before', 'cycle_after')}`);
  const stored = await tx.$queryRawUnsafe<
    { seq: number; item: number; id: string; sent: EventText; known: EventText }[]
  >(`
    SELECT s.seq, s.item, s.source_event_id AS id,
      json_build_array(${EVENT_TEXT('s', 'cycle_before', 'cycle_after')}) AS sent,
      json_build_array(${EVENT_TEXT('e', 'billing_cycle_before', 'billing_cycle_after')}) AS known
    FROM import_staging s JOIN subscription_events e ON e.idempotency_key = s.idempotency_key
    WHERE s.source_event_id IS NOT NULL AND NOT s.refused
      AND ${DIFFERS('s', 'e', 'billing_cycle_before', 'billing_cycle_after')}`);
  const found: Found[] = [];
  for (const r of inBatch)
    found.push({
      seq: r.seq,
      check: 0,
      problem: {
        item: r.item,
        id: r.id,
        column: 'event_id',
        reason: batchConflictReason(historyEvent(r.sent, r.id), r.firstItem, 'row'),
      },
    });
  for (const r of stored) {
    const reason = storedConflictReason(historyEvent(r.sent, r.id), storedContent(r.known));
    if (reason)
      found.push({ seq: r.seq, check: 1, problem: { item: r.item, id: r.id, column: 'event_id', reason } });
  }
  return found;
}

// --- storing ---------------------------------------------------------------------------------

/** Each customer the accepted events name (by customerKey), as its first event names it. */
const CUSTOMER_KEYS = `CREATE TEMP TABLE import_customers ON COMMIT DROP AS
  SELECT s.customer_key AS key, s.customer_name AS name, s.customer_external_id AS external_id,
    s.customer_domain AS domain, NULL::text AS id, false AS created
  FROM (SELECT min(seq) AS seq FROM import_staging WHERE NOT refused GROUP BY customer_key) f
  JOIN import_staging s ON s.seq = f.seq`;

/** A customer is known by its external id when the file gives one, else by its name. */
const KNOWN_CUSTOMERS_BY_EXTERNAL_ID = `UPDATE import_customers k SET id = c.id FROM customers c
  WHERE k.external_id IS NOT NULL AND c.external_id = k.external_id`;
const KNOWN_CUSTOMERS_BY_NAME = `UPDATE import_customers k SET id = c.id FROM customers c
  WHERE k.external_id IS NULL AND c.name = k.name`;
const NEW_CUSTOMER_IDS = `UPDATE import_customers SET id = gen_random_uuid()::text, created = true
  WHERE id IS NULL`;
const INSERT_NEW_CUSTOMERS = `INSERT INTO customers (id, name, external_id, domain, updated_at)
  SELECT id, name, external_id, domain, now() FROM import_customers WHERE created`;

/**
 * Subscriptions new to the database, described by their latest accepted event (by date, then
 * file order) and created in the state it ends in (refreshed from the events below anyway).
 */
const INSERT_NEW_SUBSCRIPTIONS = `INSERT INTO subscriptions (id, customer_id, product_name, sku,
    billing_cycle, billing_type, term, status, quantity, unit_price, unit_cost, currency, updated_at)
  SELECT s.subscription_id, k.id, s.product_name, s.sku, s.state_cycle, s.billing_type, s.term,
    s.state_status, s.state_quantity, s.state_price::numeric, s.unit_cost::numeric, s.currency, now()
  FROM (SELECT right(max(effective_date || to_char(seq, 'FM0000000000')), 10)::int AS seq
        FROM import_staging WHERE NOT refused GROUP BY subscription_id) l
  JOIN import_staging s ON s.seq = l.seq
  JOIN import_customers k ON k.key = s.customer_key
  WHERE NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.id = s.subscription_id)`;

/** The events, once each (a key stored already, or earlier in the file, is skipped), in file order. */
const INSERT_EVENTS = `INSERT INTO subscription_events (id, subscription_id, effective_date, kind,
    quantity_before, quantity_after, status_before, status_after, price_before, price_after,
    billing_cycle_before, billing_cycle_after, source_event_id, idempotency_key, source)
  SELECT gen_random_uuid()::text, subscription_id, effective_date, kind, quantity_before,
    quantity_after, status_before, status_after, price_before::numeric, price_after::numeric,
    cycle_before, cycle_after, source_event_id, idempotency_key, $1
  FROM import_staging WHERE NOT refused ORDER BY seq
  ON CONFLICT (idempotency_key) DO NOTHING`;

/**
 * Each touched subscription's quantity, status, price and cycle from its latest events (by date,
 * then insertion order) that set them, values no event sets kept: refreshSubscriptionState's
 * rule, as one grouped pass over the events instead of four lookups per subscription.
 */
const REFRESH_STATE = `UPDATE subscriptions s SET
    quantity = COALESCE(l.quantity, s.quantity), status = COALESCE(l.status, s.status),
    unit_price = COALESCE(l.unit_price, s.unit_price),
    billing_cycle = COALESCE(l.billing_cycle, s.billing_cycle), updated_at = now()
  FROM (
    SELECT e.subscription_id,
      (array_agg(e.quantity_after ORDER BY e.effective_date DESC, e.seq DESC)
        FILTER (WHERE e.quantity_after IS NOT NULL))[1] AS quantity,
      (array_agg(e.status_after ORDER BY e.effective_date DESC, e.seq DESC)
        FILTER (WHERE e.status_after IS NOT NULL))[1] AS status,
      (array_agg(e.price_after ORDER BY e.effective_date DESC, e.seq DESC)
        FILTER (WHERE e.price_after IS NOT NULL))[1] AS unit_price,
      (array_agg(e.billing_cycle_after ORDER BY e.effective_date DESC, e.seq DESC)
        FILTER (WHERE e.billing_cycle_after IS NOT NULL))[1] AS billing_cycle
    FROM subscription_events e
    WHERE e.subscription_id IN (SELECT subscription_id FROM import_staging WHERE NOT refused)
    GROUP BY e.subscription_id) l
  WHERE s.id = l.subscription_id`;
