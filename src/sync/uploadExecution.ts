// One live executor per run, decided in the database — not by the tenant-wide advisory lock alone,
// which a dropped lock connection or a connection pooler in transaction mode can lose. An
// execution claims the run by compare-and-set (sync_runs.execution_id from the value it read);
// while it runs, a transaction of its own holds its upload_executions row locked. Another
// executor that finds the run claimed takes it over only when that row is no longer locked: the
// execution ended, or its process died and PostgreSQL ended its transaction. Otherwise it
// answers RUN_BUSY and sends nothing.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db/prismaClient.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface UploadExecution {
  id: string;
  /** false once the lock on its row was lost (connection dropped): stop sending */
  alive(): boolean;
  /** gives the run up and ends the execution */
  end(): Promise<void>;
}

export type ExecutionClaim =
  { ok: true; execution: UploadExecution } | { ok: false; code: 'RUN_BUSY'; message: string };

/** the longest an execution keeps its row locked; an upload takes minutes */
const LIVENESS_TIMEOUT_MS = 24 * 3_600_000;
/** a killed process's transaction ends a moment after it dies: look again a few times */
const DEAD_CHECKS = 4;
const DEAD_CHECK_PAUSE_MS = 150;

export async function claimExecution(prisma: PrismaClient, runId: string): Promise<ExecutionClaim> {
  const id = `x-${randomBytes(6).toString('hex')}`;
  await prisma.uploadExecution.create({ data: { id, runId } });
  const liveness = await holdRow(prisma, id);
  const busy = async (holder: string | null): Promise<ExecutionClaim> => {
    await liveness.release();
    await prisma.uploadExecution.update({ where: { id }, data: { finishedAt: new Date() } });
    return {
      ok: false,
      code: 'RUN_BUSY',
      message: holder
        ? `run ${runId} is being uploaded by another worker (execution ${holder}); nothing was sent`
        : `run ${runId} was finished by another worker meanwhile; nothing was sent`,
    };
  };
  try {
    const run = await prisma.syncRun.findUnique({ where: { id: runId }, select: { executionId: true } });
    const previous = run?.executionId ?? null;
    if (previous !== null && !(await isDead(prisma, previous))) return await busy(previous);
    const claimed = await prisma.syncRun.updateMany({
      where: { id: runId, state: 'uploading', executionId: previous },
      data: { executionId: id },
    });
    if (claimed.count !== 1) {
      const now = await prisma.syncRun.findUnique({ where: { id: runId }, select: { executionId: true } });
      return await busy(now?.executionId ?? null);
    }
  } catch (error) {
    await liveness.release();
    throw error;
  }
  return {
    ok: true,
    execution: {
      id,
      alive: () => !liveness.lost(),
      async end() {
        await prisma.syncRun.updateMany({
          where: { id: runId, executionId: id },
          data: { executionId: null },
        });
        await liveness.release();
        await prisma.uploadExecution.update({ where: { id }, data: { finishedAt: new Date() } });
      },
    },
  };
}

/** An execution is dead when its row exists and nobody holds it locked. */
async function isDead(prisma: PrismaClient, executionId: string): Promise<boolean> {
  for (let check = 1; ; check++) {
    const free = await prisma.$transaction(
      (tx) =>
        tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM upload_executions WHERE id = ${executionId} FOR UPDATE SKIP LOCKED`,
    );
    if (free.length === 1) return true;
    const exists = await prisma.uploadExecution.count({ where: { id: executionId } });
    if (exists === 0) return true;
    if (check >= DEAD_CHECKS) return false;
    await sleep(DEAD_CHECK_PAUSE_MS);
  }
}

/** Locks the row in a transaction that stays open until released. */
async function holdRow(
  prisma: PrismaClient,
  executionId: string,
): Promise<{ release(): Promise<void>; lost(): boolean }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const lockTaken = new Promise<'locked'>((r) => (locked = () => r('locked')));
  let lost = false;
  const transaction = prisma
    .$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM upload_executions WHERE id = ${executionId} FOR UPDATE`;
        locked();
        await released;
      },
      { maxWait: 30_000, timeout: LIVENESS_TIMEOUT_MS },
    )
    .then(
      () => 'ended' as const,
      () => {
        lost = true;
        return 'ended' as const;
      },
    );
  if ((await Promise.race([lockTaken, transaction])) !== 'locked')
    throw new Error(`UPLOAD_EXECUTION_UNLOCKED: could not lock execution ${executionId}`);
  return {
    lost: () => lost,
    async release() {
      release();
      await transaction;
    },
  };
}
