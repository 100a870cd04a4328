// Runs in the database: each move of the state machine is applied only from the state it starts
// at (so concurrent clicks make one change) and is audited in the same transaction. Refusals —
// wrong state, stale plan, four eyes, expiry — come back as coded values and are audited too.
import { randomBytes } from 'node:crypto';
import type { Prisma } from '../db/generated/prisma/client.js';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Problem } from '../core/problem.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { insertPlannedOperations } from './operationLedger.js';
import type { UploadPlan } from './planUpload.js';
import { readRunPolicy, type RunPolicy } from './runPolicy.js';
import { describeState, isRunState, nextState, type RunEvent, type RunState } from './runStateMachine.js';
import { databaseRefusal, SQLSTATE } from '../db/databaseRefusal.js';

export type RunRefusalCode =
  | 'RUN_NOT_FOUND'
  | 'RUN_STATE'
  | 'PLAN_STALE'
  | 'FOUR_EYES'
  | 'APPROVAL_EXPIRED'
  | 'NOTHING_TO_UPLOAD'
  /** the scope of a validation names no customer (validateRun.ts) */
  | 'CUSTOMER_NOT_FOUND'
  /** another upload execution has the run (uploadExecution.ts) */
  | 'RUN_BUSY';

/** What to do about each refusal: the same words wherever the refusal is shown. */
export const RUN_REFUSAL_HINTS: Record<RunRefusalCode, string> = {
  RUN_NOT_FOUND: 'list runs with `runs`',
  RUN_STATE: 'see where the run stands with `run <run>`',
  PLAN_STALE: 'validate again',
  FOUR_EYES: 'ask another approver to approve it',
  APPROVAL_EXPIRED: 'validate again',
  NOTHING_TO_UPLOAD: 'fix what blocks its customers (`run <run>` lists it), then validate again',
  CUSTOMER_NOT_FOUND: 'check the name with `customers`',
  RUN_BUSY: 'wait for the other upload to finish, then see the run with `run <run>`',
};

export interface RunRefusal {
  ok: false;
  code: RunRefusalCode;
  message: string;
  /** what to do: the code's hint */
  hint: string;
}

/** A refusal with the hint of its code. */
export function runRefusal(code: RunRefusalCode, message: string): RunRefusal & Problem<RunRefusalCode> {
  return { ok: false, code, message, hint: RUN_REFUSAL_HINTS[code] };
}

/** The refusal as the project's one problem type. */
export function runRefusalProblem(refusal: RunRefusal): Problem<RunRefusalCode> {
  return {
    code: refusal.code,
    message: refusal.message,
    hint: refusal.hint,
  };
}

export interface RunView {
  id: string;
  scope: string;
  state: RunState;
  planHash: string;
  hasErrors: boolean;
  createdBy: string;
  requestedBy: string | null;
  decidedBy: string | null;
  expiresAt: Date | null;
  plan: unknown;
  createdAt: Date;
}

export type RunOutcome = { ok: true; run: RunView } | RunRefusal;

/** Short, readable and unguessable enough to type in chat: `r-7f3a9c2e`. */
export const newRunId = (): string => `r-${randomBytes(4).toString('hex')}`;

/** A run as its row holds it: the state not yet checked. */
type RunRow = Omit<RunView, 'state'> & { state: string };

function view(row: RunRow): RunView {
  if (!isRunState(row.state)) throw new Error(`RUN_STATE_UNKNOWN: run ${row.id} has state ${row.state}`);
  return { ...row, state: row.state };
}

export async function getRun(db: Db, runId: string): Promise<RunView | null> {
  const row = await db.syncRun.findUnique({ where: { id: runId } });
  return row ? view(row) : null;
}

/**
 * A move a person asks for on one run: it is given the run as it stands. A run that does not
 * exist is refused, audited as `action`.
 */
function onRun<O>(
  action: string,
  moveRun: (prisma: PrismaClient, run: RunView, actor: Actor, options: O) => Promise<RunOutcome>,
): (prisma: PrismaClient, runId: string, actor: Actor, options: O) => Promise<RunOutcome> {
  return async (prisma, runId, actor, options) => {
    const run = await getRun(prisma, runId);
    if (!run) return refuse(prisma, actor, runId, action, 'RUN_NOT_FOUND', `there is no run ${runId}`);
    return moveRun(prisma, run, actor, options);
  };
}

export async function listRuns(db: Db, limit = 20): Promise<RunView[]> {
  const rows = await db.syncRun.findMany({ orderBy: { createdAt: 'desc' }, take: Math.min(limit, 200) });
  return rows.map(view);
}

/** A run starts in `validating`; the validation result follows with recordValidation. */
export async function startValidation(prisma: PrismaClient, actor: Actor, scope: string): Promise<RunView> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.syncRun.create({
      data: { id: newRunId(), scope, state: 'validating', planHash: '', createdBy: actor.id },
    });
    await recordAudit(tx, {
      actor,
      action: 'validation.started',
      runId: row.id,
      customerId: scope === 'all' ? undefined : scope,
    });
    return view(row);
  });
}

/** Stores the plan (its operations become `planned` ledger rows) and ends the validation. */
export async function recordValidation(
  prisma: PrismaClient,
  runId: string,
  plan: UploadPlan,
  actor: Actor,
): Promise<RunOutcome> {
  const hasErrors = plan.customers.some((c) => c.blocked);
  const event: RunEvent = hasErrors ? 'validation_with_errors' : 'validation_clean';
  return move(prisma, runId, actor, event, {
    data: {
      planHash: plan.planHash,
      hasErrors,
      plan: {
        customers: plan.customers,
        estimatedApiCalls: plan.estimatedApiCalls,
        estimatedSeconds: plan.estimatedSeconds,
      } as unknown as Prisma.InputJsonValue,
    },
    audit: {
      action: 'validation.finished',
      details: {
        planHash: plan.planHash,
        operations: plan.operations.length,
        customers: plan.customers.length,
        blockedCustomers: plan.customers.filter((c) => c.blocked).map((c) => c.customerId),
        findings: countCodes(plan.customers.flatMap((c) => c.findings.map((f) => f.code))),
      },
    },
    also: (tx) => insertPlannedOperations(tx, runId, plan.operations),
  });
}

export interface FreshnessCheck {
  /** the hash of a plan computed from the current inputs */
  currentPlanHash: string;
  now: Date;
  /** expiry; `fourEyes` here is informative only — the approval reads the setting in its own transaction */
  policy: RunPolicy;
}

export const requestUpload = onRun('upload.request', async (prisma, run, actor, check: FreshnessCheck) => {
  const runId = run.id;
  const operations = await prisma.syncOperationRecord.count({ where: { runId } });
  if (operations === 0 && nextState(run.state, 'request_upload').ok)
    return refuse(
      prisma,
      actor,
      runId,
      'upload.request',
      'NOTHING_TO_UPLOAD',
      `run ${runId} has nothing to upload (every customer is blocked or already up to date)`,
    );
  const stale = staleness(run, check);
  if (stale) return refuse(prisma, actor, runId, 'upload.request', 'PLAN_STALE', stale);
  return move(prisma, runId, actor, 'request_upload', {
    data: { requestedBy: actor.id, requestedAt: check.now, expiresAt: approvalExpiry(check) },
    audit: { action: 'upload.requested', details: { planHash: run.planHash } },
  });
});

export const approveRun = onRun('upload.approve', async (prisma, run, actor, check: FreshnessCheck) => {
  const runId = run.id;
  if (run.state === 'upload_requested') {
    const outdated = await refuseIfOutdated(prisma, run, actor, check, 'upload.approve');
    if (outdated) return outdated;
  }
  return move(prisma, runId, actor, 'approve', {
    data: { decidedBy: actor.id, decidedAt: check.now, expiresAt: approvalExpiry(check) },
    // Four eyes is decided here, once, by the UPDATE that records the decision: an earlier read
    // of the requester could be older than a request made a few milliseconds ago.
    guard: async (tx) => ({
      where: (await readFourEyes(tx)) ? { requestedBy: { not: actor.id } } : {},
      refusal: {
        action: 'upload.approve',
        code: 'FOUR_EYES',
        message: `you requested run ${runId}, so another approver must approve it (four eyes)`,
      },
    }),
    audit: { action: 'upload.approved', details: { planHash: run.planHash } },
    also: async (tx, moved) => {
      await tx.syncDecision.create({
        data: { runId, decision: 'approved', actorId: actor.id, actorName: actor.name ?? null },
      });
      return { requestedBy: moved.requestedBy };
    },
  });
});

export const rejectRun = onRun(
  'upload.reject',
  (prisma, run, actor, options: { now: Date; reason?: string }) => {
    const runId = run.id;
    return move(prisma, runId, actor, 'reject', {
      data: { decidedBy: actor.id, decidedAt: options.now },
      audit: {
        action: 'upload.rejected',
        details: { reason: options.reason ?? null, requestedBy: run.requestedBy },
      },
      also: async (tx) => {
        await tx.syncDecision.create({
          data: {
            runId,
            decision: 'rejected',
            actorId: actor.id,
            actorName: actor.name ?? null,
            reason: options.reason ?? null,
          },
        });
      },
    });
  },
);

/**
 * Moves an approved run (or a partially failed/failed one, for a retry) to `uploading`. A first
 * upload needs a fresh plan and an unexpired approval; a retry relies on the executor's drift
 * check instead, because the ledger — part of the plan's inputs — changed by the first attempt.
 */
export const startUpload = onRun('upload.start', async (prisma, run, actor, check: FreshnessCheck) => {
  if (run.state === 'approved') {
    const outdated = await refuseIfOutdated(prisma, run, actor, check, 'upload.start');
    if (outdated) return outdated;
  }
  return move(prisma, run.id, actor, 'start_upload', {
    data: { uploadStartedAt: check.now },
    audit: { action: 'upload.started', details: { retry: run.state !== 'approved' } },
  });
});

export async function finishUpload(
  prisma: PrismaClient,
  runId: string,
  actor: Actor,
  result: {
    outcome: 'succeeded' | 'partially_failed' | 'failed';
    counts: Record<string, number>;
    now: Date;
    /** the execution that must still have the run (uploadExecution.ts) */
    executionId?: string;
  },
): Promise<RunOutcome> {
  const event: RunEvent =
    result.outcome === 'succeeded'
      ? 'upload_succeeded'
      : result.outcome === 'partially_failed'
        ? 'upload_partially_failed'
        : 'upload_failed';
  const executionId = result.executionId;
  return move(prisma, runId, actor, event, {
    data: { uploadFinishedAt: result.now },
    // only the execution that has the run ends it: one that lost it leaves the outcome to the other
    ...(executionId && {
      guard: async () => ({
        where: { executionId },
        refusal: {
          action: 'upload.finish',
          code: 'RUN_BUSY' as const,
          message: `run ${runId} is now uploaded by another execution; this one ended without deciding its outcome`,
        },
      }),
    }),
    audit: {
      action: 'upload.finished',
      outcome: result.outcome === 'succeeded' ? 'ok' : 'failed',
      details: { outcome: result.outcome, ...result.counts },
    },
  });
}

/** A request or approval holds for the policy's hours from now. */
const approvalExpiry = (check: FreshnessCheck): Date =>
  new Date(check.now.getTime() + check.policy.approvalTtlHours * 3_600_000);

/** Refuses `action` on a run whose approval (or request) expired — it expires then — or whose plan is stale. */
async function refuseIfOutdated(
  prisma: PrismaClient,
  run: RunView,
  actor: Actor,
  check: FreshnessCheck,
  action: string,
): Promise<RunRefusal | null> {
  const expired = await expireIfDue(prisma, run, actor, check.now, action);
  if (expired) return expired;
  const stale = staleness(run, check);
  return stale ? refuse(prisma, actor, run.id, action, 'PLAN_STALE', stale) : null;
}

function staleness(run: RunView, check: FreshnessCheck): string | null {
  if (run.planHash === check.currentPlanHash) return null;
  return `the plan of run ${run.id} is stale: source data, mappings, Autotask or the ledger changed since it was validated`;
}

async function expireIfDue(
  prisma: PrismaClient,
  run: RunView,
  actor: Actor,
  now: Date,
  action: string,
): Promise<RunRefusal | null> {
  if (!run.expiresAt || now <= run.expiresAt) return null;
  const message = `run ${run.id} expired at ${run.expiresAt.toISOString()} (${run.state === 'approved' ? 'approved but not uploaded' : 'not approved'} in time)`;
  await prisma.$transaction(async (tx) => {
    const moved = await tx.syncRun.updateMany({
      where: { id: run.id, state: { in: ['upload_requested', 'approved'] } },
      data: { state: 'expired' },
    });
    if (moved.count === 1)
      await recordAudit(tx, {
        actor,
        action: 'upload.expired',
        runId: run.id,
        details: { expiresAt: run.expiresAt!.toISOString(), from: run.state },
      });
    await recordAudit(tx, {
      actor,
      action,
      runId: run.id,
      outcome: 'denied',
      details: { code: 'APPROVAL_EXPIRED', message },
    });
  });
  return runRefusal('APPROVAL_EXPIRED', message);
}

async function refuse(
  db: Db,
  actor: Actor,
  runId: string,
  action: string,
  code: RunRefusalCode,
  message: string,
): Promise<RunRefusal> {
  await recordAudit(db, { actor, action, runId, outcome: 'denied', details: { code, message } });
  return runRefusal(code, message);
}

interface MoveGuard {
  /** more conditions of the UPDATE that records the move */
  where: Prisma.SyncRunWhereInput;
  /** the answer (and its audit action) when the run was in the right state but the conditions did not hold */
  refusal: { action: string; code: RunRefusalCode; message: string };
}

async function move(
  prisma: PrismaClient,
  runId: string,
  actor: Actor,
  event: RunEvent,
  change: {
    data: Prisma.SyncRunUpdateManyMutationInput;
    audit: { action: string; outcome?: 'ok' | 'failed'; details?: Record<string, unknown> };
    /** read inside the transaction, so the conditions it adds are as current as the UPDATE */
    guard?: (tx: Db) => Promise<MoveGuard>;
    /** more writes in the same transaction; what it answers joins the audit details */
    also?: (tx: Db, moved: RunView) => Promise<Record<string, unknown> | void>;
  },
): Promise<RunOutcome> {
  const current = await getRun(prisma, runId);
  if (!current)
    return refuse(prisma, actor, runId, change.audit.action, 'RUN_NOT_FOUND', `there is no run ${runId}`);
  const planned = nextState(current.state, event);
  if (!planned.ok) return refuse(prisma, actor, runId, change.audit.action, 'RUN_STATE', planned.message);
  let result: { moved: RunView } | { refused: MoveGuard['refusal'] } | null;
  let guard: MoveGuard | undefined;
  try {
    result = await prisma.$transaction(async (tx) => {
      guard = await change.guard?.(tx);
      const moved = await tx.syncRun.updateMany({
        where: { AND: [{ id: runId, state: { in: [...planned.from] } }, guard?.where ?? {}] },
        data: { ...change.data, state: planned.to },
      });
      if (moved.count !== 1) {
        if (!guard) return null;
        const now = await tx.syncRun.findUnique({ where: { id: runId }, select: { state: true } });
        // the run was in the right state, so it is the guard's condition that did not hold
        return now && (planned.from as readonly string[]).includes(now.state)
          ? { refused: guard.refusal }
          : null;
      }
      const row = view(await tx.syncRun.findUniqueOrThrow({ where: { id: runId } }));
      const extra = (await change.also?.(tx, row)) ?? {};
      await recordAudit(tx, {
        actor,
        action: change.audit.action,
        runId,
        outcome: change.audit.outcome ?? 'ok',
        details: { from: current.state, to: planned.to, ...change.audit.details, ...extra },
      });
      return { moved: row };
    });
  } catch (error) {
    // the database's own four-eyes rule: the setting was switched on after the guard read it
    const refusal = (guard as MoveGuard | undefined)?.refusal;
    if (!isFourEyesViolation(error) || refusal?.code !== 'FOUR_EYES') throw error;
    result = { refused: refusal };
  }
  if (result && 'refused' in result)
    return refuse(prisma, actor, runId, result.refused.action, result.refused.code, result.refused.message);
  if (!result) {
    // someone else moved the run between our read and our write
    const now = await getRun(prisma, runId);
    return refuse(
      prisma,
      actor,
      runId,
      change.audit.action,
      'RUN_STATE',
      `run ${runId} is now ${now ? describeState(now.state) : 'gone'}; nothing was changed`,
    );
  }
  return { ok: true, run: result.moved };
}

/** The setting as the database's four-eyes rule reads it (readRunPolicy reads it the same way). */
const readFourEyes = async (db: Db): Promise<boolean> => (await readRunPolicy(db)).fourEyes;

function isFourEyesViolation(error: unknown): boolean {
  return databaseRefusal(error)?.sqlState === SQLSTATE.fourEyes;
}

function countCodes(codes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of codes) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}
