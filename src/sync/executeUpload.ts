// The upload job body: sends a run's operations to Autotask exactly once.
//
// - The ledger row is written before (sending) and after (done | failed) every call.
// - Operations left `sending` by a crash or an unknown outcome are resolved from the units
//   timeline: done if the units in force on the date already equal the target, else sent again.
// - Before sending, each subscription's known lines are compared with the ledger; a difference is
//   DRIFT: nothing is sent for that subscription and an audit record says what differs.
// - A business-rule refusal fails that operation; later operations of the same subscription wait,
//   other subscriptions go on. A re-attempt sends only what is not done.
// - Calls: one batched read of lines and units, one call per operation, and — only when an
//   operation must address a repeat line opened earlier in the same run — one more batched read
//   per round to learn those lines' ids (a subscription's operations keep their order: from its
//   first such operation on, they wait for the next round).
// - Up to `inFlight` operations are sent at once: the round's operations are split into
//   independent chains (independentChains.ts: one per set of subscriptions and contract services
//   that touch each other), each chain sent in plan order, at most `inFlight` chains at a time.
//   Everything a decision reads (a subscription's failures and deferrals, a service's lines on a
//   contract) belongs to one chain, so each operation is decided exactly as if sent alone in plan
//   order; only a FATAL failure reaches across chains (the others stop at their next operation).
// - A repeat line is never opened before the service's base line exists on the contract: it would
//   become the first line, and the base line's creation would then be refused.
// - One live execution per run (uploadExecution.ts), whatever the tenant lock does: a second
//   executor answers RUN_BUSY. Every ledger move is a compare-and-set; one that finds its row moved
//   on means another execution has the run now: this one sends nothing more, and leaves the run's
//   outcome to it.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import { KeyedSemaphore } from '../concurrency/keyedSemaphore.js';
import { runLanes, type LaneActivity } from '../concurrency/runLanes.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import type { AutotaskGateway, GatewayFailure, GatewayLine, GatewayUnitsRow } from './autotaskGateway.js';
import {
  loadDoneAdjustments,
  loadPushed,
  loadRunOperations,
  markDone,
  markFailed,
  markSending,
  markSkipped,
  noteWaiting,
  recordLine,
  type LedgerOperation,
  type LedgerStatus,
} from './operationLedger.js';
import { independentChains } from './independentChains.js';
import { attributeRepeatLines, lineCarries, type UnrecordedLine } from './repeatLineAttribution.js';
import { finishUpload, getRun, type RunRefusal } from './runStore.js';
import { claimExecution, type UploadExecution } from './uploadExecution.js';
import type { LineMode } from './syncOperation.js';
import { describeDrift, findDrift, unitsInForce } from './unitsTimeline.js';

export interface UploadDependencies {
  prisma: PrismaClient;
  gateway: AutotaskGateway;
  actor: Actor;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** sends of one operation before giving up for this attempt (refusals before processing, unknown outcomes) */
  maxAttempts?: number;
  backoffMs?: number;
  /**
   * operations sent at the same time (AUTOTASK_MAX_IN_FLIGHT, default 2): every write goes to one
   * Autotask endpoint (Contracts), whose thread limit is 3
   */
  inFlight?: number;
  /** told when a lane of concurrent sends opens and closes (the upload job's shutdown safe point) */
  lanes?: LaneActivity;
  /** runs inside the transaction that marks an operation done (recordUploadUnderMapping) */
  onOperationDone?: (tx: Db, op: LedgerOperation) => Promise<void>;
}

export interface UploadReport {
  ok: true;
  runId: string;
  outcome: 'succeeded' | 'partially_failed' | 'failed';
  counts: Record<LedgerStatus, number>;
  /** Autotask calls made by this execution (reads and writes) */
  calls: number;
  drift: { subscriptionId: string; message: string }[];
  waiting: { key: string; reason: string }[];
}

type SendOutcome =
  | { kind: 'done' }
  | { kind: 'skipped' }
  | { kind: 'blocked'; reason: string }
  | { kind: 'fatal'; reason: string };

interface AutotaskView {
  lines: GatewayLine[];
  rows: GatewayUnitsRow[];
}

const PENDING: readonly LedgerStatus[] = ['planned', 'sending', 'failed'];
const MAX_ROUNDS = 10;
const DEFAULT_IN_FLIGHT = 2;

export async function executeUpload(
  deps: UploadDependencies,
  runId: string,
): Promise<UploadReport | RunRefusal> {
  const { prisma, actor } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = deps.maxAttempts ?? 5;
  const backoffMs = deps.backoffMs ?? 500;
  const inFlight = deps.inFlight ?? DEFAULT_IN_FLIGHT;
  // The mapping lock (onOperationDone) reads, then creates a customer's contract mapping: two of
  // its transactions for one customer at once would both create it. One at a time per customer.
  const doneWrites = new KeyedSemaphore(1);
  const markOpDone = async (
    op: LedgerOperation,
    result: Parameters<typeof markDone>[3],
  ): Promise<boolean> => {
    const release = await doneWrites.acquire(op.customerId);
    try {
      return await markDone(prisma, op, actor, result, deps.onOperationDone);
    } finally {
      release();
    }
  };
  let calls = 0;
  const gateway = countingGateway(deps.gateway, () => (calls += 1));

  const run = await getRun(prisma, runId);
  if (!run) return { ok: false, code: 'RUN_NOT_FOUND', message: `there is no run ${runId}` };
  if (run.state !== 'uploading')
    return { ok: false, code: 'RUN_STATE', message: `run ${runId} is ${run.state}, not uploading` };
  const claim = await claimExecution(prisma, runId);
  if (!claim.ok) return { ok: false, code: claim.code, message: claim.message };
  try {
    return await executeClaimed(claim.execution);
  } finally {
    await claim.execution.end();
  }

  async function executeClaimed(execution: UploadExecution): Promise<UploadReport | RunRefusal> {
    /** set when a compare-and-set found a row moved on: another execution has the run */
    let lostTo: string | null = null;
    const lose = (op: LedgerOperation): string => {
      lostTo ??= `LEDGER_MOVED: ${op.key} was moved by another execution of run ${runId}; this one stops and sends nothing more`;
      return lostTo;
    };
    const ops = await loadRunOperations(prisma, runId);
    // Operations another run already did are skipped before anything is read: a second upload of
    // the same plan makes no Autotask call at all.
    const doneElsewhere = new Set(
      (
        await prisma.syncOperationRecord.findMany({
          where: { key: { in: ops.map((o) => o.key) }, status: 'done', runId: { not: runId } },
          select: { key: true },
        })
      ).map((r) => r.key),
    );
    for (const op of ops.filter((o) => o.status === 'planned' && doneElsewhere.has(o.key))) {
      if (await markSkipped(prisma, op, actor, 'already done by an earlier run')) op.status = 'skipped';
      else lose(op);
    }
    const pending = ops.filter((o) => PENDING.includes(o.status));
    const drift: UploadReport['drift'] = [];
    // Chains finish in any order; the report lists what waits as the sequential executor did: by
    // stage (before sending, each round, each round's give-up), then in plan order.
    const waitingNotes: { stage: number; seq: number; entry: UploadReport['waiting'][number] }[] = [];
    let stage = 0;
    const noteWait = (op: LedgerOperation, reason: string) =>
      waitingNotes.push({ stage, seq: op.seq, entry: { key: op.key, reason } });
    const wait = async (op: LedgerOperation, reason: string) => {
      await noteWaiting(prisma, op, reason);
      noteWait(op, reason);
    };
    const finish = async (): Promise<UploadReport | RunRefusal> => {
      const final = await loadRunOperations(prisma, runId);
      const counts = countStatuses(final);
      const complete = counts.planned + counts.sending + counts.failed === 0;
      const outcome = complete
        ? 'succeeded'
        : counts.done + counts.skipped > 0
          ? 'partially_failed'
          : 'failed';
      const finished = await finishUpload(prisma, runId, actor, {
        outcome,
        counts: { ...counts, calls },
        now: now(),
        executionId: execution.id,
      });
      if (!finished.ok) return finished;
      if (lostTo) return { ok: false, code: 'RUN_BUSY', message: lostTo };
      const waiting = waitingNotes.sort((a, b) => a.stage - b.stage || a.seq - b.seq).map((n) => n.entry);
      return { ok: true, runId, outcome, counts, calls, drift, waiting };
    };
    if (pending.length === 0 || lostTo) return finish();

    const customerIds = [...new Set(pending.map((o) => o.customerId))];
    const ledger = await loadPushed(prisma, customerIds);
    const lineIdByKey = new Map(ledger.knownLines.map((l) => [l.lineKey, l.contractServiceId]));
    const claimedIds = () => new Set(lineIdByKey.values());
    const remember = async (op: LedgerOperation, contractServiceId: number) => {
      lineIdByKey.set(op.lineKey, contractServiceId);
      await recordLine(prisma, {
        lineKey: op.lineKey,
        subscriptionId: op.subscriptionId,
        customerId: op.customerId,
        contractId: op.contractId,
        serviceId: op.serviceId,
        contractServiceId,
      });
    };

    /** Learns the ids of repeat lines this system opened (in any run) but could not name yet. */
    const attribute = async (view: AutotaskView) => {
      const done = await loadDoneAdjustments(prisma, customerIds);
      const byLine = new Map<string, LedgerOperation[]>();
      for (const op of done)
        if (!lineIdByKey.has(op.lineKey)) byLine.set(op.lineKey, [...(byLine.get(op.lineKey) ?? []), op]);
      const unrecorded: UnrecordedLine[] = [...byLine.entries()].map(([lineKey, list]) => ({
        lineKey,
        contractId: list[0]!.contractId,
        serviceId: list[0]!.serviceId,
        changes: list.map((o) => ({ effectiveDate: o.effectiveDate, unitChange: o.unitChange })),
        order: Number(list[0]!.id),
      }));
      if (unrecorded.length === 0) return;
      const found = attributeRepeatLines(unrecorded, view.lines, view.rows, claimedIds());
      for (const [lineKey, id] of found) await remember(byLine.get(lineKey)![0]!, id);
    };

    // One batched read of every line and every units row on the contracts this run touches, and on
    // the contracts of every line these subscriptions already have (all of them are drift-checked).
    const pendingSubscriptions = new Set(pending.map((o) => o.subscriptionId));
    const contractIds = [
      ...new Set([
        ...pending.map((o) => o.contractId),
        ...ledger.knownLines
          .filter((l) => pendingSubscriptions.has(l.subscriptionId))
          .map((l) => l.contractId),
      ]),
    ];
    const first = await readContracts(contractIds);
    if (!first.ok) {
      for (const op of pending) await wait(op, `AUTOTASK_READ_FAILED: ${first.message}`);
      return finish();
    }
    const autotask: AutotaskView = first.view;
    await attribute(autotask);

    // 1. Operations left `sending` (crash, timeout): did they reach Autotask?
    for (const op of pending.filter((o) => o.status === 'sending')) {
      const found = appliedInAutotask(op, autotask, lineIdByKey, claimedIds());
      if (found.applied) {
        if (
          !(await markOpDone(op, { contractServiceId: found.contractServiceId, how: 'found in Autotask' }))
        ) {
          lose(op);
          return finish();
        }
        if (found.contractServiceId !== null) lineIdByKey.set(op.lineKey, found.contractServiceId);
        op.status = 'done';
      }
    }

    // 2. Drift: each known line of a subscription we are about to touch must carry what the ledger says.
    const pushed = (await loadPushed(prisma, customerIds)).pushed;
    const blocked = new Map<string, string>();
    for (const subscriptionId of new Set(
      pending.filter((o) => o.status !== 'done').map((o) => o.subscriptionId),
    )) {
      const differences: {
        lineKey: string;
        contractServiceId: number;
        points: ReturnType<typeof findDrift>;
      }[] = [];
      for (const [lineKey, contractServiceId] of lineIdByKey) {
        if (!lineKey.startsWith(`${subscriptionId}|`)) continue;
        const rows = autotask.rows.filter((r) => r.contractServiceId === contractServiceId);
        const changes = pushed.filter((p) => p.kind === 'adjust' && p.lineKey === lineKey);
        const points = findDrift(rows, changes);
        if (points.length > 0) differences.push({ lineKey, contractServiceId, points });
      }
      if (differences.length === 0) continue;
      const message = `DRIFT: Autotask's units for subscription ${subscriptionId} differ from what this system pushed: ${differences
        .map((d) => `line ${d.contractServiceId}: ${describeDrift(d.points)}`)
        .join('; ')} — nothing is sent for it; find out who changed the line, undo it there, then retry`;
      blocked.set(subscriptionId, message);
      drift.push({ subscriptionId, message });
      await recordAudit(prisma, {
        actor,
        action: 'drift.detected',
        runId,
        customerId: pending.find((o) => o.subscriptionId === subscriptionId)!.customerId,
        outcome: 'failed',
        details: { subscriptionId, message, differences },
      });
    }

    // 3. Send, in plan order, in rounds: an operation on a repeat line whose id is not known yet
    //    (opened earlier in this run), or one that would open a repeat line before the service's
    //    base line exists, waits, with the rest of its subscription, for the next read.
    const holdsBack = (op: LedgerOperation): 'line' | 'base' | null =>
      needsUnknownRepeatLine(op, lineIdByKey)
        ? 'line'
        : opensBeforeBaseLine(op, autotask.lines)
          ? 'base'
          : null;
    let queue = pending.filter((o) => o.status !== 'done');
    for (let round = 1; queue.length > 0; round++) {
      stage = 2 * round - 1;
      const deferred: LedgerOperation[] = [];
      /** per deferred subscription, what its first deferred operation waits for */
      const heldBack = new Map<string, { op: LedgerOperation; waitsFor: 'line' | 'base' }>();
      /** a FATAL failure stops every chain: the rest of the round only notes why it waits */
      const stop: { fatal: string | null } = { fatal: null };
      await runLanes(
        independentChains(queue),
        inFlight,
        async (chain, stopped) => {
          // a subscription lies within one chain, so its deferral is the chain's own business
          const deferredSubscriptions = new Set<string>();
          for (const op of chain) {
            if (stopped.aborted) return;
            if (op.status === 'done' || op.status === 'skipped') continue;
            const reason = stop.fatal ?? blocked.get(op.subscriptionId);
            if (reason) {
              await wait(op, reason);
              continue;
            }
            const waitsFor = deferredSubscriptions.has(op.subscriptionId) ? null : holdsBack(op);
            if (deferredSubscriptions.has(op.subscriptionId) || waitsFor !== null) {
              if (waitsFor !== null) heldBack.set(op.subscriptionId, { op, waitsFor });
              deferred.push(op);
              deferredSubscriptions.add(op.subscriptionId);
              continue;
            }
            const outcome = await sendOne(op);
            if (outcome.kind === 'blocked')
              blocked.set(op.subscriptionId, `waits for ${op.key}: ${outcome.reason}`);
            else if (outcome.kind === 'fatal') stop.fatal = outcome.reason;
          }
        },
        deps.lanes,
      );
      deferred.sort((a, b) => a.seq - b.seq);
      stage = 2 * round;
      if (deferred.length === 0 || stop.fatal) break;
      const reread = await readContracts([...new Set(deferred.map((o) => o.contractId))]);
      if (reread.ok) {
        mergeView(autotask, reread.view);
        await attribute(autotask);
      }
      const progress = [...heldBack.values()].some(({ op }) => holdsBack(op) === null);
      if (!reread.ok || round >= MAX_ROUNDS || !progress) {
        // nothing learned: do not loop; a retry reads Autotask again
        for (const op of deferred) {
          const held = heldBack.get(op.subscriptionId);
          await wait(
            op,
            !reread.ok
              ? `AUTOTASK_READ_FAILED: ${reread.message}`
              : held?.waitsFor === 'base'
                ? `BASE_LINE_MISSING: contract ${held.op.contractId} has no line for service ${held.op.serviceId} yet, so no second (repeat) line can be opened for ${held.op.subscriptionId}; the subscription whose line comes first must be uploaded first — fix its failure, then retry the run`
                : 'LINE_UNKNOWN: the repeat line this change belongs to was not found in Autotask; retry the run',
          );
        }
        break;
      }
      queue = deferred;
    }
    return finish();

    async function readContracts(
      ids: readonly number[],
    ): Promise<{ ok: true; view: AutotaskView } | GatewayFailure> {
      const lines = await gateway.contractServices(ids);
      if (!lines.ok) return lines;
      const rows = await gateway.contractServiceUnits(ids);
      if (!rows.ok) return rows;
      return { ok: true, view: { lines: lines.value, rows: rows.value } };
    }

    async function sendOne(op: LedgerOperation): Promise<SendOutcome> {
      if (!execution.alive())
        return {
          kind: 'fatal',
          reason: `UPLOAD_EXECUTION_LOST: this execution lost the lock on its own row; it stops so that another may resume run ${runId}`,
        };
      const claim = await markSending(prisma, op, execution.id);
      if (!claim.ok) {
        // someone else has it: leave it to them, send nothing
        if ('moved' in claim) return { kind: 'fatal', reason: lose(op) };
        if (claim.heldBy.status === 'done') {
          if (!(await markSkipped(prisma, op, actor, `already done by run ${claim.heldBy.runId}`)))
            return { kind: 'fatal', reason: lose(op) };
          op.status = 'skipped';
          return { kind: 'skipped' };
        }
        const reason = `OPERATION_IN_FLIGHT: run ${claim.heldBy.runId} is sending ${op.key}; retry that run first`;
        await wait(op, reason);
        return { kind: 'blocked', reason };
      }
      op.status = 'sending';

      if (op.kind === 'create_line') {
        const existing = baseLine(autotask.lines, op.contractId, op.serviceId);
        if (existing !== null) {
          if (!(await markOpDone(op, { contractServiceId: existing, how: 'line already existed' })))
            return { kind: 'fatal', reason: lose(op) };
          lineIdByKey.set(op.lineKey, existing);
          op.status = 'done';
          return { kind: 'done' };
        }
      }

      let last: GatewayFailure | null = null;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const sent = await send(op);
        if (sent.ok) {
          if (!(await markOpDone(op, { contractServiceId: sent.contractServiceId, how: 'sent' })))
            return { kind: 'fatal', reason: lose(op) };
          if (sent.contractServiceId !== null) lineIdByKey.set(op.lineKey, sent.contractServiceId);
          op.status = 'done';
          return { kind: 'done' };
        }
        last = sent;
        if (sent.code === 'BUSINESS_RULE' || sent.code === 'FATAL') {
          const message = `${sent.code === 'BUSINESS_RULE' ? 'AUTOTASK_BUSINESS_RULE' : 'AUTOTASK_FAILED'}: ${sent.message}`;
          if (!(await markFailed(prisma, op, actor, message))) return { kind: 'fatal', reason: lose(op) };
          op.status = 'failed';
          noteWait(op, message);
          return sent.code === 'FATAL'
            ? { kind: 'fatal', reason: message }
            : { kind: 'blocked', reason: message };
        }
        if (sent.code === 'OUTCOME_UNKNOWN') {
          // Never re-send blindly: ask the units timeline whether it arrived.
          const reread = await readContracts([op.contractId]);
          if (!reread.ok) break; // cannot tell: leave it `sending`; a retry resolves it
          // only this service's part: the contract's other services belong to chains that may be
          // sending right now, and this read may predate what they just created
          mergeView(autotask, reread.view, { contractId: op.contractId, serviceId: op.serviceId });
          const found = appliedInAutotask(op, autotask, lineIdByKey, claimedIds());
          if (found.applied) {
            if (
              !(await markOpDone(op, {
                contractServiceId: found.contractServiceId,
                how: 'found in Autotask',
              }))
            )
              return { kind: 'fatal', reason: lose(op) };
            if (found.contractServiceId !== null) lineIdByKey.set(op.lineKey, found.contractServiceId);
            op.status = 'done';
            return { kind: 'done' };
          }
        }
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
      const reason = `${last?.code ?? 'UNKNOWN'}: ${last?.message ?? ''} (after ${maxAttempts} attempts)`;
      if (last?.code === 'NOT_SENT') {
        if (!(await markFailed(prisma, op, actor, `AUTOTASK_NOT_SENT: ${last.message}`)))
          return { kind: 'fatal', reason: lose(op) };
        op.status = 'failed';
        noteWait(op, reason);
      } else {
        await wait(op, 'OUTCOME_UNKNOWN: left sending; a retry reads Autotask and resolves it');
      }
      return { kind: 'blocked', reason };
    }

    async function send(
      op: LedgerOperation,
    ): Promise<{ ok: true; contractServiceId: number | null } | GatewayFailure> {
      if (op.kind === 'create_line') {
        const created = await gateway.createContractService({
          contractId: op.contractId,
          serviceId: op.serviceId,
          unitPrice: op.unitPrice,
        });
        if (!created.ok) return created;
        autotask.lines.push({
          contractServiceId: created.value.contractServiceId,
          contractId: op.contractId,
          serviceId: op.serviceId,
        });
        return { ok: true, contractServiceId: created.value.contractServiceId };
      }
      const line = op.line as LineMode;
      if (line.mode === 'repeat' && line.opens) {
        // Autotask makes the new line; its id is learned from the next batched read.
        const opened = await gateway.createAdjustment({
          contractId: op.contractId,
          serviceId: op.serviceId,
          allowRepeatService: true,
          adjustedUnitPrice: op.unitPrice,
          effectiveDate: op.effectiveDate,
          unitChange: op.unitChange,
        });
        return opened.ok ? { ok: true, contractServiceId: null } : opened;
      }
      const contractServiceId = lineIdFor(op, line);
      if (contractServiceId === null)
        return {
          ok: false,
          code: 'BUSINESS_RULE',
          message: `the line for ${op.lineKey} is not known (its creation is not done); nothing was sent`,
        };
      const adjusted = await gateway.createAdjustment({
        contractId: op.contractId,
        contractServiceId,
        effectiveDate: op.effectiveDate,
        unitChange: op.unitChange,
      });
      return adjusted.ok ? { ok: true, contractServiceId } : adjusted;
    }

    function lineIdFor(op: LedgerOperation, line: LineMode): number | null {
      if (line.mode === 'known') return line.contractServiceId;
      const recorded = lineIdByKey.get(op.lineKey);
      if (recorded !== undefined) return recorded;
      if (line.mode === 'base')
        return line.contractServiceId ?? baseLine(autotask.lines, op.contractId, op.serviceId);
      return null;
    }
  }
}

function needsUnknownRepeatLine(op: LedgerOperation, lineIdByKey: ReadonlyMap<string, number>): boolean {
  const line = op.line as LineMode;
  return op.kind === 'adjust' && line.mode === 'repeat' && !line.opens && !lineIdByKey.has(op.lineKey);
}

/**
 * Opening a repeat line needs the service's base line on the contract first: otherwise the repeat
 * becomes the service's first line and the base line's creation is refused (serviceAlreadyOnContract).
 */
function opensBeforeBaseLine(op: LedgerOperation, lines: readonly GatewayLine[]): boolean {
  const line = op.line as LineMode;
  return (
    op.kind === 'adjust' &&
    line.mode === 'repeat' &&
    line.opens &&
    baseLine(lines, op.contractId, op.serviceId) === null
  );
}

/** Replaces what the view holds of the contracts read (or, given `only`, of that one service). */
function mergeView(
  into: AutotaskView,
  fresh: AutotaskView,
  only?: { contractId: number; serviceId: number },
): void {
  const contracts = new Set([
    ...fresh.lines.map((l) => l.contractId),
    ...fresh.rows.map((r) => r.contractId),
  ]);
  const replaced = (x: { contractId: number; serviceId: number }) =>
    contracts.has(x.contractId) &&
    (!only || (x.contractId === only.contractId && x.serviceId === only.serviceId));
  into.lines = [...into.lines.filter((l) => !replaced(l)), ...fresh.lines.filter(replaced)];
  into.rows = [...into.rows.filter((r) => !replaced(r)), ...fresh.rows.filter(replaced)];
}

/** Did this operation reach Autotask? Judged from the lines and the units timeline. */
export function appliedInAutotask(
  op: LedgerOperation,
  autotask: { lines: readonly GatewayLine[]; rows: readonly GatewayUnitsRow[] },
  lineIdByKey: ReadonlyMap<string, number>,
  claimedIds: ReadonlySet<number>,
): { applied: true; contractServiceId: number | null } | { applied: false } {
  if (op.kind === 'create_line') {
    const id = baseLine(autotask.lines, op.contractId, op.serviceId);
    return id === null ? { applied: false } : { applied: true, contractServiceId: id };
  }
  const line = op.line as LineMode;
  const rowsOf = (id: number) => autotask.rows.filter((r) => r.contractServiceId === id);
  if (line.mode === 'repeat' && line.opens && !lineIdByKey.has(op.lineKey)) {
    // the line it would have created: unclaimed, starting on this date with exactly this change
    const id = autotask.lines
      .filter(
        (l) =>
          l.contractId === op.contractId &&
          l.serviceId === op.serviceId &&
          !claimedIds.has(l.contractServiceId),
      )
      .map((l) => l.contractServiceId)
      .sort((a, b) => a - b)
      .find((c) => lineCarries(rowsOf(c), [{ effectiveDate: op.effectiveDate, unitChange: op.unitChange }]));
    return id === undefined ? { applied: false } : { applied: true, contractServiceId: id };
  }
  const id =
    line.mode === 'known'
      ? line.contractServiceId
      : (lineIdByKey.get(op.lineKey) ??
        (line.mode === 'base'
          ? (line.contractServiceId ?? baseLine(autotask.lines, op.contractId, op.serviceId))
          : null));
  if (id === null) return { applied: false };
  return (unitsInForce(rowsOf(id), op.effectiveDate) ?? 0) === op.unitsAfter
    ? { applied: true, contractServiceId: id }
    : { applied: false };
}

/** The line for a service on a contract: the oldest one (repeat lines come later). */
function baseLine(lines: readonly GatewayLine[], contractId: number, serviceId: number): number | null {
  const ids = lines
    .filter((l) => l.contractId === contractId && l.serviceId === serviceId)
    .map((l) => l.contractServiceId);
  return ids.length === 0 ? null : Math.min(...ids);
}

function countStatuses(ops: readonly LedgerOperation[]): Record<LedgerStatus, number> {
  const counts: Record<LedgerStatus, number> = { planned: 0, sending: 0, done: 0, failed: 0, skipped: 0 };
  for (const op of ops) counts[op.status] += 1;
  return counts;
}

function countingGateway(gateway: AutotaskGateway, count: () => void): AutotaskGateway {
  return {
    contractServices: (ids) => (count(), gateway.contractServices(ids)),
    contractServiceUnits: (ids) => (count(), gateway.contractServiceUnits(ids)),
    createContractService: (r) => (count(), gateway.createContractService(r)),
    createAdjustment: (r) => (count(), gateway.createAdjustment(r)),
  };
}
