// What one execution of an upload knows while it runs: the Autotask view it read, the line ids it
// learned, why operations wait, and whether another execution took the run over. The phases
// (skipDoneElsewhere, resolveSending, checkDrift, sendRounds) share it.
import type { Actor } from '../../audit/actor.js';
import { KeyedSemaphore } from '../../concurrency/keyedSemaphore.js';
import { formatProblem, type Problem } from '../../core/problem.js';
import type { Db, PrismaClient } from '../../db/prismaClient.js';
import type { AutotaskGateway } from '../autotaskGateway.js';
import {
  loadDoneAdjustments,
  markDone,
  noteWaiting,
  recordLine,
  type LedgerOperation,
} from '../operationLedger.js';
import { operationProblem, type OperationProblem } from '../operationProblem.js';
import { attributeRepeatLines, type UnrecordedLine } from '../repeatLineAttribution.js';
import type { UploadExecution } from '../uploadExecution.js';
import { countingGateway, type AutotaskView } from './autotaskView.js';

export interface UploadSessionDependencies {
  prisma: PrismaClient;
  gateway: AutotaskGateway;
  actor: Actor;
  /** runs inside the transaction that marks an operation done (recordUploadUnderMapping) */
  onOperationDone?: (tx: Db, op: LedgerOperation) => Promise<void>;
}

export type DoneHow = 'sent' | 'found in Autotask' | 'line already existed';

export class UploadSession {
  readonly prisma: PrismaClient;
  readonly actor: Actor;
  /** counts every call: the report's `calls` */
  readonly gateway: AutotaskGateway;
  calls = 0;
  /** the lines and units rows read so far */
  view: AutotaskView = { lines: [], rows: [] };
  /** the Autotask line of each line key, as far as known */
  readonly lineIdByKey = new Map<string, number>();
  /** the customers whose operations this execution sends */
  customerIds: string[] = [];
  /** per subscription: why its remaining operations wait */
  readonly blocked = new Map<string, Problem>();
  readonly drift: { subscriptionId: string; message: string }[] = [];
  /** set when a compare-and-set found a row moved on: another execution has the run */
  lostTo: OperationProblem | null = null;
  /**
   * Chains finish in any order; the report lists what waits as the sequential executor did: by
   * stage (before sending, each round, each round's give-up), then in plan order.
   */
  stage = 0;
  private readonly notes: { stage: number; seq: number; key: string; reason: Problem }[] = [];
  /**
   * The mapping lock (onOperationDone) reads, then creates a customer's contract mapping: two of
   * its transactions for one customer at once would both create it. One at a time per customer.
   */
  private readonly doneWrites = new KeyedSemaphore(1);
  private readonly onOperationDone: UploadSessionDependencies['onOperationDone'];

  constructor(
    deps: UploadSessionDependencies,
    readonly runId: string,
    readonly execution: UploadExecution,
  ) {
    this.prisma = deps.prisma;
    this.actor = deps.actor;
    this.onOperationDone = deps.onOperationDone;
    this.gateway = countingGateway(deps.gateway, () => (this.calls += 1));
  }

  /** Notes that another execution moved `op`: this one sends nothing more. */
  lose(op: LedgerOperation): OperationProblem {
    this.lostTo ??= operationProblem(
      'LEDGER_MOVED',
      `${op.key} was moved by another execution of run ${this.runId}; this one stops and sends nothing more`,
    );
    return this.lostTo;
  }

  /** Lists why `op` waits in the report (its row already says so). */
  noteWait(op: LedgerOperation, reason: Problem): void {
    this.notes.push({ stage: this.stage, seq: op.seq, key: op.key, reason });
  }

  /** Records on the row and in the report why `op` waits. */
  async wait(op: LedgerOperation, reason: Problem): Promise<void> {
    await noteWaiting(this.prisma, op, reason);
    this.noteWait(op, reason);
  }

  waiting(): { key: string; reason: string }[] {
    return [...this.notes]
      .sort((a, b) => a.stage - b.stage || a.seq - b.seq)
      .map((n) => ({ key: n.key, reason: formatProblem(n.reason) }));
  }

  claimedIds(): Set<number> {
    return new Set(this.lineIdByKey.values());
  }

  /**
   * sending → done: the ledger row (with its line, audited) and what this execution knows. False
   * when the row had moved on; the caller then stops (`lose`).
   */
  async confirmDone(
    op: LedgerOperation,
    result: { contractServiceId: number | null; how: DoneHow },
  ): Promise<boolean> {
    const release = await this.doneWrites.acquire(op.customerId);
    try {
      if (!(await markDone(this.prisma, op, this.actor, result, this.onOperationDone))) return false;
    } finally {
      release();
    }
    if (result.contractServiceId !== null) this.lineIdByKey.set(op.lineKey, result.contractServiceId);
    op.status = 'done';
    return true;
  }

  /** Learns the ids of repeat lines this system opened (in any run) but could not name yet. */
  async learnRepeatLines(): Promise<void> {
    const done = await loadDoneAdjustments(this.prisma, this.customerIds);
    const byLine = new Map<string, LedgerOperation[]>();
    for (const op of done)
      if (!this.lineIdByKey.has(op.lineKey)) byLine.set(op.lineKey, [...(byLine.get(op.lineKey) ?? []), op]);
    const unrecorded: UnrecordedLine[] = [...byLine.entries()].map(([lineKey, list]) => ({
      lineKey,
      contractId: list[0]!.contractId,
      serviceId: list[0]!.serviceId,
      changes: list.map((o) => ({ effectiveDate: o.effectiveDate, unitChange: o.unitChange })),
      order: Number(list[0]!.id),
    }));
    if (unrecorded.length === 0) return;
    const found = attributeRepeatLines(unrecorded, this.view.lines, this.view.rows, this.claimedIds());
    for (const [lineKey, contractServiceId] of found) {
      const op = byLine.get(lineKey)![0]!;
      this.lineIdByKey.set(lineKey, contractServiceId);
      await recordLine(this.prisma, {
        lineKey,
        subscriptionId: op.subscriptionId,
        customerId: op.customerId,
        contractId: op.contractId,
        serviceId: op.serviceId,
        contractServiceId,
      });
    }
  }
}
