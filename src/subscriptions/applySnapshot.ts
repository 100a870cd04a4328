// The snapshot use case: load the state we know, diff the snapshot against it, and store the
// events, the new state and a snapshot record in one transaction, audited.
import { recordAudit } from '../audit/auditLog.js';
import type { Actor } from '../audit/actor.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { IncomingEvent, ItemProblem } from './incomingEvent.js';
import {
  SnapshotSchema,
  SnapshotSubscriptionSchema,
  snapshotContentHash,
  type SnapshotSubscription,
} from './snapshotFormat.js';
import { diffSnapshot } from './snapshotDiff.js';
import {
  DEFAULT_INGEST_LIMITS,
  futureDateReason,
  latestAcceptedDate,
  percent,
  type IngestLimits,
} from './ingestLimits.js';
import { parseJsonItem } from './jsonItem.js';
import { storeIncomingEventsInTransaction } from './storeIncomingEvents.js';
import { lockIngestion } from './subscriptionStore.js';
import { storedState, type SubscriptionState } from './subscriptionValues.js';

export type SnapshotOutcome =
  | { ok: false; code: 'SNAPSHOT_INVALID'; problems: ItemProblem[] }
  | { ok: false; code: 'SNAPSHOT_OUT_OF_ORDER'; message: string }
  | {
      ok: false;
      code: 'SNAPSHOT_MASS_CANCEL';
      message: string;
      /** live subscriptions the snapshot would cancel, of those live now */
      cancelling: number;
      live: number;
      share: number;
      limit: number;
    }
  | { ok: false; code: 'SNAPSHOT_REFUSED'; problems: ItemProblem[] }
  | {
      ok: true;
      snapshotId: string;
      date: string;
      subscriptions: number;
      eventsNew: number;
      eventsAlreadyStored: number;
      customersCreated: number;
      subscriptionsCreated: number;
      /** live subscriptions this snapshot cancelled */
      cancelled: number;
    };

export interface SnapshotOptions {
  actor: Actor;
  channel?: string;
  /** INGEST_MAX_FUTURE_DAYS and INGEST_MASS_CANCEL_SHARE (default DEFAULT_INGEST_LIMITS) */
  limits?: IngestLimits;
  /** "today", for the future-date limit */
  now?: Date;
}

/**
 * Validates a snapshot body; subscriptions are numbered from 1 in problems (0 = the body). A
 * snapshot dated after latestDate is refused: its date would block every later snapshot.
 */
export function parseSnapshot(
  body: unknown,
  latestDate: string = latestAcceptedDate(DEFAULT_INGEST_LIMITS.maxFutureDays),
):
  | {
      ok: true;
      date: string;
      source: string;
      subscriptions: SnapshotSubscription[];
      allowMassCancel: boolean;
    }
  | { ok: false; problems: ItemProblem[] } {
  const outer = SnapshotSchema.safeParse(body);
  if (!outer.success) {
    return {
      ok: false,
      problems: outer.error.issues.map((i) => ({
        item: 0,
        column: i.path.join('.') || '(body)',
        reason: i.message,
      })),
    };
  }
  const problems: ItemProblem[] = [];
  if (outer.data.date > latestDate)
    problems.push({ item: 0, column: 'date', reason: futureDateReason(latestDate) });
  const subscriptions: SnapshotSubscription[] = [];
  const ids = new Set<string>();
  outer.data.subscriptions.forEach((raw, index) => {
    const item = index + 1;
    const parsed = parseJsonItem(SnapshotSubscriptionSchema, raw, item);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      return;
    }
    if (ids.has(parsed.data.id)) {
      problems.push({
        item,
        id: parsed.id,
        column: 'id',
        reason: `subscription ${parsed.data.id} appears twice`,
      });
      return;
    }
    ids.add(parsed.data.id);
    subscriptions.push(parsed.data);
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    date: outer.data.date,
    source: outer.data.source ?? 'snapshot',
    subscriptions,
    allowMassCancel: outer.data.allowMassCancel === true,
  };
}

export async function applySnapshot(
  prisma: PrismaClient,
  body: unknown,
  options: SnapshotOptions,
): Promise<SnapshotOutcome> {
  const limits = options.limits ?? DEFAULT_INGEST_LIMITS;
  const parsed = parseSnapshot(body, latestAcceptedDate(limits.maxFutureDays, options.now));
  if (!parsed.ok) return { ok: false, code: 'SNAPSHOT_INVALID', problems: parsed.problems };
  const { date, source, subscriptions, allowMassCancel } = parsed;

  return prisma.$transaction(
    async (tx): Promise<SnapshotOutcome> => {
      await lockIngestion(tx);
      const latest = await tx.subscriptionSnapshot.findFirst({ orderBy: { snapshotDate: 'desc' } });
      if (latest && latest.snapshotDate > date) {
        return {
          ok: false,
          code: 'SNAPSHOT_OUT_OF_ORDER',
          message: `SNAPSHOT_OUT_OF_ORDER: this snapshot is dated ${date} but one dated ${latest.snapshotDate} was already applied — send snapshots in date order`,
        };
      }
      const known = await tx.subscription.findMany({
        include: { customer: { select: { name: true, externalId: true } } },
      });
      const previous = new Map<string, SubscriptionState>(known.map((s) => [s.id, storedState(s)]));
      const events = diffSnapshot(
        previous,
        subscriptions.map((s) => ({ id: s.id, state: stateOf(s) })),
        date,
      );

      // A snapshot that is empty or cut short reads as "everything absent was cancelled".
      const live = known.filter((s) => s.status !== 'cancelled').length;
      const cancelling = events.filter((e) => e.kind === 'cancelled').length;
      const share = live === 0 ? 0 : cancelling / live;
      if (share > limits.massCancelShare && !allowMassCancel) {
        await recordAudit(tx, {
          actor: options.actor,
          action: 'subscriptions.snapshot_refused',
          outcome: 'denied',
          details: {
            code: 'SNAPSHOT_MASS_CANCEL',
            date,
            source,
            cancelling,
            live,
            share,
            limit: limits.massCancelShare,
          },
        });
        return {
          ok: false,
          code: 'SNAPSHOT_MASS_CANCEL',
          message: `This snapshot would cancel ${cancelling} of ${live} live subscriptions (${percent(share)}), more than the ${percent(limits.massCancelShare)} allowed (INGEST_MASS_CANCEL_SHARE); nothing was stored.`,
          cancelling,
          live,
          share,
          limit: limits.massCancelShare,
        };
      }

      const inSnapshot = new Map(subscriptions.map((s, index) => [s.id, { s, item: index + 1 }]));
      const knownById = new Map(known.map((s) => [s.id, s]));
      const incoming: IncomingEvent[] = events.map((event) => {
        const found = inSnapshot.get(event.subscriptionId);
        if (found) {
          return {
            item: found.item,
            customer: found.s.customer,
            subscription: {
              id: found.s.id,
              productName: found.s.product,
              sku: found.s.sku,
              billingType: found.s.billingType,
              billingCycle: found.s.billingCycle,
              term: found.s.term,
              currency: found.s.currency,
              unitCost: found.s.unitCost,
            },
            event,
            stateAfter: stateOf(found.s),
          };
        }
        // absent from the snapshot, so cancelled: described as we know it
        const s = knownById.get(event.subscriptionId)!;
        return {
          item: subscriptions.length + 1,
          customer: { name: s.customer.name, externalId: s.customer.externalId ?? undefined },
          subscription: {
            id: s.id,
            productName: s.productName,
            billingType: s.billingType as 'quantity' | 'usage',
            billingCycle: s.billingCycle,
            currency: s.currency,
          },
          event,
        };
      });
      const stored = await storeIncomingEventsInTransaction(
        tx,
        { items: subscriptions.length, events: incoming, problems: [] },
        {
          actor: options.actor,
          channel: options.channel ?? 'snapshot',
          sourceSystem: source,
          format: 'json',
        },
      );
      if (stored.refused.length > 0) return { ok: false, code: 'SNAPSHOT_REFUSED', problems: stored.refused };

      const snapshot = await tx.subscriptionSnapshot.create({
        data: {
          snapshotDate: date,
          contentHash: snapshotContentHash(date, subscriptions),
          subscriptionCount: subscriptions.length,
          eventCount: stored.eventsNew,
          source,
          actorId: options.actor.id,
        },
      });
      await recordAudit(tx, {
        actor: options.actor,
        action: 'subscriptions.snapshot_applied',
        details: {
          snapshotId: snapshot.id,
          date,
          source,
          subscriptions: subscriptions.length,
          eventsNew: stored.eventsNew,
          eventsAlreadyStored: stored.eventsAlreadyStored,
          cancelled: cancelling,
          live,
          // a cancellation over the limit, confirmed by the sender
          ...(share > limits.massCancelShare
            ? { massCancelAllowed: true, share, limit: limits.massCancelShare }
            : {}),
        },
      });
      return {
        ok: true,
        snapshotId: snapshot.id,
        date,
        subscriptions: subscriptions.length,
        eventsNew: stored.eventsNew,
        eventsAlreadyStored: stored.eventsAlreadyStored,
        customersCreated: stored.customersCreated,
        subscriptionsCreated: stored.subscriptionsCreated,
        cancelled: cancelling,
      };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}

function stateOf(s: SnapshotSubscription): SubscriptionState {
  return { quantity: s.quantity, status: s.status, unitPrice: s.unitPrice, billingCycle: s.billingCycle };
}
