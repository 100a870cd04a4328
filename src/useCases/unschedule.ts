// `unschedule <id>`: the row goes (audited) and then its repeating job.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { ScheduleQueue } from './schedule.js';

/** `unschedule <id>`: true when a schedule was removed, false when there was none. */
export async function removeSchedule(
  deps: { prisma: PrismaClient; queue: ScheduleQueue },
  input: { id: string; actor: Actor },
): Promise<boolean> {
  const id = input.id.trim();
  const removed = await deps.prisma.$transaction(async (tx) => {
    const row = await tx.jobSchedule.findUnique({ where: { id } });
    if (!row) return null;
    await tx.jobSchedule.delete({ where: { id } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'schedule.removed',
      customerId: row.scope === 'all' ? undefined : row.scope,
      details: { scheduleId: id, scope: row.scope, cadence: row.cadence },
    });
    return row;
  });
  if (!removed) return false;
  await deps.queue.removeRecurring(id);
  return true;
}
