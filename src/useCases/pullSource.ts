// `source sync <name> [customer]` and the daily pull (docs/sources.md): read a source through its
// connector, link its customers to ours, and store what it tells through the import path every
// other input takes (idempotency keys namespaced by the source, validation, its audit record),
// in one transaction under the ingestion lock. Pax8 tells dated history; Partner Center tells
// today's state, diffed against what Partner Center told before (never against another source's
// subscriptions) and dated by its activity records where they say when. Every pull leaves a
// record — running, ok, partial (rows refused, the rest stored) or failed — and an audit record.
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Actor } from '../audit/actor.js';
import { utcDateOf } from '../core/calendarDate.js';
import { problem, type Problem } from '../core/problem.js';
import type { PrismaClient, Db } from '../db/prismaClient.js';
import { datedSnapshotEvents } from '../sources/datedSnapshotEvents.js';
import type {
  PullProgress,
  SnapshotPull,
  SourceConnector,
  SourceName,
  SourcePull,
  SourceSubscription,
} from '../sources/sourceConnector.js';
import { isSourceError } from '../sources/sourceError.js';
import { storableRows } from '../sources/storableRows.js';
import type { SourceFinding } from '../sources/sourceFinding.js';
import { SOURCE_LABEL, type PullSummary } from '../sources/pullSummary.js';
import type { HistoryEvent } from '../subscriptions/historyEvent.js';
import type { StoredEventRow } from '../subscriptions/subscriptionHistory.js';
import type { IncomingEvent } from '../subscriptions/incomingEvent.js';
import { DEFAULT_INGEST_LIMITS, percent, type IngestLimits } from '../subscriptions/ingestLimits.js';
import { diffSnapshot } from '../subscriptions/snapshotDiff.js';
import { storeIncomingEventsInTransaction } from '../subscriptions/storeIncomingEvents.js';
import { lockIngestion } from '../subscriptions/subscriptionStore.js';
import { storedState, type SubscriptionState } from '../subscriptions/subscriptionValues.js';
import { linkSourceCustomers, type CustomerLinking } from './linkSourceCustomers.js';

export interface PullDependencies {
  prisma: PrismaClient;
  /** the configured connectors; a source without one is not configured */
  connectors: Partial<Record<SourceName, SourceConnector>>;
  limits?: IngestLimits;
  now?: () => Date;
}

export interface PullInput {
  source: SourceName;
  /** our customer id: only that customer's subscriptions (its link to the source must exist) */
  customerId?: string | undefined;
  actor: Actor;
  onProgress?: (progress: PullProgress) => void;
}

export async function pullSource(deps: PullDependencies, input: PullInput): Promise<PullSummary> {
  const now = deps.now ?? (() => new Date());
  const { prisma } = deps;
  const today = utcDateOf(now());
  const scope = input.customerId ?? 'all';
  const pullId = randomUUID();
  const base = emptySummary({ pullId, today, scope }, input.source, 0);
  // one pull of a source at a time: the daily job, a `source sync` and its notice's button would
  // otherwise read the vendor twice over and race each other's sign-in and paging
  const running = await prisma.sourcePull.findFirst({
    where: {
      source: input.source,
      outcome: 'running',
      startedAt: { gt: new Date(now().getTime() - RUNNING_FOR_MS) },
    },
    select: { id: true, startedAt: true, actorId: true },
  });
  if (running)
    return {
      ...base,
      pullId: running.id,
      outcome: 'failed',
      problem: problem(
        'SOURCE_PULL_RUNNING',
        `a pull of ${SOURCE_LABEL[input.source]} started ${running.startedAt.toISOString()} by ${running.actorId} is still running`,
        'wait for it to end (`sources` shows its outcome), then pull again',
      ),
    };
  await prisma.sourcePull.create({
    data: { id: pullId, source: input.source, scope, actorId: input.actor.id, pullDate: today },
  });
  try {
    return await pullInto(deps, input, { pullId, today, scope, base, now });
  } catch (error) {
    // whatever went wrong, the record says so: a pull is never left "running"
    await prisma.sourcePull
      .update({
        where: { id: pullId },
        data: {
          outcome: 'failed',
          finishedAt: now(),
          problem: problem(
            'SOURCE_PULL_FAILED',
            `the pull stopped unexpectedly (${error instanceof Error ? error.name : 'error'})`,
            'see the bot log for this pull id; nothing of it was stored',
          ),
        },
      })
      .catch(() => undefined);
    throw error;
  }
}

/** A running pull older than this is taken to have died (a crash): it no longer blocks. */
const RUNNING_FOR_MS = 60 * 60_000;

async function pullInto(
  deps: PullDependencies,
  input: PullInput,
  context: {
    pullId: string;
    today: string;
    scope: string;
    base: Omit<PullSummary, 'outcome'>;
    now: () => Date;
  },
): Promise<PullSummary> {
  const { prisma } = deps;
  const { pullId, today, scope, base, now } = context;

  const fail = async (why: Problem, requests = 0): Promise<PullSummary> => {
    await prisma.sourcePull.update({
      where: { id: pullId },
      data: { outcome: 'failed', finishedAt: now(), problem: why, requests },
    });
    await recordAudit(prisma, {
      actor: input.actor,
      action: 'source.pull_failed',
      outcome: 'failed',
      customerId: input.customerId,
      details: { pullId, source: input.source, scope, ...why },
    });
    return { ...base, outcome: 'failed', requests, problem: why };
  };

  const connector = deps.connectors[input.source];
  if (!connector) return fail(notConfigured(input.source));

  let customerSourceIds: string[] | undefined;
  if (input.customerId) {
    const links = await prisma.customerSourceLink.findMany({
      where: { source: input.source, customerId: input.customerId },
      select: { sourceCustomerId: true },
    });
    if (links.length === 0)
      return fail(
        problem(
          'SOURCE_CUSTOMER_UNKNOWN',
          `this customer has not come from ${SOURCE_LABEL[input.source]} yet`,
          `pull everything once with \`source sync ${input.source}\`; later pulls can name the customer`,
        ),
      );
    customerSourceIds = links.map((l) => l.sourceCustomerId);
  }
  // activity is read from the last pull that covered every customer
  const last = await prisma.sourcePull.findFirst({
    where: { source: input.source, scope: 'all', outcome: { in: ['ok', 'partial'] } },
    orderBy: { startedAt: 'desc' },
    select: { pullDate: true },
  });

  let pulled: SourcePull;
  try {
    // held to what the other inputs are held to before anything is stored
    pulled = storableRows(
      await connector.pull({
        customerSourceIds,
        since: last?.pullDate,
        today,
        onProgress: input.onProgress,
      }),
    );
  } catch (error) {
    if (isSourceError(error)) return fail(error.problem);
    throw error;
  }

  let summary: PullSummary;
  try {
    summary = await prisma.$transaction(
      (tx) =>
        storePull(tx, deps, input, {
          pullId,
          today,
          since: last?.pullDate,
          scope,
          customerSourceIds,
          pulled,
        }),
      { timeout: 300_000, maxWait: 30_000 },
    );
  } catch (error) {
    // refused inside the transaction: it rolled back, nothing of the pull is stored
    if (error instanceof PullRefused) return fail(error.problem, pulled.requests);
    throw error;
  }
  await prisma.sourcePull.update({
    where: { id: pullId },
    data: {
      outcome: summary.outcome,
      finishedAt: now(),
      customers: summary.customers,
      subscriptions: summary.subscriptions,
      eventsNew: summary.eventsNew,
      eventsAlreadyStored: summary.eventsAlreadyStored,
      requests: summary.requests,
      findings: summary.findings,
    },
  });
  return summary;
}

async function storePull(
  tx: Db,
  deps: PullDependencies,
  input: PullInput,
  context: {
    pullId: string;
    today: string;
    since: string | undefined;
    scope: string;
    customerSourceIds: string[] | undefined;
    pulled: SourcePull;
  },
): Promise<PullSummary> {
  const { pulled, today } = context;
  const source = input.source;
  const now = deps.now?.() ?? new Date();
  await lockIngestion(tx);
  const findings: SourceFinding[] = pulled.problems.map((p) => ({
    code: 'SOURCE_ROW_UNREADABLE',
    message: `${SOURCE_LABEL[source]} sent a ${p.entity}${p.sourceId ? ` (${p.sourceId})` : ''} the bot cannot read: ${p.reason}`,
    hint: `the rest was stored; correct it on ${SOURCE_LABEL[source]}'s side or tell us if the vendor changed its format`,
    sourceId: p.sourceId,
    entity: p.entity,
  }));
  const linking = await linkSourceCustomers(tx, source, pulled.customers, input.actor, now);
  findings.push(...linking.findings);

  const described = new Map<string, SourceSubscription>();
  for (const s of pulled.subscriptions) {
    if (linking.held.has(s.customerSourceId)) continue;
    if (!linking.linked.has(s.customerSourceId)) {
      findings.push({
        code: 'SOURCE_ROW_UNREADABLE',
        message: `${SOURCE_LABEL[source]} subscription ${s.id} names customer ${s.customerSourceId}, which the pull did not return or could not read`,
        hint: 'pull again; if it persists, the customer may be archived on the vendor’s side',
        sourceId: s.id,
        entity: 'subscription',
      });
      continue;
    }
    described.set(s.id, s);
  }

  let events: HistoryEvent[];
  let toldBefore = 0;
  if (pulled.kind === 'history') {
    // A change already stored from another channel (a file exported from this source, say) is
    // the same change: stored once, whatever key each channel gives it.
    const stored = await storedChanges(tx, [...described.keys()]);
    events = pulled.events.filter((e) => described.has(e.subscriptionId) && !stored.has(changeKey(e)));
    toldBefore = pulled.events.filter((e) => described.has(e.subscriptionId)).length - events.length;
  } else {
    const diffed = await snapshotEvents(
      tx,
      source,
      pulled,
      described,
      linking,
      context,
      deps.limits ?? DEFAULT_INGEST_LIMITS,
    );
    if ('problem' in diffed) throw new PullRefused(diffed.problem);
    events = diffed.events;
  }

  const incoming: IncomingEvent[] = [];
  let item = 0;
  const itemOf = new Map<string, number>();
  for (const event of events) {
    const s = described.get(event.subscriptionId);
    if (!s) continue; // a cancelled subscription the source no longer lists: described below
    const customer = linking.linked.get(s.customerSourceId)!;
    let n = itemOf.get(s.id);
    if (n === undefined) itemOf.set(s.id, (n = ++item));
    incoming.push({
      item: n,
      customer: { name: customer.name, externalId: customer.externalId },
      subscription: {
        id: s.id,
        productName: s.productName,
        sku: s.sku,
        billingType: s.billingType,
        billingCycle: s.billingCycle,
        term: s.term?.duration,
        currency: s.currency,
        unitCost: s.unitCost,
      },
      event,
    });
  }
  if (pulled.kind === 'snapshot') incoming.push(...(await vanishedEvents(tx, events, described, item)));

  const stored = await storeIncomingEventsInTransaction(
    tx,
    { items: incoming.reduce((most, e) => Math.max(most, e.item), 0), events: incoming, problems: [] },
    {
      actor: input.actor,
      channel: `source:${source}`,
      sourceSystem: source,
      format: 'json',
      skipInvalid: true,
    },
  );
  const subscriptionOfItem = new Map<number, string>();
  for (const e of incoming) subscriptionOfItem.set(e.item, e.subscription.id);
  for (const refused of stored.refused) {
    const id = subscriptionOfItem.get(refused.item);
    findings.push({
      code: 'SOURCE_ROW_REFUSED',
      message: `${SOURCE_LABEL[source]} subscription ${id ?? '?'} was not stored: ${refused.reason}`,
      hint: 'the rest of the pull was stored; correct the subscription (or the customer it names) and pull again',
      sourceId: id,
      entity: 'subscription',
    });
  }

  // Where each subscription came from and the commitment it runs under: facts of the source,
  // refreshed on every pull (not history: nothing is billed from them yet).
  const refusedIds = new Set(stored.refused.map((r) => subscriptionOfItem.get(r.item)));
  for (const s of described.values()) {
    if (refusedIds.has(s.id)) continue;
    await tx.subscription.updateMany({
      where: { id: s.id },
      data: {
        term: s.term?.duration ?? undefined,
        termEndDate: s.term?.endDate ?? undefined,
        autoRenew: s.term?.autoRenew ?? undefined,
      },
    });
  }
  await tx.subscription.updateMany({
    where: { id: { in: [...described.keys()].filter((id) => !refusedIds.has(id)) }, origin: null },
    data: { origin: source },
  });

  const outcome = findings.length > 0 ? 'partial' : 'ok';
  const summary: PullSummary = {
    ...emptySummary(context, source, pulled.requests),
    outcome,
    customers: linking.linked.size,
    customersCreated: linking.created,
    subscriptions: described.size,
    subscriptionsCreated: stored.subscriptionsCreated,
    eventsNew: stored.eventsNew,
    eventsAlreadyStored: stored.eventsAlreadyStored + toldBefore,
    findings,
  };
  await recordAudit(tx, {
    actor: input.actor,
    action: 'source.pulled',
    outcome: 'ok',
    customerId: input.customerId,
    details: {
      pullId: context.pullId,
      source,
      pullOutcome: outcome,
      scope: context.scope,
      pullDate: today,
      customers: summary.customers,
      customersCreated: summary.customersCreated,
      subscriptions: summary.subscriptions,
      subscriptionsCreated: summary.subscriptionsCreated,
      eventsNew: summary.eventsNew,
      eventsAlreadyStored: summary.eventsAlreadyStored,
      requests: summary.requests,
      findings: findings.map((f) => ({ code: f.code, sourceId: f.sourceId ?? null })),
    },
  });
  return summary;
}

/** Thrown inside the pull's transaction to roll it back: the pull is refused whole. */
class PullRefused extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** What makes two events the same change: the subscription, the date, the kind and the values. */
function changeKey(e: StoredEventRow): string {
  const money = (v: { toString(): string } | null | undefined) =>
    v === null || v === undefined ? null : new Decimal(v.toString()).toFixed();
  return JSON.stringify([
    e.subscriptionId,
    e.effectiveDate,
    e.kind,
    e.quantityBefore ?? null,
    e.quantityAfter ?? null,
    e.statusBefore ?? null,
    e.statusAfter ?? null,
    money(e.priceBefore),
    money(e.priceAfter),
    e.billingCycleBefore ?? null,
    e.billingCycleAfter ?? null,
  ]);
}

async function storedChanges(tx: Db, subscriptionIds: string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let at = 0; at < subscriptionIds.length; at += 1_000) {
    const rows = await tx.subscriptionEvent.findMany({
      where: { subscriptionId: { in: subscriptionIds.slice(at, at + 1_000) } },
    });
    for (const r of rows) keys.add(changeKey(r));
  }
  return keys;
}

function emptySummary(
  context: { pullId: string; today: string; scope: string },
  source: SourceName,
  requests: number,
): Omit<PullSummary, 'outcome'> {
  return {
    pullId: context.pullId,
    source,
    scope: context.scope,
    pullDate: context.today,
    customers: 0,
    customersCreated: 0,
    subscriptions: 0,
    subscriptionsCreated: 0,
    eventsNew: 0,
    eventsAlreadyStored: 0,
    requests,
    findings: [],
  };
}

/**
 * A snapshot source: today's states against what this source told before — only its own
 * subscriptions, of the customers in scope and not held back — dated by its activity records.
 */
async function snapshotEvents(
  tx: Db,
  source: SourceName,
  pulled: SnapshotPull,
  described: Map<string, SourceSubscription>,
  linking: CustomerLinking,
  context: { today: string; since: string | undefined; customerSourceIds: string[] | undefined },
  limits: IngestLimits,
): Promise<{ events: HistoryEvent[] } | { problem: Problem }> {
  // customers whose subscriptions this pull did not read whole — held back for a conflict, or
  // unreadable / not answering at the vendor: their subscriptions are not "gone"
  const unread = [
    ...linking.held,
    ...pulled.problems.flatMap((p) => (p.entity === 'customer' && p.sourceId ? [p.sourceId] : [])),
  ];
  const unreadCustomerIds = unread.length
    ? (
        await tx.customerSourceLink.findMany({
          where: { source, sourceCustomerId: { in: unread } },
          select: { customerId: true },
        })
      ).map((l) => l.customerId)
    : [];
  const scopeCustomerIds = context.customerSourceIds
    ? [...linking.linked.values()].map((l) => l.customerId)
    : undefined;
  const listed = pulled.subscriptions.filter((s) => described.has(s.id)).map((s) => s.id);
  const select = {
    id: true,
    quantity: true,
    status: true,
    unitPrice: true,
    billingCycle: true,
    origin: true,
  };
  // what we know of every listed subscription, whoever brought it (a file exported from this
  // source, say), so a known one is never "created" again; and the source's own in scope, so
  // one it no longer lists is cancelled
  const known = await tx.subscription.findMany({
    where: {
      OR: [
        { id: { in: listed } },
        {
          origin: source,
          customerId: { notIn: unreadCustomerIds, ...(scopeCustomerIds ? { in: scopeCustomerIds } : {}) },
        },
      ],
    },
    select,
  });
  const previous = new Map<string, SubscriptionState>(known.map((s) => [s.id, storedState(s)]));
  const states = pulled.subscriptions.filter((s) => described.has(s.id));
  // a row refused as unreadable is not "absent": it keeps its state rather than being cancelled
  for (const p of pulled.problems) if (p.sourceId) previous.delete(p.sourceId);
  // so is one listed under a customer that was held back or not returned
  for (const s of pulled.subscriptions) if (!described.has(s.id)) previous.delete(s.id);
  // the price is ours, not the source's (Partner Center tells none): a change of it is no event
  const diffed = diffSnapshot(
    previous,
    states.map((s) => ({
      id: s.id,
      state: { ...s.state, unitPrice: previous.get(s.id)?.unitPrice ?? s.state.unitPrice },
    })),
    context.today,
  );
  // measured against everything live the source brought, in scope or not: a one-customer pull
  // that cancels one of three is not a mass cancel
  const live = await tx.subscription.count({ where: { origin: source, status: { not: 'cancelled' } } });
  const cancelling = diffed.filter((e) => e.kind === 'cancelled' && !described.has(e.subscriptionId)).length;
  const share = live === 0 ? 0 : cancelling / live;
  const limit = limits.massCancelShare;
  if (share > limit)
    return {
      problem: problem(
        'SOURCE_MASS_CANCEL',
        `${SOURCE_LABEL[source]} no longer lists ${cancelling} of ${live} live subscriptions (${percent(share)}), more than the ${percent(limit)} a pull may cancel (INGEST_MASS_CANCEL_SHARE); nothing was stored`,
        `check on ${SOURCE_LABEL[source]}'s side that they are really gone (a lost permission or relationship hides customers); if they are, raise INGEST_MASS_CANCEL_SHARE for one pull`,
      ),
    };
  return {
    events: datedSnapshotEvents(diffed, pulled.activity, { since: context.since, today: context.today }),
  };
}

/** Subscriptions the source no longer lists are cancelled; they are described as we know them. */
async function vanishedEvents(
  tx: Db,
  events: HistoryEvent[],
  described: Map<string, SourceSubscription>,
  lastItem: number,
): Promise<IncomingEvent[]> {
  const vanished = events.filter((e) => !described.has(e.subscriptionId));
  if (vanished.length === 0) return [];
  const rows = await tx.subscription.findMany({
    where: { id: { in: vanished.map((e) => e.subscriptionId) } },
    include: { customer: { select: { name: true, externalId: true } } },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return vanished.map((event, index) => {
    const s = byId.get(event.subscriptionId)!;
    return {
      item: lastItem + index + 1,
      customer: { name: s.customer.name, externalId: s.customer.externalId ?? undefined },
      subscription: {
        id: s.id,
        productName: s.productName,
        sku: s.sku ?? undefined,
        billingType: s.billingType as 'quantity' | 'usage',
        billingCycle: s.billingCycle,
        currency: s.currency,
      },
      event,
    };
  });
}

export function notConfigured(source: SourceName): Problem {
  const settings =
    source === 'pax8'
      ? 'PAX8_CLIENT_ID and PAX8_CLIENT_SECRET'
      : 'PARTNER_CENTER_APP_ID, PARTNER_CENTER_APP_SECRET, PARTNER_CENTER_TENANT_ID and PARTNER_CENTER_REFRESH_TOKEN';
  return problem(
    'SOURCE_NOT_CONFIGURED',
    `${SOURCE_LABEL[source]} is not configured`,
    `set ${settings} (README "Subscription sources") and restart the bot`,
  );
}
