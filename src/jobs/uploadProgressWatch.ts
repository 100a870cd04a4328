// What a process waiting for an upload (the CLI's `approve`) shows of it: the progress notices
// the upload job stores for chat's cards (uploadJob.ts), read from the outbox as they come, so
// it is the same progress whichever worker runs the job.
import type { OnProgress } from '../core/progress.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { newestProgressNotice } from './notificationOutbox.js';

/** Answers a check to call while waiting: it tells `onProgress` each notice newer than the last. */
export async function watchUploadProgress(
  prisma: PrismaClient,
  runId: string,
  onProgress: OnProgress,
): Promise<() => Promise<void>> {
  // an earlier attempt's notices (a retry) are not this upload's progress
  let seen = (await newestProgressNotice(prisma, runId))?.id ?? 0n;
  return async () => {
    const newest = await newestProgressNotice(prisma, runId, seen);
    if (!newest) return;
    seen = newest.id;
    const { done, total, failed } = newest.notice;
    onProgress({ done, total, failed: failed ?? 0 });
  };
}
