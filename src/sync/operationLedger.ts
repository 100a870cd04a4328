// The operation ledger: every operation of a run is a row, planned → sending → done | failed
// (skipped: another run already did it). Rows move before and after each Autotask call, and the
// database lets only one row per key be sending or done — a done operation is never sent again.
// Every move is a compare-and-set from the status the caller read (`… WHERE status = <expected>`):
// a move that finds the row elsewhere changes nothing and says so, and the caller leaves that
// operation to whoever moved it.
import { Prisma } from '../db/generated/prisma/client.js';
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import { ProblemSchema, type Problem } from '../core/problem.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { HandEditSchema, type HandEdit, type KnownLine, type PushedOperation } from './syncInputs.js';
import { LineModeSchema, type LineMode, type OperationCommon, type SyncOperation } from './syncOperation.js';
import { databaseRefusal, SQLSTATE } from '../db/databaseRefusal.js';

const LedgerStatusSchema = z.enum(['planned', 'sending', 'done', 'failed', 'skipped']);
export type LedgerStatus = z.infer<typeof LedgerStatusSchema>;
const OperationKindSchema = z.enum(['create_line', 'adjust']);

/** An operation as its ledger row holds it: the price a decimal string, the cycle as stored. */
export interface LedgerOperation extends Omit<OperationCommon, 'unitPrice' | 'billingCycle'> {
  id: bigint;
  runId: string;
  seq: number;
  kind: z.infer<typeof OperationKindSchema>;
  unitChange: number;
  unitsAfter: number;
  unitPrice: string;
  billingCycle: string;
  /** how an adjustment reaches its line; null for a create_line */
  line: LineMode | null;
  /** a correction: the hand edits on its line it adopts (docs/drift-watch.md); else null */
  adopts?: HandEdit[] | null;
  status: LedgerStatus;
  attempts: number;
  /** why it is not done (failed, waiting, skipped) */
  problem: Problem | null;
  contractServiceId: number | null;
}

type Row = Awaited<ReturnType<Db['syncOperationRecord']['findFirstOrThrow']>>;

function toOperation(row: Row): LedgerOperation {
  return {
    ...row,
    kind: OperationKindSchema.parse(row.kind),
    status: LedgerStatusSchema.parse(row.status),
    unitPrice: row.unitPrice.toFixed(),
    line: row.kind === 'adjust' ? LineModeSchema.parse(row.line) : null,
    adopts: storedAdopts(row.adopts),
    problem: storedProblem(row.problem),
  };
}

const storedAdopts = (json: Prisma.JsonValue | null): HandEdit[] | null =>
  json === null ? null : z.array(HandEditSchema).parse(json);

/** The problem column as stored (JSON), checked. */
export function storedProblem(json: Prisma.JsonValue | null): Problem | null {
  return json === null ? null : ProblemSchema.parse(json);
}

export async function loadRunOperations(db: Db, runId: string): Promise<LedgerOperation[]> {
  const rows = await db.syncOperationRecord.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
  return rows.map(toOperation);
}

/**
 * The keys among these that another run has done: a second upload of the same plan skips them
 * before anything is read.
 */
export async function loadKeysDoneElsewhere(
  db: Db,
  runId: string,
  keys: readonly string[],
): Promise<Set<string>> {
  const rows = await db.syncOperationRecord.findMany({
    where: { key: { in: [...keys] }, status: 'done', runId: { not: runId } },
    select: { key: true },
  });
  return new Set(rows.map((r) => r.key));
}

/** Done adjustments of these customers, by any run, in the order they were confirmed. */
export async function loadDoneAdjustments(
  db: Db,
  customerIds: readonly string[],
): Promise<LedgerOperation[]> {
  const rows = await db.syncOperationRecord.findMany({
    where: { customerId: { in: [...customerIds] }, status: 'done', kind: 'adjust' },
    orderBy: [{ finishedAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toOperation);
}

/** What was pushed for these customers, by any run: the encoder's and the drift check's input. */
export async function loadPushed(
  db: Db,
  customerIds: readonly string[],
): Promise<{
  pushed: PushedOperation[];
  knownLines: (KnownLine & { subscriptionId: string; customerId: string; contractId: number })[];
}> {
  const [done, lines] = await Promise.all([
    db.syncOperationRecord.findMany({
      where: { customerId: { in: [...customerIds] }, status: 'done' },
      orderBy: [{ effectiveDate: 'asc' }, { id: 'asc' }],
    }),
    db.syncLine.findMany({ where: { customerId: { in: [...customerIds] } } }),
  ]);
  return {
    pushed: done.map((r) => ({
      key: r.key,
      subscriptionId: r.subscriptionId,
      lineKey: r.lineKey,
      kind: OperationKindSchema.parse(r.kind),
      effectiveDate: r.effectiveDate,
      unitChange: r.unitChange,
      ...(r.adopts === null ? {} : { adopts: storedAdopts(r.adopts)! }),
    })),
    knownLines: lines.map((l) => ({
      lineKey: l.lineKey,
      contractServiceId: l.contractServiceId,
      subscriptionId: l.subscriptionId,
      contractId: l.contractId,
      customerId: l.customerId,
    })),
  };
}

/**
 * Stores a validated plan's operations as planned rows, in plan order. Plain SQL over column
 * arrays (as insertEvents): Prisma's createMany took two seconds for the 2,344 operations of the
 * benchmark partner, this a few milliseconds.
 */
export async function insertPlannedOperations(
  tx: Db,
  runId: string,
  operations: readonly SyncOperation[],
): Promise<void> {
  if (operations.length === 0) return;
  // one JSON parameter rather than an array per column: the client hands over a single string
  // instead of walking 15 arrays of 7,000 values (docs/quality.md "Validation compute")
  const rows = JSON.stringify(
    operations.map((op) => ({
      key: op.key,
      kind: op.kind,
      c: op.customerId,
      s: op.subscriptionId,
      p: op.productName,
      lk: op.lineKey,
      ct: op.contractId,
      sv: op.serviceId,
      d: op.effectiveDate,
      uc: op.kind === 'adjust' ? op.unitChange : 0,
      ua: op.kind === 'adjust' ? op.unitsAfter : 0,
      up: op.unitPrice.toFixed(),
      bc: op.billingCycle,
      line: op.kind === 'adjust' ? op.line : {},
      adopts: op.kind === 'adjust' && op.adopts ? op.adopts : null,
    })),
  );
  await tx.$executeRaw`
    INSERT INTO sync_operations (run_id, seq, key, kind, customer_id, subscription_id, product_name,
      line_key, contract_id, service_id, effective_date, unit_change, units_after, unit_price,
      billing_cycle, line, adopts)
    SELECT ${runId}, v.n - 1, v.key, v.kind, v.c, v.s, v.p, v.lk, v.ct, v.sv, v.d, v.uc, v.ua, v.up, v.bc, v.line,
      v.adopts
    FROM ROWS FROM (jsonb_to_recordset(${rows}::jsonb) AS (key text, kind text, c text, s text, p text,
      lk text, ct int, sv int, d text, uc int, ua int, up numeric, bc text, line jsonb, adopts jsonb))
      WITH ORDINALITY AS v(key, kind, c, s, p, lk, ct, sv, d, uc, ua, up, bc, line, adopts, n)`;
}

export type SendingClaim =
  | { ok: true }
  | { ok: false; heldBy: { runId: string; status: 'sending' | 'done' } }
  /** the row was no longer in the status read, or the run is no longer this execution's */
  | { ok: false; moved: true };

/** A compare-and-set that found the row moved on: the transaction is rolled back. */
class LostMove extends Error {
  constructor() {
    super('LEDGER_MOVED: the operation is no longer in the status it was read in');
  }
}

/**
 * planned/failed (or, resuming, sending) → sending, written before the call, from the status the
 * executor read and only while the run is still this execution's. Refused if any run has the key
 * sending or done.
 */
export async function markSending(
  prisma: PrismaClient,
  op: LedgerOperation,
  executionId: string,
): Promise<SendingClaim> {
  try {
    const moved = await prisma.syncOperationRecord.updateMany({
      where: { id: op.id, status: op.status, run: { is: { executionId } } },
      data: { status: 'sending', attempts: { increment: 1 }, sentAt: new Date(), problem: Prisma.DbNull },
    });
    return moved.count === 1 ? { ok: true } : { ok: false, moved: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const holder = await prisma.syncOperationRecord.findFirst({
      where: { key: op.key, status: { in: ['sending', 'done'] } },
    });
    if (!holder) throw error;
    return {
      ok: false,
      heldBy: { runId: holder.runId, status: holder.status === 'done' ? 'done' : 'sending' },
    };
  }
}

/** Moves a row from `from` in a transaction; throws LostMove (rolling it back) when it moved on. */
async function moveFrom(
  tx: Db,
  op: LedgerOperation,
  from: LedgerStatus,
  data: Parameters<Db['syncOperationRecord']['updateMany']>[0]['data'],
): Promise<void> {
  const moved = await tx.syncOperationRecord.updateMany({ where: { id: op.id, status: from }, data });
  if (moved.count !== 1) throw new LostMove();
}

/** Runs a ledger transaction; false when its compare-and-set found the row moved on. */
async function unlessMoved(prisma: PrismaClient, work: (tx: Db) => Promise<void>): Promise<boolean> {
  try {
    await prisma.$transaction(work);
    return true;
  } catch (error) {
    if (error instanceof LostMove) return false;
    throw error;
  }
}

export interface LineRecord {
  lineKey: string;
  subscriptionId: string;
  customerId: string;
  contractId: number;
  serviceId: number;
  contractServiceId: number;
}

export async function recordLine(db: Db, line: LineRecord): Promise<void> {
  await db.syncLine.upsert({
    where: { lineKey: line.lineKey },
    create: line,
    update: { contractServiceId: line.contractServiceId },
  });
}

/** sending → done, with the line it reached, audited in the same transaction; false if it had moved on. */
export async function markDone(
  prisma: PrismaClient,
  op: LedgerOperation,
  actor: Actor,
  result: { contractServiceId: number | null; how: 'sent' | 'found in Autotask' | 'line already existed' },
  /** more writes for the same transaction (the mapping part locks the mapping the line was sent under) */
  within?: (tx: Db, op: LedgerOperation) => Promise<void>,
): Promise<boolean> {
  return unlessMoved(prisma, async (tx) => {
    await within?.(tx, op);
    await moveFrom(tx, op, 'sending', {
      status: 'done',
      finishedAt: new Date(),
      contractServiceId: result.contractServiceId,
      problem: Prisma.DbNull,
    });
    if (result.contractServiceId !== null)
      await recordLine(tx, {
        lineKey: op.lineKey,
        subscriptionId: op.subscriptionId,
        customerId: op.customerId,
        contractId: op.contractId,
        serviceId: op.serviceId,
        contractServiceId: result.contractServiceId,
      });
    await recordAudit(tx, {
      actor,
      action: 'operation.done',
      runId: op.runId,
      customerId: op.customerId,
      details: describeForAudit(op, { how: result.how, contractServiceId: result.contractServiceId }),
    });
  });
}

/**
 * sending → failed with Autotask's (or our) message, audited; false if it had moved on. A failed
 * operation may be sent again later.
 */
export async function markFailed(
  prisma: PrismaClient,
  op: LedgerOperation,
  actor: Actor,
  failure: Problem,
): Promise<boolean> {
  return unlessMoved(prisma, async (tx) => {
    await moveFrom(tx, op, 'sending', { status: 'failed', finishedAt: new Date(), problem: failure });
    await recordAudit(tx, {
      actor,
      action: 'operation.failed',
      runId: op.runId,
      customerId: op.customerId,
      outcome: 'failed',
      details: describeForAudit(op, { problem: failure }),
    });
  });
}

/**
 * (the status it was read in) → skipped: another run already did it, so this one never sends it;
 * false if it had moved on.
 */
export async function markSkipped(
  prisma: PrismaClient,
  op: LedgerOperation,
  actor: Actor,
  reason: Problem,
): Promise<boolean> {
  return unlessMoved(prisma, async (tx) => {
    await moveFrom(tx, op, op.status, { status: 'skipped', finishedAt: new Date(), problem: reason });
    await recordAudit(tx, {
      actor,
      action: 'operation.skipped',
      runId: op.runId,
      customerId: op.customerId,
      details: describeForAudit(op, { problem: reason }),
    });
  });
}

/** Notes why an operation waits (earlier failure, drift) without changing its status — if it still has it. */
export async function noteWaiting(db: Db, op: LedgerOperation, reason: Problem): Promise<void> {
  await db.syncOperationRecord.updateMany({
    where: { id: op.id, status: op.status },
    data: { problem: reason },
  });
}

function describeForAudit(op: LedgerOperation, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    key: op.key,
    kind: op.kind,
    subscriptionId: op.subscriptionId,
    contractId: op.contractId,
    serviceId: op.serviceId,
    effectiveDate: op.effectiveDate,
    unitChange: op.unitChange,
    ...(op.adopts ? { adopts: op.adopts } : {}),
    ...extra,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return databaseRefusal(error)?.sqlState === SQLSTATE.uniqueViolation;
}
