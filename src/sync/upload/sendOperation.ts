// Sends one operation: claims it (`sending`) in the ledger, makes the one call, and records what
// came of it. There is no retry loop here: the Autotask client already sends again what was
// refused before processing (thread limit, connection refused); an outcome it cannot know is
// resolved from the units timeline, never by sending blindly again.
import type { Problem } from '../../core/problem.js';
import type { GatewayFailure } from '../autotaskGateway.js';
import { markFailed, markSending, markSkipped, type LedgerOperation } from '../operationLedger.js';
import { operationProblem } from '../operationProblem.js';
import { baseLine, mergeView, readContracts } from './autotaskView.js';
import { appliedInAutotask, knownLineId, opensRepeatLine } from './lineResolution.js';
import type { DoneHow, UploadSession } from './uploadSession.js';

export type SendOutcome =
  | { kind: 'done' }
  | { kind: 'skipped' }
  /** the subscription's later operations wait */
  | { kind: 'blocked'; reason: Problem }
  /** every chain stops */
  | { kind: 'fatal'; reason: Problem };

export async function sendOperation(session: UploadSession, op: LedgerOperation): Promise<SendOutcome> {
  const lost = (): SendOutcome => ({ kind: 'fatal', reason: session.lose(op) });
  const done = async (contractServiceId: number | null, how: DoneHow) =>
    (await session.confirmDone(op, { contractServiceId, how })) ? ({ kind: 'done' } as const) : lost();

  if (!session.execution.alive())
    return {
      kind: 'fatal',
      reason: operationProblem(
        'UPLOAD_EXECUTION_LOST',
        `this execution lost the lock on its own row; it stops so that another may resume run ${session.runId}`,
      ),
    };
  const claim = await markSending(session.prisma, op, session.execution.id);
  if (!claim.ok) {
    // someone else has it: leave it to them, send nothing
    if ('moved' in claim) return lost();
    if (claim.heldBy.status === 'done') {
      const reason = operationProblem('ALREADY_DONE', `already done by run ${claim.heldBy.runId}`);
      if (!(await markSkipped(session.prisma, op, session.actor, reason))) return lost();
      op.status = 'skipped';
      return { kind: 'skipped' };
    }
    const reason = operationProblem('OPERATION_IN_FLIGHT', `run ${claim.heldBy.runId} is sending ${op.key}`);
    await session.wait(op, reason);
    return { kind: 'blocked', reason };
  }
  op.status = 'sending';

  if (op.kind === 'create_line') {
    const existing = baseLine(session.view.lines, op.contractId, op.serviceId);
    if (existing !== null) return done(existing, 'line already existed');
  }

  const sent = await send(session, op);
  if (sent.ok) return done(sent.contractServiceId, 'sent');
  if (sent.code === 'OUTCOME_UNKNOWN') {
    // Never re-send blindly: ask the units timeline whether it arrived.
    const reread = await readContracts(session.gateway, [op.contractId]);
    if (reread.ok) {
      // only this service's part: the contract's other services belong to chains that may be
      // sending right now, and this read may predate what they just created
      mergeView(session.view, reread.view, { contractId: op.contractId, serviceId: op.serviceId });
      const found = appliedInAutotask(op, session.view, session.lineIdByKey, session.claimedIds());
      if (found.applied) return done(found.contractServiceId, 'found in Autotask');
    }
    // left `sending`: the next attempt reads Autotask again before anything is sent
    await session.wait(
      op,
      operationProblem('OUTCOME_UNKNOWN', `${sent.problem.message} It was left sending, not sent again.`),
    );
    return { kind: 'blocked', reason: sent.problem };
  }
  // BUSINESS_RULE, FATAL, and NOT_SENT once the client's own retries are spent
  if (!(await markFailed(session.prisma, op, session.actor, sent.problem))) return lost();
  op.status = 'failed';
  session.noteWait(op, sent.problem);
  return sent.code === 'FATAL'
    ? { kind: 'fatal', reason: sent.problem }
    : { kind: 'blocked', reason: sent.problem };
}

async function send(
  session: UploadSession,
  op: LedgerOperation,
): Promise<{ ok: true; contractServiceId: number | null } | GatewayFailure> {
  const { gateway, view } = session;
  if (op.kind === 'create_line') {
    const created = await gateway.createContractService({
      contractId: op.contractId,
      serviceId: op.serviceId,
      unitPrice: op.unitPrice,
    });
    if (!created.ok) return created;
    view.lines.push({
      contractServiceId: created.value.contractServiceId,
      contractId: op.contractId,
      serviceId: op.serviceId,
    });
    return { ok: true, contractServiceId: created.value.contractServiceId };
  }
  if (opensRepeatLine(op)) {
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
  const contractServiceId = knownLineId(op, view.lines, session.lineIdByKey);
  if (contractServiceId === null)
    return {
      ok: false,
      code: 'BUSINESS_RULE',
      problem: operationProblem(
        'LINE_UNKNOWN',
        `the line for ${op.lineKey} is not known (its creation is not done); nothing was sent`,
      ),
    };
  const adjusted = await gateway.createAdjustment({
    contractId: op.contractId,
    contractServiceId,
    effectiveDate: op.effectiveDate,
    unitChange: op.unitChange,
  });
  return adjusted.ok ? { ok: true, contractServiceId } : adjusted;
}
