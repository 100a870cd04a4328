// `schedule <customer>|all daily|weekly|"<cron>"`: validations on a cadence. The repeating job is
// made first and the row second, so a failure in between leaves at most a job without a row,
// which removes itself the first time it fires.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { parseCadence } from '../core/scheduleCadence.js';
import {
  newScheduleId,
  scheduleTargetName,
  type ScheduleOutcome,
  type ScheduleQueue,
  type ScheduleRefusalCode,
  type ScheduleTarget,
} from './schedule.js';

const SCHEDULE_HINTS: Record<ScheduleRefusalCode, string> = {
  SCHEDULE_CADENCE_INVALID: '`help schedule` shows the cadences with examples',
  SCHEDULE_TOO_FREQUENT: 'choose daily, weekly or a cron that fires at most hourly',
  CUSTOMER_NOT_FOUND: 'list customers with `customers`',
};

export async function createSchedule(
  deps: { prisma: PrismaClient; queue: ScheduleQueue; now?: () => Date },
  input: { target: ScheduleTarget; cadence: string; actor: Actor },
): Promise<ScheduleOutcome> {
  const { prisma, queue } = deps;
  const cadence = parseCadence(input.cadence, deps.now?.() ?? new Date());
  if (!cadence.ok) {
    await recordAudit(prisma, {
      actor: input.actor,
      action: 'schedule.create',
      outcome: 'denied',
      details: { code: cadence.code, message: cadence.message, cadence: input.cadence.slice(0, 200) },
    });
    return { ...cadence, hint: SCHEDULE_HINTS[cadence.code] };
  }
  const scope = input.target.all ? 'all' : input.target.customerId;
  if (scope !== 'all' && !(await prisma.customer.findUnique({ where: { id: scope }, select: { id: true } })))
    return {
      ok: false,
      code: 'CUSTOMER_NOT_FOUND',
      message: `there is no customer ${scope}`,
      hint: SCHEDULE_HINTS.CUSTOMER_NOT_FOUND,
    };
  const id = newScheduleId();
  const { nextRunAt } = await queue.putRecurring({ scheduleId: id, scope, cron: cadence.cron });
  try {
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.jobSchedule.create({
        data: { id, scope, cadence: cadence.cadence, cron: cadence.cron, createdBy: input.actor.id },
      });
      await recordAudit(tx, {
        actor: input.actor,
        action: 'schedule.created',
        customerId: scope === 'all' ? undefined : scope,
        details: { scheduleId: id, scope, cadence: cadence.cadence, cron: cadence.cron },
      });
      return created;
    });
    return {
      ok: true,
      schedule: {
        id,
        target: await scheduleTargetName(prisma, scope),
        cadence: row.cadence,
        cron: row.cron,
        nextRunAt,
        createdBy: row.createdBy,
      },
    };
  } catch (error) {
    await queue.removeRecurring(id).catch(() => undefined);
    throw error;
  }
}
