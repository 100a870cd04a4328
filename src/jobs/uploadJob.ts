// The upload job: executes an approved run (or re-attempts a failed one) with the sync part's
// executor, while holding the advisory lock of the Autotask database so no two uploads to one
// tenant ever overlap. It tells chat the progress and the outcome, and a failure exactly once
// per upload attempt (the notice key is the run and the attempt's start time).
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import { problem } from '../core/problem.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import type { AutotaskGateway } from '../sync/autotaskGateway.js';
import { executeUpload, type UploadReport } from '../sync/executeUpload.js';
import { storedProblem, type LedgerOperation } from '../sync/operationLedger.js';
import { runRefusalProblem, type RunRefusal } from '../sync/runStore.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { startApprovedUpload } from '../useCases/startApprovedUpload.js';
import type { UploadLock } from './autotaskDatabaseLock.js';
import { JobError } from './jobError.js';
import { UPLOAD_ACTOR } from '../audit/systemActors.js';
import type { Notice } from './notifier.js';
import { parkingGateway } from './shutdownGateway.js';
import type { Metrics } from '../observability/metrics.js';

export const UploadJobDataSchema = z.object({
  runId: z.string().min(1),
  /** set by `retry <run>`: who asked for the re-attempt */
  retryBy: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  /** queued by a starting worker for a run a crash left `uploading` */
  resume: z.boolean().optional(),
});
export type UploadJobData = z.infer<typeof UploadJobDataSchema>;

export interface UploadJobDependencies {
  prisma: PrismaClient;
  gateway: AutotaskGateway;
  /** names the Autotask database (autotaskDatabaseKey) */
  databaseKey: string;
  lock: UploadLock;
  /** the validate use case, to check an approved plan is still fresh before it starts */
  planning: ValidateDependencies | undefined;
  notify(key: string, notice: Notice): Promise<void>;
  now: () => Date;
  stopping: AbortSignal;
  /** reports when the job has reached a point where stopping the process is safe */
  onSafePoint(check: () => boolean): void;
  executor?: { inFlight?: number };
  /**
   * called once before the first Autotask call of an attempt; answers what runs in the
   * transaction that marks an operation done (the app locks the mapping the line went out under)
   */
  prepareUpload?: (runId: string) => Promise<((tx: Db, op: LedgerOperation) => Promise<void>) | undefined>;
  /** how often, at most, a progress notice is sent while the upload runs */
  progressEveryMs?: number;
  /** where attempts, their duration and their operations are counted (GET /metrics) */
  metrics?: Pick<Metrics, 'upload' | 'operations'> | undefined;
}

const DEFAULT_PROGRESS_EVERY_MS = 2_000;

export type UploadJobResult =
  | { kind: 'uploaded'; report: UploadReport }
  | { kind: 'skipped'; reason: string }
  | { kind: 'refused'; refusal: RunRefusal }
  | { kind: 'parked' };

const parked = (): Promise<never> => new Promise<never>(() => undefined);

export async function runUploadJob(
  deps: UploadJobDependencies,
  data: UploadJobData,
): Promise<UploadJobResult> {
  const locked = await deps.lock.withLock(deps.databaseKey, deps.stopping, () =>
    deps.metrics ? countedUpload({ ...deps, metrics: deps.metrics }, data) : uploadHoldingLock(deps, data),
  );
  if (!locked.ok) {
    // shutting down before our turn came: the job goes back to the queue untouched
    deps.onSafePoint(() => true);
    return parked();
  }
  return locked.value;
}

/** The attempt with its outcome, duration and operations counted (docs/operations.md). */
async function countedUpload(
  deps: UploadJobDependencies & { metrics: NonNullable<UploadJobDependencies['metrics']> },
  data: UploadJobData,
): Promise<UploadJobResult> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const countOf = (status: 'done' | 'skipped') =>
    deps.prisma.syncOperationRecord.count({ where: { runId: data.runId, status } });
  // done before this attempt stays done: only what it adds is counted
  const before = { done: await countOf('done'), skipped: await countOf('skipped') };
  let result: UploadJobResult;
  try {
    result = await uploadHoldingLock(deps, data);
  } catch (error) {
    deps.metrics.upload('failed', seconds());
    throw error;
  }
  if (result.kind === 'refused') deps.metrics.upload('refused', seconds());
  if (result.kind === 'uploaded') {
    const { counts, outcome } = result.report;
    deps.metrics.upload(outcome, seconds());
    deps.metrics.operations('done', counts.done - before.done);
    deps.metrics.operations('skipped', counts.skipped - before.skipped);
    deps.metrics.operations('not_done', counts.failed + counts.planned + counts.sending);
  }
  return result;
}

async function uploadHoldingLock(deps: UploadJobDependencies, data: UploadJobData): Promise<UploadJobResult> {
  const { prisma } = deps;
  const actor: Actor = data.retryBy ?? UPLOAD_ACTOR;
  const start = await startApprovedUpload(
    { prisma, planning: deps.planning, now: deps.now },
    { runId: data.runId, actor, retry: data.retryBy !== undefined },
  );
  if (start.kind === 'skipped') return { kind: 'skipped', reason: start.refusal.message };
  if (start.kind === 'unplannable')
    throw new JobError(start.problem.code, `${start.problem.message} — ${start.problem.hint}`);
  if (start.kind === 'refused') {
    const { run, refusal } = start;
    await deps.notify(`${run.id}:start-refused:${run.state}:${run.decidedBy ?? ''}`, {
      kind: 'failure',
      runId: run.id,
      customerName: await scopeName(prisma, run.scope),
      what: `the upload could not start: ${refusal.message}`,
      errors: [runRefusalProblem(refusal)],
      retryCommand: null,
    });
    return { kind: 'refused', refusal };
  }
  const run = start.run;

  const attempt = await prisma.syncRun.findUniqueOrThrow({
    where: { id: run.id },
    select: { uploadStartedAt: true },
  });
  const attemptKey = `${run.id}:${attempt.uploadStartedAt?.toISOString() ?? 'resumed'}`;
  const counts = await prisma.syncOperationRecord.groupBy({
    by: ['status'],
    where: { runId: run.id },
    _count: { _all: true },
  });
  const total = counts.reduce((n, c) => n + c._count._all, 0);
  const countOf = (rows: typeof counts, statuses: readonly string[]) =>
    rows.filter((c) => statuses.includes(c.status)).reduce((n, c) => n + c._count._all, 0);
  // one notice per count reached (the key holds it), so a re-run job never repeats one
  const tellProgress = (done: number, failed: number) =>
    deps.notify(`${attemptKey}:progress:${done}${failed > 0 ? `:failed:${failed}` : ''}`, {
      kind: 'progress',
      runId: run.id,
      done,
      total,
      failed,
    });
  const tellCounts = (rows: typeof counts) =>
    tellProgress(countOf(rows, ['done', 'skipped']), countOf(rows, ['failed']));
  await tellCounts(counts);

  const onOperationDone = await deps.prepareUpload?.(run.id);
  const gateway = parkingGateway(deps.gateway, deps.stopping);
  deps.onSafePoint(gateway.atSafePoint);
  // while it runs, the approval card shows how far it got — throttled, read from the ledger
  const progress = setInterval(() => {
    void prisma.syncOperationRecord
      .groupBy({ by: ['status'], where: { runId: run.id }, _count: { _all: true } })
      .then(tellCounts)
      .catch(() => undefined);
  }, deps.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS);
  let report: UploadReport | RunRefusal;
  try {
    report = await executeUpload(
      {
        prisma,
        gateway: gateway.gateway,
        actor: UPLOAD_ACTOR,
        now: deps.now,
        inFlight: deps.executor?.inFlight,
        lanes: gateway.lanes,
        onOperationDone,
        databaseKey: deps.databaseKey,
      },
      run.id,
    );
  } finally {
    clearInterval(progress);
  }
  if (!report.ok) return { kind: 'refused', refusal: report };
  // where it ended, so whoever shows the progress shows the last operation too; what it left
  // not done (an unknown outcome stays `sending`) counts as failed
  const { done, skipped, failed, planned, sending } = report.counts;
  await tellProgress(done + skipped, failed + planned + sending);

  const summary = `${report.counts.done} done, ${report.counts.skipped} skipped, ${report.counts.failed + report.counts.planned + report.counts.sending} not done, ${report.calls} Autotask calls`;
  await deps.notify(`${attemptKey}:outcome`, {
    kind: 'outcome',
    runId: run.id,
    outcome: report.outcome,
    summary,
  });
  if (report.outcome !== 'succeeded') await notifyFailure(deps, run.id, run.scope, attemptKey, report);
  return { kind: 'uploaded', report };
}

async function notifyFailure(
  deps: UploadJobDependencies,
  runId: string,
  scope: string,
  attemptKey: string,
  report: UploadReport,
): Promise<void> {
  const open = await deps.prisma.syncOperationRecord.findMany({
    where: { runId, status: { in: ['failed', 'planned', 'sending'] } },
    orderBy: { seq: 'asc' },
    select: { key: true, customerId: true, productName: true, effectiveDate: true, problem: true },
  });
  const errors = open.map((op) => {
    const why =
      storedProblem(op.problem) ??
      problem('OPERATION_NOT_DONE', 'not sent', 'retry the run: it sends only what is not done');
    return { ...why, message: `${op.productName} on ${op.effectiveDate}: ${why.message}`.slice(0, 500) };
  });
  const customers = [...new Set(open.map((o) => o.customerId))];
  const names = await deps.prisma.customer.findMany({
    where: { id: { in: customers } },
    select: { name: true },
  });
  await deps.notify(`${attemptKey}:failure`, {
    kind: 'failure',
    runId,
    customerName: names.length ? names.map((n) => n.name).join(', ') : await scopeName(deps.prisma, scope),
    what: `${open.length} of ${Object.values(report.counts).reduce((a, b) => a + b, 0)} operations did not reach Autotask (${report.outcome.replace('_', ' ')}); what is done stays done, and a retry sends only the rest`,
    errors,
    retryCommand: `retry ${runId}`,
  });
}

export async function scopeName(prisma: PrismaClient, scope: string): Promise<string> {
  if (scope === 'all') return 'all customers';
  const customer = await prisma.customer.findUnique({ where: { id: scope }, select: { name: true } });
  return customer?.name ?? scope;
}
