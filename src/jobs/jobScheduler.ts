// Agenda set up for the bot: the job definitions, each wrapped so that every execution is
// recorded (job_executions), a throw is retried by the job's policy, and the final failure is
// audited and notified once; the schedule queue the schedule use cases use; and a graceful stop
// — take no new jobs, let running ones reach a safe point, hand them back, release the locks.
import { hostname } from 'node:os';
import { Agenda, type Job } from 'agenda';
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import type { Problem } from '../core/problem.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';
import { noMetrics, type Metrics } from '../observability/metrics.js';
import type { AutotaskGateway } from '../sync/autotaskGateway.js';
import type { ValidateDependencies } from '../sync/validateRun.js';
import { AutotaskDatabaseLock } from './autotaskDatabaseLock.js';
import { expireStaleApprovals } from '../useCases/expireApprovals.js';
import { describeJobError, JobError } from './jobError.js';
import { SCHEDULER_ACTOR } from '../audit/systemActors.js';
import { JOB, type JobName } from './jobNames.js';
import {
  backoffFor,
  DEFAULT_JOB_RETRY_POLICY,
  jobRetryDelay,
  type JobRetryPolicy,
} from './jobRetryPolicy.js';
import {
  createJobsBackend,
  describeJobsBackend,
  type JobsBackend,
  type JobsBackendChoice,
} from './jobsBackend.js';
import {
  deliverStoredNotice,
  markUndeliverable,
  pendingNoticeIds,
  storeNotice,
} from './notificationOutbox.js';
import type { Notice, Notifier } from './notifier.js';
import type { ScheduleQueue } from '../useCases/schedule.js';
import { runUploadJob, scopeName, UploadJobDataSchema, type UploadJobDependencies } from './uploadJob.js';
import { runValidateThenRequest, ValidateJobDataSchema } from './validateThenRequestJob.js';
import { runSourcePull, SourcePullJobDataSchema, type SourcePullJobDependencies } from './sourcePullJob.js';
import type { SourceName } from '../sources/sourceConnector.js';
import {
  DriftWatchJobDataSchema,
  ReconcileMonthJobDataSchema,
  runDriftWatch,
  runReconcileMonth,
  type WatchJobDependencies,
} from './watchJobs.js';
import { SOURCE_LABEL } from '../sources/pullSummary.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OnProgress } from '../core/progress.js';
import { watchUploadProgress } from './uploadProgressWatch.js';

export type JobKind = 'validate' | 'upload' | 'expiry' | 'notification' | 'source' | 'watch';
const ALL_KINDS: readonly JobKind[] = ['validate', 'upload', 'expiry', 'notification', 'source', 'watch'];

export interface JobSchedulerOptions {
  prisma: PrismaClient;
  logger: Logger;
  notifier: Notifier;
  backend: JobsBackendChoice;
  /** the bot's PostgreSQL: the upload lock lives there whichever backend holds the jobs */
  databaseUrl: string;
  /** where uploads go; without it upload jobs fail with a clear code */
  autotask: { gateway: AutotaskGateway; databaseKey: string } | undefined;
  /** the validate use case (needs the mapping part); without it scheduled validation fails clearly */
  planning?: ValidateDependencies | undefined;
  /** identifies this worker in job_executions and agenda's lastModifiedBy */
  workerName?: string;
  retry?: Partial<Record<JobKind, JobRetryPolicy>>;
  /** how often to look for due jobs (LISTEN/NOTIFY wakes PostgreSQL workers sooner) */
  processEveryMs?: number;
  /** how often stale approvals are expired and stuck notices re-queued */
  sweepEvery?: string;
  /** the upload executor's concurrency (AUTOTASK_MAX_IN_FLIGHT); the Autotask client does the retrying */
  executor?: { inFlight?: number };
  /**
   * how long Agenda's lock on a running job lasts (renewed every third of it); Agenda keeps one
   * timer of half this per job run alive, so tests use a few seconds
   */
  lockLifetimeMs?: number;
  /** the share of the shutdown budget jobs may use to reach a safe point */
  stopBudgetMs?: number;
  /**
   * which jobs this worker takes (all by default); the CLI takes only uploads, so the notices
   * and schedules stay with the bot
   */
  kinds?: readonly JobKind[];
  /** see UploadJobDependencies.prepareUpload (the app locks mappings as lines go out) */
  prepareUpload?: UploadJobDependencies['prepareUpload'];
  /** how often, at most, a running upload sends a progress notice */
  progressEveryMs?: number;
  /** the scheduled pulls of subscription sources; without it a pull job fails clearly */
  sources?: Omit<SourcePullJobDependencies, 'notify'> | undefined;
  /** the monthly reconciliation and the daily drift watch; without it neither is scheduled */
  watch?: WatchJobDependencies | undefined;
  /** where job runs and uploads are counted (GET /metrics); default none */
  metrics?: Metrics | undefined;
  now?: () => Date;
}

const DEFAULT_LOCK_LIFETIME_MS = 10 * 60_000;
const DEFAULT_RETRY: Record<JobKind, JobRetryPolicy> = {
  validate: DEFAULT_JOB_RETRY_POLICY,
  upload: DEFAULT_JOB_RETRY_POLICY,
  expiry: { maxAttempts: 2, delayMs: 60_000, maxDelayMs: 60_000 },
  notification: { maxAttempts: 7, delayMs: 5_000, maxDelayMs: 5 * 60_000 },
  // a source that is down: a few tries over about half an hour, then the failure notice
  source: { maxAttempts: 4, delayMs: 2 * 60_000, maxDelayMs: 15 * 60_000 },
  // an Autotask that is down: tried over about an hour and a half, then the failure notice
  watch: { maxAttempts: 4, delayMs: 5 * 60_000, maxDelayMs: 60 * 60_000 },
};
/** the advisory lock starting workers take turns on while they look for interrupted uploads */
const RESUME_LOCK_KEY = 'resume-interrupted-uploads';
const NotificationJobDataSchema = z.object({ notificationId: z.string().regex(/^\d+$/) });

interface RunningJob {
  atSafePoint: () => boolean;
}

export class JobScheduler implements ScheduleQueue {
  readonly worker: string;
  private readonly agenda: Agenda;
  private readonly lock: AutotaskDatabaseLock;
  private readonly stopping = new AbortController();
  private readonly running = new Set<RunningJob>();
  private readonly retry: Record<JobKind, JobRetryPolicy>;
  private readonly now: () => Date;
  private started = false;
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly options: JobSchedulerOptions,
    agenda: Agenda,
    private readonly backend: JobsBackend,
  ) {
    this.agenda = agenda;
    this.worker = options.workerName ?? `${hostname()}:${process.pid}`;
    this.lock = new AutotaskDatabaseLock(options.databaseUrl);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? (() => new Date());
    agenda.on('error', (error: Error) => options.logger.error({ err: error }, 'job queue error'));
    this.defineJobs();
  }

  static async create(options: JobSchedulerOptions): Promise<JobScheduler> {
    const backend = await createJobsBackend(options.backend, (error) =>
      options.logger.debug({ err: error }, 'job queue connection closed'),
    );
    const agenda = new Agenda({
      backend: backend.backend,
      name: options.workerName ?? `${hostname()}:${process.pid}`,
      processEvery: options.processEveryMs ?? 5_000,
      defaultLockLifetime: options.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS,
      defaultConcurrency: 2,
      maxConcurrency: 8,
    });
    return new JobScheduler(options, agenda, backend);
  }

  /** Connects without taking jobs: for processes that only queue them (the CLI, tests). */
  async connect(): Promise<void> {
    await this.agenda.ready;
  }

  async start(): Promise<void> {
    await this.agenda.start();
    this.started = true;
    if (this.takes('expiry')) {
      const sweep = this.agenda.create(JOB.expireApprovals, {});
      sweep.repeatEvery(this.options.sweepEvery ?? '5 minutes', { skipImmediate: true });
      sweep.unique({ name: JOB.expireApprovals }, { insertOnly: true });
      await sweep.save();
    }
    const watch = this.options.watch;
    if (watch && this.takes('watch'))
      for (const [name, cron] of [
        [JOB.reconcileMonth, watch.reconcileCron],
        [JOB.watchDrift, watch.driftCron],
      ] as const) {
        // marked, so the upsert finds the schedule and never a one-off run (enqueueWatch) of it
        const job = this.agenda.create(name, { scheduled: true });
        job.repeatEvery(cron, { timezone: 'UTC', skipImmediate: true });
        // one per name: a changed cron in the configuration replaces the stored one
        job.unique({ name, 'data.scheduled': true });
        await job.save();
      }
    const resumed = this.takes('upload') ? await this.resumeInterruptedUploads() : [];
    this.options.logger.info(
      { worker: this.worker, backend: describeJobsBackend(this.options.backend), resumed },
      'job worker started',
    );
  }

  private takes(kind: JobKind): boolean {
    return (this.options.kinds ?? ALL_KINDS).includes(kind);
  }

  /**
   * A run left `uploading` by a process killed mid-upload gets an upload job again — unless one is
   * still queued or running (Agenda hands a dead worker's job to another once its lock expires).
   * One resume job per run (unique), and the upload lock plus the run's state make a second
   * execution a no-op; the ledger makes resuming itself safe.
   */
  private async resumeInterruptedUploads(): Promise<string[]> {
    const { prisma } = this.options;
    const uploading = async (id: string) =>
      (await prisma.syncRun.findUnique({ where: { id }, select: { state: true } }))?.state === 'uploading';
    // workers starting together take turns, so the second sees the job the first queued
    const locked = await this.lock.withLock(RESUME_LOCK_KEY, this.stopping.signal, async () => {
      const runs = await prisma.syncRun.findMany({ where: { state: 'uploading' }, select: { id: true } });
      const resumed: string[] = [];
      for (const { id } of runs) {
        if ((await this.uploadPending(id)) || !(await uploading(id))) continue;
        const job = this.agenda.create(JOB.uploadRun, UploadJobDataSchema.parse({ runId: id, resume: true }));
        // one resume job per run: a later crash of the same run queues that row again
        job.unique({ 'data.runId': id, 'data.resume': true });
        await job.save();
        resumed.push(id);
      }
      return resumed;
    });
    return locked.ok ? locked.value : [];
  }

  /**
   * For GET /readyz: started, not stopping, Agenda polling, and its jobs store answering (Agenda
   * counts the queued jobs there). Why not, when not.
   */
  async readiness(): Promise<{ ready: true } | { ready: false; reason: string }> {
    if (!this.started) return { ready: false, reason: 'the job worker has not started' };
    if (this.stopping.signal.aborted) return { ready: false, reason: 'the job worker is stopping' };
    if (!this.agenda.isActiveJobProcessor()) return { ready: false, reason: 'Agenda is not polling' };
    try {
      await this.agenda.getRunningStats();
      return { ready: true };
    } catch (error) {
      return { ready: false, reason: `the jobs store does not answer: ${(error as Error).message}` };
    }
  }

  /** True while an upload job of the run is queued, waiting for a retry, or running. */
  async uploadPending(runId: string): Promise<boolean> {
    const found = await this.agenda.queryJobs({ name: JOB.uploadRun, data: { runId } });
    return found.jobs.some((job) => Boolean(job.lockedAt) || Boolean(job.nextRunAt));
  }

  /**
   * Waits until no upload job of the run is pending (the CLI, which took the job itself, waits
   * for it to finish), telling `onProgress` the job's progress notices meanwhile. Answers false
   * when `timeoutMs` passed first.
   */
  async waitForUpload(
    runId: string,
    timeoutMs: number,
    pollMs = 250,
    onProgress?: OnProgress,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const progress = onProgress && (await watchUploadProgress(this.options.prisma, runId, onProgress));
    while (await this.uploadPending(runId)) {
      await progress?.();
      if (Date.now() > deadline) return false;
      await sleep(pollMs);
    }
    await progress?.();
    return true;
  }

  /**
   * Graceful stop: no new jobs; running ones finish or reach a safe point (an upload stops before
   * its next Autotask call); Agenda hands unfinished ones back to the queue; locks are released.
   */
  stop(): Promise<void> {
    return (this.stopped ??= (async () => {
      this.stopping.abort();
      if (!this.started) {
        await this.lock.close();
        return this.backend.close();
      }
      const deadline = Date.now() + (this.options.stopBudgetMs ?? 4_000);
      while (Date.now() < deadline && [...this.running].some((r) => !r.atSafePoint())) await sleep(25);
      const unsafe = [...this.running].filter((r) => !r.atSafePoint()).length;
      await this.agenda.stop();
      await this.backend.close();
      await this.lock.close();
      this.options.logger.info(
        { worker: this.worker, handedBack: this.running.size, notAtSafePoint: unsafe },
        'job worker stopped',
      );
    })());
  }

  // ── what other parts call ────────────────────────────────────────────────────────────

  /** After an approval (chat `approve`): queue the upload of the run. */
  async enqueueUpload(runId: string, retryBy?: Actor): Promise<void> {
    await this.agenda.create(JOB.uploadRun, UploadJobDataSchema.parse({ runId, retryBy })).save();
  }

  /** A one-off `validate-then-request` (the same body a schedule runs). */
  async enqueueValidation(scope: string): Promise<void> {
    await this.agenda.create(JOB.validateThenRequest, { scheduleId: null, scope }).save();
  }

  /** Stores a notice under `key` (once) and queues its delivery. */
  async notify(key: string, notice: Notice): Promise<void> {
    const id = await storeNotice(this.options.prisma, key, notice);
    if (id !== null) await this.queueDelivery(id);
  }

  async putRecurring(input: {
    scheduleId: string;
    scope: string;
    cron: string;
  }): Promise<{ nextRunAt: Date | null }> {
    const job = this.agenda.create(JOB.validateThenRequest, {
      scheduleId: input.scheduleId,
      scope: input.scope,
    });
    job.repeatEvery(input.cron, { timezone: 'UTC', skipImmediate: true });
    job.unique({ 'data.scheduleId': input.scheduleId });
    await job.save();
    return { nextRunAt: job.attrs.nextRunAt ?? null };
  }

  async removeRecurring(scheduleId: string): Promise<void> {
    await this.agenda.cancel({ name: JOB.validateThenRequest, data: { scheduleId } });
  }

  async nextRunAt(scheduleId: string): Promise<Date | null> {
    const found = await this.agenda.queryJobs({
      name: JOB.validateThenRequest,
      data: { scheduleId },
      limit: 1,
    });
    return found.jobs[0]?.nextRunAt ?? null;
  }

  /** `source add`: the daily pull of a source (one repeating job per source). */
  async putSourcePull(input: { source: SourceName; cron: string }): Promise<{ nextRunAt: Date | null }> {
    const job = this.agenda.create(JOB.pullSource, SourcePullJobDataSchema.parse({ source: input.source }));
    job.repeatEvery(input.cron, { timezone: 'UTC', skipImmediate: true });
    job.unique({ 'data.source': input.source });
    await job.save();
    return { nextRunAt: job.attrs.nextRunAt ?? null };
  }

  /** A one-off pull of a source by the worker (the same body the daily job runs). */
  async enqueueSourcePull(source: SourceName): Promise<void> {
    await this.agenda.create(JOB.pullSource, SourcePullJobDataSchema.parse({ source })).save();
  }

  async removeSourcePull(source: SourceName): Promise<void> {
    await this.agenda.cancel({ name: JOB.pullSource, data: { source } });
  }

  /** When the monthly reconciliation or the drift watch runs next (null: not scheduled). */
  async nextWatchAt(name: typeof JOB.reconcileMonth | typeof JOB.watchDrift): Promise<Date | null> {
    const found = await this.agenda.queryJobs({ name, data: { scheduled: true }, limit: 1 });
    return found.jobs[0]?.nextRunAt ?? null;
  }

  /** A one-off run of a watch job by the worker (the same body the schedule runs). */
  async enqueueWatch(name: typeof JOB.reconcileMonth | typeof JOB.watchDrift, month?: string): Promise<void> {
    await this.agenda.create(name, month ? { month } : {}).save();
  }

  async nextSourcePullAt(source: SourceName): Promise<Date | null> {
    const found = await this.agenda.queryJobs({ name: JOB.pullSource, data: { source }, limit: 1 });
    return found.jobs[0]?.nextRunAt ?? null;
  }

  // ── the jobs ────────────────────────────────────────────────────────────────────────

  private defineJobs(): void {
    const { prisma, logger } = this.options;
    const notify = (key: string, notice: Notice) => this.notify(key, notice);

    this.define(JOB.validateThenRequest, 'validate', ValidateJobDataSchema, (data) =>
      runValidateThenRequest(
        {
          prisma,
          planning: this.options.planning,
          notify,
          enqueueUpload: (runId) => this.enqueueUpload(runId),
          removeRecurring: (id) => this.removeRecurring(id),
          now: this.now,
        },
        data,
      ),
    );

    this.define(
      JOB.uploadRun,
      'upload',
      UploadJobDataSchema,
      (data, running) => {
        const autotask = this.options.autotask;
        if (!autotask)
          throw new JobError(
            'JOBS_AUTOTASK_UNAVAILABLE',
            'this worker has no Autotask connection to upload with',
          );
        return runUploadJob(
          {
            prisma,
            gateway: autotask.gateway,
            databaseKey: autotask.databaseKey,
            lock: this.lock,
            planning: this.options.planning,
            notify,
            now: this.now,
            stopping: this.stopping.signal,
            onSafePoint: (check) => (running.atSafePoint = check),
            executor: this.options.executor,
            prepareUpload: this.options.prepareUpload,
            progressEveryMs: this.options.progressEveryMs,
            metrics: this.options.metrics,
          },
          data,
        );
      },
      { concurrency: 2 },
    );

    this.define(JOB.pullSource, 'source', SourcePullJobDataSchema, (data) => {
      const sources = this.options.sources;
      if (!sources)
        throw new JobError(
          'JOBS_SOURCES_UNAVAILABLE',
          'this worker has no subscription sources to pull from',
        );
      return runSourcePull({ ...sources, notify }, data);
    });

    const watching = () => {
      const watch = this.options.watch;
      if (!watch)
        throw new JobError('JOBS_WATCH_UNAVAILABLE', 'this worker has no reconciliation or drift watch');
      return { ...watch, notify };
    };
    const watchGaveUp =
      (what: string, retryCommand: string | null) => async (_data: unknown, error: unknown) => {
        const described = describeJobError(error);
        await recordAudit(prisma, {
          actor: SCHEDULER_ACTOR,
          action: 'job.failed',
          outcome: 'failed',
          details: { job: what, ...described },
        });
        await notify(`watch:${what}:${this.now().toISOString().slice(0, 10)}:failed`, {
          kind: 'failure',
          runId: null,
          customerName: 'all customers',
          what: `the ${what} failed ${this.retry.watch.maxAttempts} times and was given up: ${described.message}`,
          errors: [described],
          retryCommand,
        });
      };
    this.define(
      JOB.reconcileMonth,
      'watch',
      ReconcileMonthJobDataSchema,
      (data) => runReconcileMonth(watching(), data),
      {},
      watchGaveUp('monthly reconciliation', 'reconcile all'),
    );
    this.define(
      JOB.watchDrift,
      'watch',
      DriftWatchJobDataSchema,
      () => runDriftWatch(watching()),
      {},
      watchGaveUp('drift watch', null),
    );

    this.define(JOB.expireApprovals, 'expiry', z.object({}).passthrough(), async () => {
      const expired = await expireStaleApprovals(prisma, this.now());
      for (const run of expired)
        await notify(`${run.runId}:expired`, {
          kind: 'outcome',
          runId: run.runId,
          outcome: 'expired',
          summary: `${run.from === 'approved' ? 'approved but not uploaded' : 'not approved'} by ${run.expiresAt.toISOString()} — validate again`,
        });
      for (const id of await pendingNoticeIds(prisma, this.now(), 2 * 60_000)) await this.queueDelivery(id);
      return { expired: expired.length };
    });

    this.define(
      JOB.deliverNotification,
      'notification',
      NotificationJobDataSchema,
      (data) => deliverStoredNotice(prisma, this.options.notifier, BigInt(data.notificationId), this.now),
      { concurrency: 4 },
      async (data, error) => {
        if (!data) return;
        await markUndeliverable(prisma, BigInt(data.notificationId));
        await recordAudit(prisma, {
          actor: SCHEDULER_ACTOR,
          action: 'notification.undeliverable',
          outcome: 'failed',
          details: { notificationId: data.notificationId, ...describeJobError(error) },
        });
        logger.error({ notificationId: data.notificationId }, 'a notification could not be delivered');
      },
    );
  }

  private async queueDelivery(id: bigint): Promise<void> {
    const job = this.agenda.create(JOB.deliverNotification, { notificationId: id.toString() });
    job.unique({ 'data.notificationId': id.toString() }, { insertOnly: true });
    await job.save();
  }

  /**
   * Defines a job whose body gets zod-checked data. Each execution is recorded; a throw is
   * retried by the kind's policy; when retries are exhausted the failure is audited and
   * (unless `onExhausted` says otherwise) a failure notification is sent — once.
   */
  private define<D>(
    name: JobName,
    kind: JobKind,
    schema: z.ZodType<D>,
    body: (data: D, running: RunningJob) => Promise<unknown>,
    options: { concurrency?: number } = {},
    onExhausted?: (data: D | undefined, error: unknown) => Promise<void>,
  ): void {
    if (!this.takes(kind)) return;
    const { prisma, logger } = this.options;
    const metrics = this.options.metrics ?? noMetrics;
    const policy = this.retry[kind];
    const lockLifetime = this.options.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
    this.agenda.define(
      name,
      async (job: Job<unknown>) => {
        const attempt = (job.attrs.failCount ?? 0) + 1;
        const jobId = String(job.attrs._id);
        const execution = await prisma.jobExecution.create({
          data: { jobId, jobName: name, worker: this.worker, attempt },
        });
        const running: RunningJob = { atSafePoint: () => false };
        this.running.add(running);
        // keeps Agenda's lock on a long upload, so no other worker takes the job meanwhile
        const touch = setInterval(() => void job.touch().catch(() => undefined), lockLifetime / 3);
        const parsed = schema.safeParse(job.attrs.data);
        try {
          if (!parsed.success)
            throw new JobError('JOB_DATA_INVALID', `job ${name} ${jobId} carries data it cannot use`);
          const result = await body(parsed.data, running);
          await prisma.jobExecution.update({
            where: { id: execution.id },
            data: { finishedAt: this.now(), outcome: 'succeeded' },
          });
          metrics.jobRun(name, 'succeeded');
          logger.info({ job: name, jobId, attempt, worker: this.worker, result }, 'job done');
        } catch (error) {
          metrics.jobRun(name, 'failed');
          const described = describeJobError(error);
          await prisma.jobExecution
            .update({
              where: { id: execution.id },
              data: { finishedAt: this.now(), outcome: 'failed', problem: described },
            })
            .catch(() => undefined);
          const delay = jobRetryDelay(policy, attempt);
          if (delay === null) {
            logger.error({ job: name, jobId, attempt, error: described }, 'job failed; retries exhausted');
            const data = parsed.success ? parsed.data : undefined;
            if (onExhausted) await onExhausted(data, error).catch(() => undefined);
            else await this.recordFinalFailure(name, jobId, attempt, data, described).catch(() => undefined);
          } else
            logger.warn(
              { job: name, jobId, attempt, retryInMs: delay, error: described },
              'job failed; will retry',
            );
          throw error;
        } finally {
          clearInterval(touch);
          this.running.delete(running);
        }
      },
      {
        backoff: backoffFor(policy),
        concurrency: options.concurrency ?? 1,
        // a worker locks only jobs it starts at once: a job locked but waiting in the local queue
        // is not touched, its lock would lapse, and another worker would run it a second time
        lockLimit: options.concurrency ?? 1,
        lockLifetime,
      },
    );
  }

  private async recordFinalFailure(
    name: JobName,
    jobId: string,
    attempts: number,
    data: unknown,
    error: Problem,
  ): Promise<void> {
    const fields = (data ?? {}) as { runId?: string; scope?: string; scheduleId?: string | null };
    const runScope = fields.runId
      ? (
          await this.options.prisma.syncRun.findUnique({
            where: { id: fields.runId },
            select: { scope: true },
          })
        )?.scope
      : undefined;
    const scope = fields.scope ?? runScope;
    await recordAudit(this.options.prisma, {
      actor: SCHEDULER_ACTOR,
      action: 'job.failed',
      outcome: 'failed',
      runId: fields.runId,
      customerId: scope && scope !== 'all' ? scope : undefined,
      details: { job: name, jobId, attempts, scheduleId: fields.scheduleId ?? null, ...error },
    });
    const upload = name === JOB.uploadRun;
    const pulled = SourcePullJobDataSchema.safeParse(data);
    if (name === JOB.pullSource && pulled.success) {
      const label = SOURCE_LABEL[pulled.data.source];
      await this.notify(`job:${jobId}:failed:${attempts}`, {
        kind: 'failure',
        runId: null,
        customerName: `${label} (all customers)`,
        what: `the scheduled ${label} pull failed ${attempts} times and was given up: ${error.message}`,
        errors: [error],
        retryCommand: `source sync ${pulled.data.source}`,
      });
      return;
    }
    await this.notify(`job:${jobId}:failed:${attempts}`, {
      kind: 'failure',
      runId: fields.runId ?? null,
      customerName: scope ? await scopeName(this.options.prisma, scope) : 'unknown customer',
      what: `${upload ? 'the upload' : 'the scheduled validation'} failed ${attempts} times and was given up: ${error.message}`,
      errors: [error],
      retryCommand: upload && fields.runId ? `retry ${fields.runId}` : scope ? `validate ${scope}` : null,
    });
  }
}
