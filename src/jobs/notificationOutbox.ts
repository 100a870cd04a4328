// Notices wait in the database before they are delivered: one row per key, so a job that runs
// again, or a delivery that is retried, never tells a channel the same thing twice. Delivery is
// a job of its own, retried by policy while the chat platform does not answer.
import type { Prisma } from '../db/generated/prisma/client.js';
import type { PrismaClient } from '../db/prismaClient.js';
import {
  deliverNotice,
  NoticeSchema,
  ProgressNoticeSchema,
  type Notice,
  type Notifier,
  type ProgressNotice,
} from './notifier.js';
import { processSecrets } from '../observability/secretScrubber.js';

/** Stores a notice unless one with this key exists; answers the row id when it is new. */
export async function storeNotice(prisma: PrismaClient, key: string, notice: Notice): Promise<bigint | null> {
  // a notice is shown in chat: no secret in it, whatever error text it carries
  const checked = processSecrets.scrubValue(NoticeSchema.parse(notice));
  const rows = await prisma.$queryRaw<{ id: bigint }[]>`
    INSERT INTO job_notifications (key, kind, run_id, payload)
    VALUES (${key}, ${checked.kind}, ${'runId' in checked ? checked.runId : null},
            ${JSON.stringify(checked)}::jsonb)
    ON CONFLICT (key) DO NOTHING
    RETURNING id`;
  return rows[0]?.id ?? null;
}

/** The newest progress notice of a run stored after row `after` (0: any), with its row id. */
export async function newestProgressNotice(
  prisma: PrismaClient,
  runId: string,
  after = 0n,
): Promise<{ id: bigint; notice: ProgressNotice } | null> {
  const row = await prisma.jobNotification.findFirst({
    where: { runId, kind: 'progress', id: { gt: after } },
    orderBy: { id: 'desc' },
    select: { id: true, payload: true },
  });
  const parsed = row && ProgressNoticeSchema.safeParse(row.payload);
  return row && parsed?.success ? { id: row.id, notice: parsed.data } : null;
}

export type DeliveryResult = 'sent' | 'already sent' | 'gone';

/** Delivers one stored notice. A notifier error is recorded and thrown, so the job retries it. */
export async function deliverStoredNotice(
  prisma: PrismaClient,
  notifier: Notifier,
  id: bigint,
  now: () => Date = () => new Date(),
): Promise<DeliveryResult> {
  const row = await prisma.jobNotification.findUnique({ where: { id } });
  if (!row) return 'gone';
  if (row.status === 'sent') return 'already sent';
  const notice = NoticeSchema.parse(row.payload);
  try {
    await deliverNotice(notifier, notice);
  } catch (error) {
    await prisma.jobNotification.update({
      where: { id },
      data: {
        attempts: { increment: 1 },
        lastError: processSecrets.scrubText(String((error as Error).message ?? error)).slice(0, 500),
      },
    });
    throw error;
  }
  await prisma.jobNotification.update({
    where: { id },
    data: { status: 'sent', attempts: { increment: 1 }, sentAt: now(), lastError: null },
  });
  return 'sent';
}

export async function markUndeliverable(prisma: PrismaClient, id: bigint): Promise<void> {
  await prisma.jobNotification.updateMany({ where: { id, status: 'pending' }, data: { status: 'failed' } });
}

/** Pending notices older than `olderThanMs` (their delivery job may have been lost in a crash). */
export async function pendingNoticeIds(
  prisma: PrismaClient,
  now: Date,
  olderThanMs: number,
): Promise<bigint[]> {
  const rows = await prisma.jobNotification.findMany({
    where: { status: 'pending', createdAt: { lt: new Date(now.getTime() - olderThanMs) } },
    select: { id: true },
    take: 500,
  });
  return rows.map((r) => r.id);
}

export type StoredNotice = { id: bigint; key: string; status: string; attempts: number; notice: Notice };

export async function listNotices(
  prisma: PrismaClient,
  where: Prisma.JobNotificationWhereInput = {},
): Promise<StoredNotice[]> {
  const rows = await prisma.jobNotification.findMany({ where, orderBy: { id: 'asc' } });
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    status: r.status,
    attempts: r.attempts,
    notice: NoticeSchema.parse(r.payload),
  }));
}
