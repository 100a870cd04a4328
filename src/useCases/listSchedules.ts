// `schedules`: every schedule with the next time its job runs.
import type { PrismaClient } from '../db/prismaClient.js';
import { scheduleTargetName, type ScheduleQueue, type ScheduleView } from './schedule.js';

export async function listSchedules(deps: {
  prisma: PrismaClient;
  queue: ScheduleQueue;
}): Promise<ScheduleView[]> {
  const rows = await deps.prisma.jobSchedule.findMany({ orderBy: { createdAt: 'asc' } });
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      target: await scheduleTargetName(deps.prisma, row.scope),
      cadence: row.cadence,
      cron: row.cron,
      nextRunAt: await deps.queue.nextRunAt(row.id),
      createdBy: row.createdBy,
    })),
  );
}
