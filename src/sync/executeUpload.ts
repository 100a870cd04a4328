// The upload job body: sends a run's operations to Autotask exactly once.
//
// - The ledger row is written before (sending) and after (done | failed) every call.
// - Operations left `sending` by a crash or an unknown outcome are resolved from the units
//   timeline: done if the units in force on the date already equal the target, else sent again.
// - Before sending, each subscription's known lines are compared with the ledger; a difference is
//   DRIFT: nothing is sent for that subscription and an audit record says what differs.
// - A business-rule refusal fails that operation; later operations of the same subscription wait,
//   other subscriptions go on. A re-attempt sends only what is not done.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { AutotaskGateway, GatewayFailure, GatewayLine, GatewayUnitsRow } from './autotaskGateway.js';
import {
  loadPushed,
  loadRunOperations,
  markDone,
  markFailed,
  markSending,
  markSkipped,
  noteWaiting,
  type LedgerOperation,
  type LedgerStatus,
} from './operationLedger.js';
import { finishUpload, getRun, type RunRefusal } from './runStore.js';
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

const PENDING: readonly LedgerStatus[] = ['planned', 'sending', 'failed'];

export async function executeUpload(
  deps: UploadDependencies,
  runId: string,
): Promise<UploadReport | RunRefusal> {
  const { prisma, actor } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = deps.maxAttempts ?? 5;
  const backoffMs = deps.backoffMs ?? 500;
  let calls = 0;
  const gateway = countingGateway(deps.gateway, () => (calls += 1));

  const run = await getRun(prisma, runId);
  if (!run) return { ok: false, code: 'RUN_NOT_FOUND', message: `there is no run ${runId}` };
  if (run.state !== 'uploading')
    return { ok: false, code: 'RUN_STATE', message: `run ${runId} is ${run.state}, not uploading` };

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
    await markSkipped(prisma, op, actor, 'already done by an earlier run');
    op.status = 'skipped';
  }
  const pending = ops.filter((o) => PENDING.includes(o.status));
  const drift: UploadReport['drift'] = [];
  const waiting: UploadReport['waiting'] = [];
  const finish = async (): Promise<UploadReport> => {
    const final = await loadRunOperations(prisma, runId);
    const counts = countStatuses(final);
    const complete = counts.planned + counts.sending + counts.failed === 0;
    const outcome = complete ? 'succeeded' : counts.done + counts.skipped > 0 ? 'partially_failed' : 'failed';
    await finishUpload(prisma, runId, actor, { outcome, counts: { ...counts, calls }, now: now() });
    return { ok: true, runId, outcome, counts, calls, drift, waiting };
  };
  if (pending.length === 0) return finish();

  // One batched read of every line and every units row on the contracts this run touches.
  const contractIds = [...new Set(pending.map((o) => o.contractId))];
  const [linesRead, unitsRead] = [
    await gateway.contractServices(contractIds),
    await gateway.contractServiceUnits(contractIds),
  ];
  if (!linesRead.ok || !unitsRead.ok) {
    const failure = (!linesRead.ok ? linesRead : unitsRead) as GatewayFailure;
    for (const op of pending) {
      await noteWaiting(prisma, op, `AUTOTASK_READ_FAILED: ${failure.message}`);
      waiting.push({ key: op.key, reason: failure.message });
    }
    return finish();
  }
  const autotask = { lines: linesRead.value, rows: unitsRead.value };
  const customerIds = [...new Set(pending.map((o) => o.customerId))];
  let ledger = await loadPushed(prisma, customerIds);
  const lineIdByKey = new Map(ledger.knownLines.map((l) => [l.lineKey, l.contractServiceId]));
  const knownIds = () => new Set(lineIdByKey.values());
  const remember = (op: LedgerOperation, contractServiceId: number | null) => {
    if (contractServiceId !== null) lineIdByKey.set(op.lineKey, contractServiceId);
  };

  // 1. Operations left `sending` (crash, timeout): did they reach Autotask?
  for (const op of pending.filter((o) => o.status === 'sending')) {
    const found = appliedInAutotask(op, autotask, lineIdByKey, knownIds());
    if (found.applied) {
      await markDone(prisma, op, actor, {
        contractServiceId: found.contractServiceId,
        how: 'found in Autotask',
      });
      remember(op, found.contractServiceId);
      op.status = 'done';
    }
  }

  // 2. Drift: each known line of a subscription we are about to touch must carry what the ledger says.
  ledger = await loadPushed(prisma, customerIds);
  const blocked = new Map<string, string>();
  for (const subscriptionId of new Set(
    pending.filter((o) => o.status !== 'done').map((o) => o.subscriptionId),
  )) {
    const differences: {
      lineKey: string;
      contractServiceId: number;
      points: ReturnType<typeof findDrift>;
    }[] = [];
    for (const line of ledger.knownLines.filter((l) => l.subscriptionId === subscriptionId)) {
      const rows = autotask.rows.filter((r) => r.contractServiceId === line.contractServiceId);
      const changes = ledger.pushed.filter((p) => p.kind === 'adjust' && p.lineKey === line.lineKey);
      const points = findDrift(rows, changes);
      if (points.length > 0)
        differences.push({ lineKey: line.lineKey, contractServiceId: line.contractServiceId, points });
    }
    if (differences.length === 0) continue;
    const message = `DRIFT: Autotask's units for subscription ${subscriptionId} differ from what this system pushed: ${differences
      .map((d) => `line ${d.contractServiceId}: ${describeDrift(d.points)}`)
      .join('; ')} — nothing is sent for it; find out who changed the line, undo it there, then retry`;
    blocked.set(subscriptionId, message);
    drift.push({ subscriptionId, message });
    const customerId = pending.find((o) => o.subscriptionId === subscriptionId)!.customerId;
    await recordAudit(prisma, {
      actor,
      action: 'drift.detected',
      runId,
      customerId,
      outcome: 'failed',
      details: { subscriptionId, message, differences },
    });
  }

  // 3. Send, in plan order.
  for (const op of pending) {
    if (op.status === 'done') continue;
    const reason = blocked.get(op.subscriptionId);
    if (reason) {
      await noteWaiting(prisma, op, reason);
      waiting.push({ key: op.key, reason });
      continue;
    }
    const outcome = await sendOne(op);
    if (outcome.kind === 'blocked') {
      blocked.set(op.subscriptionId, `waits for ${op.key}: ${outcome.reason}`);
    } else if (outcome.kind === 'fatal') {
      for (const rest of pending.filter((o) => o.status !== 'done' && o.id > op.id))
        await noteWaiting(prisma, rest, outcome.reason);
      break;
    }
  }
  return finish();

  async function sendOne(op: LedgerOperation): Promise<SendOutcome> {
    const claim = await markSending(prisma, op);
    if (!claim.ok) {
      if (claim.heldBy.status === 'done') {
        await markSkipped(prisma, op, actor, `already done by run ${claim.heldBy.runId}`);
        op.status = 'skipped';
        return { kind: 'skipped' };
      }
      const reason = `OPERATION_IN_FLIGHT: run ${claim.heldBy.runId} is sending ${op.key}; retry that run first`;
      await noteWaiting(prisma, op, reason);
      waiting.push({ key: op.key, reason });
      return { kind: 'blocked', reason };
    }
    op.status = 'sending';

    if (op.kind === 'create_line') {
      const existing = baseLine(autotask.lines, op.contractId, op.serviceId);
      if (existing !== null) {
        await markDone(prisma, op, actor, { contractServiceId: existing, how: 'line already existed' });
        remember(op, existing);
        op.status = 'done';
        return { kind: 'done' };
      }
    }

    let last: GatewayFailure | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const sent = await send(op);
      if (sent.ok) {
        await markDone(prisma, op, actor, { contractServiceId: sent.contractServiceId, how: 'sent' });
        remember(op, sent.contractServiceId);
        op.status = 'done';
        return { kind: 'done' };
      }
      last = sent;
      if (sent.code === 'BUSINESS_RULE' || sent.code === 'FATAL') {
        const message = `${sent.code === 'BUSINESS_RULE' ? 'AUTOTASK_BUSINESS_RULE' : 'AUTOTASK_FAILED'}: ${sent.message}`;
        await markFailed(prisma, op, actor, message);
        op.status = 'failed';
        waiting.push({ key: op.key, reason: message });
        return sent.code === 'FATAL'
          ? { kind: 'fatal', reason: message }
          : { kind: 'blocked', reason: message };
      }
      if (sent.code === 'OUTCOME_UNKNOWN') {
        // Never re-send blindly: ask the units timeline whether it arrived.
        const reread = await rereadContract(op.contractId);
        if (reread) {
          const found = appliedInAutotask(op, reread, lineIdByKey, knownIds());
          if (found.applied) {
            await markDone(prisma, op, actor, {
              contractServiceId: found.contractServiceId,
              how: 'found in Autotask',
            });
            remember(op, found.contractServiceId);
            op.status = 'done';
            return { kind: 'done' };
          }
        } else {
          break; // cannot tell: leave it `sending`; a retry resolves it
        }
      }
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
    const reason = `${last?.code ?? 'UNKNOWN'}: ${last?.message ?? ''} (after ${maxAttempts} attempts)`;
    if (last?.code === 'NOT_SENT') {
      await markFailed(prisma, op, actor, `AUTOTASK_NOT_SENT: ${last.message}`);
      op.status = 'failed';
    } else {
      await noteWaiting(prisma, op, `OUTCOME_UNKNOWN: left sending; a retry reads Autotask and resolves it`);
    }
    waiting.push({ key: op.key, reason });
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
      const before = knownIds();
      const opened = await gateway.createAdjustment({
        contractId: op.contractId,
        serviceId: op.serviceId,
        allowRepeatService: true,
        adjustedUnitPrice: op.unitPrice,
        effectiveDate: op.effectiveDate,
        unitChange: op.unitChange,
      });
      if (!opened.ok) return opened;
      // Find the new line's id now, so later operations and drift checks can address it.
      const lines = await gateway.contractServices([op.contractId]);
      const id = lines.ok ? newestUnknownLine(lines.value, op, before) : null;
      return { ok: true, contractServiceId: id };
    }
    const contractServiceId = await lineIdFor(op, line);
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

  async function lineIdFor(op: LedgerOperation, line: LineMode): Promise<number | null> {
    if (line.mode === 'known') return line.contractServiceId;
    const recorded = lineIdByKey.get(op.lineKey);
    if (recorded !== undefined) return recorded;
    if (line.mode === 'base')
      return line.contractServiceId ?? baseLine(autotask.lines, op.contractId, op.serviceId);
    const lines = await gateway.contractServices([op.contractId]);
    return lines.ok ? newestUnknownLine(lines.value, op, knownIds()) : null;
  }

  async function rereadContract(
    contractId: number,
  ): Promise<{ lines: GatewayLine[]; rows: GatewayUnitsRow[] } | null> {
    const lines = await gateway.contractServices([contractId]);
    const rows = await gateway.contractServiceUnits([contractId]);
    if (!lines.ok || !rows.ok) return null;
    autotask.lines = [...autotask.lines.filter((l) => l.contractId !== contractId), ...lines.value];
    autotask.rows = [...autotask.rows.filter((r) => r.contractId !== contractId), ...rows.value];
    return { lines: lines.value, rows: rows.value };
  }
}

/** Did this operation reach Autotask? Judged from the lines and the units timeline. */
export function appliedInAutotask(
  op: LedgerOperation,
  autotask: { lines: readonly GatewayLine[]; rows: readonly GatewayUnitsRow[] },
  lineIdByKey: ReadonlyMap<string, number>,
  knownIds: ReadonlySet<number>,
): { applied: true; contractServiceId: number | null } | { applied: false } {
  if (op.kind === 'create_line') {
    const id = baseLine(autotask.lines, op.contractId, op.serviceId);
    return id === null ? { applied: false } : { applied: true, contractServiceId: id };
  }
  const line = op.line as LineMode;
  const inForce = (id: number) =>
    unitsInForce(
      autotask.rows.filter((r) => r.contractServiceId === id),
      op.effectiveDate,
    );
  let candidates: number[];
  if (line.mode === 'known') candidates = [line.contractServiceId];
  else if (lineIdByKey.has(op.lineKey)) candidates = [lineIdByKey.get(op.lineKey)!];
  else if (line.mode === 'base') {
    const id = line.contractServiceId ?? baseLine(autotask.lines, op.contractId, op.serviceId);
    candidates = id === null ? [] : [id];
  } else
    candidates = autotask.lines
      .filter(
        (l) =>
          l.contractId === op.contractId &&
          l.serviceId === op.serviceId &&
          !knownIds.has(l.contractServiceId),
      )
      .map((l) => l.contractServiceId)
      .sort((a, b) => b - a);
  const match = candidates.find((id) => (inForce(id) ?? 0) === op.unitsAfter);
  return match === undefined ? { applied: false } : { applied: true, contractServiceId: match };
}

/** The line for a service on a contract: the oldest one (repeat lines come later). */
function baseLine(lines: readonly GatewayLine[], contractId: number, serviceId: number): number | null {
  const ids = lines
    .filter((l) => l.contractId === contractId && l.serviceId === serviceId)
    .map((l) => l.contractServiceId);
  return ids.length === 0 ? null : Math.min(...ids);
}

/** Uploads to one Autotask database run one at a time, so the newest line we don't know is ours. */
function newestUnknownLine(
  lines: readonly GatewayLine[],
  op: LedgerOperation,
  known: ReadonlySet<number>,
): number | null {
  const base = baseLine(lines, op.contractId, op.serviceId);
  const ids = lines
    .filter(
      (l) =>
        l.contractId === op.contractId &&
        l.serviceId === op.serviceId &&
        !known.has(l.contractServiceId) &&
        l.contractServiceId !== base,
    )
    .map((l) => l.contractServiceId);
  return ids.length === 0 ? null : Math.max(...ids);
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
