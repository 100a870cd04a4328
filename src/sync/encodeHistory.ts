// The encoding table of docs/billing-semantics.md §4 (PURE): a customer's subscription histories, where
// they map to in Autotask, and what the ledger says was already pushed → the ordered operations
// still to send. Every operation has a deterministic key, so a re-run of the same history yields
// the same keys and the ledger can refuse anything already done.
//
// The encoder works with unit levels per line rather than event by event: after each date it
// knows how many units each of the subscription's lines must carry (the current line: the
// quantity if active, else 0; every other line: 0). The difference between consecutive levels is
// the adjustment. That one rule yields the whole table — deltas, suspension/cancellation to 0,
// reactivation back, price change as old line to 0 plus a new line, monthly↔annual as a move
// between contracts — and merges same-day events and skips zero changes by construction.
import { groupBy } from '../collections/groupBy.js';
import type { Decimal } from 'decimal.js';
import { finding, type Finding } from './validationFinding.js';
import {
  adjustKey,
  createLineKey,
  lineKeyOf,
  type AdjustOperation,
  type LineMode,
  type SyncOperation,
} from './syncOperation.js';
import { replayHistory } from './subscriptionTimeline.js';
import {
  isPushedCycle,
  type CustomerTargets,
  type ExistingLine,
  type KnownLine,
  type PushedCycle,
  type PushedOperation,
  type SubscriptionEventInput,
  type SubscriptionInput,
} from './syncInputs.js';

export interface EncodeHistoryInput {
  customerId: string;
  cutoverDate: string | null;
  /** today (YYYY-MM-DD): later-dated history is inconsistent */
  asOf: string;
  subscriptions: readonly SubscriptionInput[];
  events: readonly SubscriptionEventInput[];
  targets: CustomerTargets;
  /** done operations from the ledger (any run) */
  pushed: readonly PushedOperation[];
  /** logical lines whose Autotask id the ledger recorded */
  knownLines: readonly KnownLine[];
  /** contract-service lines that exist in Autotask on the customer's contracts */
  existingLines: readonly ExistingLine[];
}

export interface PlannedLine {
  lineKey: string;
  subscriptionId: string;
  contractId: number;
  serviceId: number;
  unitPrice: Decimal;
  billingCycle: PushedCycle;
}

export interface SkippedSubscription {
  subscriptionId: string;
  reason: string;
}

export interface EncodedHistory {
  operations: SyncOperation[];
  findings: Finding[];
  skipped: SkippedSubscription[];
  /** every logical line the history touches (pushed or to push) */
  lines: PlannedLine[];
}

interface DesiredChange {
  line: PlannedLine;
  date: string;
  unitChange: number;
  unitsAfter: number;
}

export function encodeHistory(input: EncodeHistoryInput): EncodedHistory {
  const findings: Finding[] = [];
  const skipped: SkippedSubscription[] = [];
  const lines = new Map<string, PlannedLine>();
  const changes: DesiredChange[] = [];
  const eventsBySubscription = groupBy(input.events, (e) => e.subscriptionId);

  for (const subscription of [...input.subscriptions].sort((a, b) => compare(a.id, b.id))) {
    const events = eventsBySubscription.get(subscription.id) ?? [];
    const unsupported = unsupportedReason(subscription, events);
    if (unsupported) {
      skipped.push({ subscriptionId: subscription.id, reason: unsupported });
      findings.push(
        finding(
          'UNSUPPORTED_SUBSCRIPTION',
          subscriptionAbout(subscription),
          `${subscription.productName} (${subscription.id}) is skipped: ${unsupported}`,
          'bill it another way; only quantity-based monthly or annual subscriptions are pushed',
        ),
      );
      continue;
    }
    const replay = replayHistory(subscription, events, { cutoverDate: input.cutoverDate, asOf: input.asOf });
    if (replay.findings.length > 0) {
      findings.push(...replay.findings);
      skipped.push({ subscriptionId: subscription.id, reason: 'inconsistent history' });
      continue;
    }
    const levels = desiredLevels(subscription, replay.steps, input.targets);
    if ('findings' in levels) {
      findings.push(...levels.findings);
      skipped.push({ subscriptionId: subscription.id, reason: 'missing mapping' });
      continue;
    }
    for (const line of levels.lines) lines.set(line.lineKey, line);
    changes.push(...levels.changes);
  }

  const needed = subtractPushed(input.customerId, changes, input.pushed, lines, findings);
  const operations = assignLines(input, needed);
  return { operations, findings, skipped, lines: [...lines.values()] };
}

function unsupportedReason(
  subscription: SubscriptionInput,
  events: readonly SubscriptionEventInput[],
): string | null {
  if (subscription.billingType !== 'quantity')
    return `it is ${subscription.billingType}-based, not quantity-based`;
  const cycles = new Set([subscription.billingCycle]);
  for (const e of events) {
    if (e.billingCycleBefore) cycles.add(e.billingCycleBefore);
    if (e.billingCycleAfter) cycles.add(e.billingCycleAfter);
  }
  const odd = [...cycles].filter((c) => !isPushedCycle(c));
  return odd.length > 0 ? `its billing cycle ${odd.join(', ')} is neither monthly nor annual` : null;
}

const subscriptionAbout = (s: SubscriptionInput) => ({
  customerId: s.customerId,
  subscriptionId: s.id,
  productName: s.productName,
});

/** The unit level of each line after each date, as dated changes. */
function desiredLevels(
  subscription: SubscriptionInput,
  steps: readonly {
    date: string;
    state: { status: string; quantity: number; price: Decimal; cycle: string };
  }[],
  targets: CustomerTargets,
): { lines: PlannedLine[]; changes: DesiredChange[] } | { findings: Finding[] } {
  const about = subscriptionAbout(subscription);
  const level = new Map<string, number>();
  const lines = new Map<string, PlannedLine>();
  const changes: DesiredChange[] = [];
  for (const { date, state } of steps) {
    const units = state.status === 'active' ? state.quantity : 0;
    const next = new Map<string, number>([...level.keys()].map((k) => [k, 0]));
    if (units > 0) {
      const cycle = state.cycle as PushedCycle;
      const contractId = targets.contracts[cycle];
      if (contractId === null)
        return {
          findings: [
            finding(
              'CONTRACT_MISSING',
              about,
              `${subscription.productName} (${subscription.id}) is billed ${cycle} from ${date}, but the customer has no ${cycle === 'annual' ? 'yearly' : 'monthly'} Recurring Service contract mapped`,
              `create or map a ${cycle === 'annual' ? 'yearly' : 'monthly'} Recurring Service contract for this customer`,
            ),
          ],
        };
      const service = targets.services.find(
        (s) => s.productName === subscription.productName && s.billingCycle === cycle,
      );
      if (!service)
        return {
          findings: [
            finding(
              'SERVICE_UNMAPPED',
              about,
              `${subscription.productName} (${cycle}) has no Autotask service mapped`,
              `map ${subscription.productName} (${cycle}) to an Autotask service`,
            ),
          ],
        };
      const lineKey = lineKeyOf(subscription.id, contractId, service.serviceId, state.price);
      if (!lines.has(lineKey))
        lines.set(lineKey, {
          lineKey,
          subscriptionId: subscription.id,
          contractId,
          serviceId: service.serviceId,
          unitPrice: state.price,
          billingCycle: cycle,
        });
      next.set(lineKey, units);
    }
    for (const [lineKey, units] of next) {
      const change = units - (level.get(lineKey) ?? 0);
      if (change !== 0)
        changes.push({ line: lines.get(lineKey)!, date, unitChange: change, unitsAfter: units });
    }
    for (const [k, v] of next) level.set(k, v);
  }
  return { lines: [...lines.values()], changes };
}

/** What is still to send: the desired changes minus what the ledger says is done. */
function subtractPushed(
  customerId: string,
  desired: readonly DesiredChange[],
  pushed: readonly PushedOperation[],
  lines: ReadonlyMap<string, PlannedLine>,
  findings: Finding[],
): DesiredChange[] {
  const pushedAt = new Map<string, PushedOperation>();
  for (const op of pushed)
    if (op.kind === 'adjust') pushedAt.set(adjustKey(op.lineKey, op.effectiveDate), op);
  const desiredAt = new Map(desired.map((c) => [adjustKey(c.line.lineKey, c.date), c]));
  const needed: DesiredChange[] = [];
  const broken = new Set<string>();
  for (const key of new Set([...desiredAt.keys(), ...pushedAt.keys()])) {
    const want = desiredAt.get(key);
    const done = pushedAt.get(key);
    const line = want?.line ?? lines.get(done!.lineKey);
    if (!line) continue; // a line of a subscription skipped for another reason
    // a correction's part that undoes adopted hand edits is no part of the history (docs/drift-watch.md)
    const undone = done?.adopts?.reduce((sum, e) => sum + e.unitChange, 0) ?? 0;
    const correction = (want?.unitChange ?? 0) - ((done?.unitChange ?? 0) + undone);
    if (correction === 0) continue;
    if (done) {
      // Autotask refuses a second adjustment on one line and date: a person must correct it.
      if (!broken.has(line.subscriptionId))
        findings.push(
          finding(
            'HISTORY_INCONSISTENT',
            { customerId, subscriptionId: line.subscriptionId },
            `the history of ${line.subscriptionId} changed after it was uploaded: contract ${line.contractId} service ${line.serviceId} got ${signed(done.unitChange)} on ${done.effectiveDate}, the history now needs ${signed(want?.unitChange ?? 0)}`,
            'correct the units in Autotask by hand or restore the history, then validate again',
          ),
        );
      broken.add(line.subscriptionId);
      continue;
    }
    needed.push({ ...want!, unitChange: correction });
  }
  return needed.filter((c) => !broken.has(c.line.subscriptionId));
}

/** Decides how each adjustment reaches its Autotask line, adds line creations, orders everything. */
function assignLines(input: EncodeHistoryInput, needed: DesiredChange[]): SyncOperation[] {
  const known = new Map(input.knownLines.map((l) => [l.lineKey, l.contractServiceId]));
  const pair = (contractId: number, serviceId: number) => `${contractId}:${serviceId}`;
  const existingBase = new Map<string, number>();
  for (const l of [...input.existingLines].sort((a, b) => a.contractServiceId - b.contractServiceId)) {
    const p = pair(l.contractId, l.serviceId);
    if (!existingBase.has(p)) existingBase.set(p, l.contractServiceId);
  }
  const claimed = new Set<string>();
  for (const op of input.pushed) if (op.kind === 'create_line') claimed.add(op.key);
  const knownIds = new Set(known.values());
  for (const l of input.existingLines)
    if (
      knownIds.has(l.contractServiceId) &&
      existingBase.get(pair(l.contractId, l.serviceId)) === l.contractServiceId
    )
      claimed.add(createLineKey(input.customerId, l.contractId, l.serviceId));
  const linesWithPushedOps = new Set(input.pushed.filter((o) => o.kind === 'adjust').map((o) => o.lineKey));

  const byLine = groupBy(needed, (c) => c.line.lineKey);
  const order = [...byLine.entries()]
    .map(([lineKey, list]) => ({ lineKey, list: list.sort((a, b) => compare(a.date, b.date)) }))
    .sort(
      (a, b) =>
        compare(a.list[0]!.date, b.list[0]!.date) ||
        compare(a.list[0]!.line.subscriptionId, b.list[0]!.line.subscriptionId) ||
        compare(a.lineKey, b.lineKey),
    );

  const operations: SyncOperation[] = [];
  for (const { lineKey, list } of order) {
    const line = list[0]!.line;
    const common = (date: string) => ({
      customerId: input.customerId,
      subscriptionId: line.subscriptionId,
      productName: productOf(input, line.subscriptionId),
      lineKey,
      contractId: line.contractId,
      serviceId: line.serviceId,
      effectiveDate: date,
      unitPrice: line.unitPrice,
      billingCycle: line.billingCycle,
    });
    const baseKey = createLineKey(input.customerId, line.contractId, line.serviceId);
    let mode: (first: boolean) => LineMode;
    const knownId = known.get(lineKey);
    if (knownId !== undefined) {
      mode = () => ({ mode: 'known', contractServiceId: knownId });
    } else if (linesWithPushedOps.has(lineKey)) {
      // opened earlier as a repeat line whose id was not recorded yet: found again by reading
      mode = () => ({ mode: 'repeat', opens: false });
    } else if (!claimed.has(baseKey)) {
      claimed.add(baseKey);
      const existingId = existingBase.get(pair(line.contractId, line.serviceId)) ?? null;
      if (existingId === null)
        operations.push({ kind: 'create_line', key: baseKey, ...common(list[0]!.date) });
      mode = () => ({ mode: 'base', contractServiceId: existingId });
    } else {
      mode = (first) => ({ mode: 'repeat', opens: first });
    }
    list.forEach((c, i) => {
      const op: AdjustOperation = {
        kind: 'adjust',
        key: adjustKey(lineKey, c.date),
        ...common(c.date),
        unitChange: c.unitChange,
        unitsAfter: c.unitsAfter,
        line: mode(i === 0),
      };
      operations.push(op);
    });
  }
  return orderOperations(operations);
}

/**
 * Per customer, subscription by subscription, each in date order; on one date a line is created
 * before it is adjusted, and units leave the old line before they arrive on the new one.
 * Subscriptions go by the date of their first operation (then id): the base line of a service on a
 * contract goes to the earliest line, so its subscription is sent before the later ones that open
 * repeat lines for the same service — Autotask must have the base line first, else the repeat
 * becomes the service's first line and the base line's creation is refused.
 */
export function orderOperations(operations: readonly SyncOperation[]): SyncOperation[] {
  const firstDate = new Map<string, string>();
  for (const op of operations) {
    const known = firstDate.get(op.subscriptionId);
    if (known === undefined || op.effectiveDate < known) firstDate.set(op.subscriptionId, op.effectiveDate);
  }
  return [...operations].sort(
    (a, b) =>
      compare(a.customerId, b.customerId) ||
      compare(firstDate.get(a.subscriptionId)!, firstDate.get(b.subscriptionId)!) ||
      compare(a.subscriptionId, b.subscriptionId) ||
      compare(a.effectiveDate, b.effectiveDate) ||
      (a.kind === b.kind ? 0 : a.kind === 'create_line' ? -1 : 1) ||
      (a.kind === 'adjust' && b.kind === 'adjust' ? a.unitChange - b.unitChange : 0) ||
      compare(a.key, b.key),
  );
}

function productOf(input: EncodeHistoryInput, subscriptionId: string): string {
  return input.subscriptions.find((s) => s.id === subscriptionId)?.productName ?? '';
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
