// `schedule <customer>|all daily|weekly|"<cron>"`, `schedules`, `unschedule <id>`: the use cases
// the chat router calls. A schedule is a row (listed, audited) plus a repeating Agenda job that
// carries its id; the job is made first and the row second, so a failure in between leaves at
// most a job without a row, which removes itself the first time it fires.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { parseCadence } from './scheduleCadence.js';

/** What the schedule use cases need from the job queue (JobScheduler implements it). */
export interface ScheduleQueue {
  /** creates or replaces the repeating job of this schedule; answers its next run */
  putRecurring(input: {
    scheduleId: string;
    scope: string;
    cron: string;
  }): Promise<{ nextRunAt: Date | null }>;
  removeRecurring(scheduleId: string): Promise<void>;
  nextRunAt(scheduleId: string): Promise<Date | null>;
}

/** The chat's schedule target: every customer, or one resolved customer id. */
export type ScheduleTarget = { all: true } | { all: false; customerId: string };

export interface ScheduleView {
  id: string;
  /** "all customers" or the customer's name */
  target: string;
  cadence: string;
  cron: string;
  nextRunAt: Date | null;
  createdBy: string;
}

export type ScheduleOutcome =
  | { ok: true; schedule: ScheduleView }
  | {
      ok: false;
      code: 'SCHEDULE_CADENCE_INVALID' | 'SCHEDULE_TOO_FREQUENT' | 'CUSTOMER_NOT_FOUND';
      message: string;
    };

export const newScheduleId = (): string => `sch_${randomBytes(3).toString('hex')}`;

async function targetName(prisma: PrismaClient, scope: string): Promise<string> {
  if (scope === 'all') return 'all customers';
  const customer = await prisma.customer.findUnique({ where: { id: scope }, select: { name: true } });
  return customer?.name ?? `${scope} (customer removed)`;
}

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
    return cadence;
  }
  const scope = input.target.all ? 'all' : input.target.customerId;
  if (scope !== 'all' && !(await prisma.customer.findUnique({ where: { id: scope }, select: { id: true } })))
    return {
      ok: false,
      code: 'CUSTOMER_NOT_FOUND',
      message: `there is no customer ${scope} — list them with \`customers\``,
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
        target: await targetName(prisma, scope),
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

export async function listSchedules(deps: {
  prisma: PrismaClient;
  queue: ScheduleQueue;
}): Promise<ScheduleView[]> {
  const rows = await deps.prisma.jobSchedule.findMany({ orderBy: { createdAt: 'asc' } });
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      target: await targetName(deps.prisma, row.scope),
      cadence: row.cadence,
      cron: row.cron,
      nextRunAt: await deps.queue.nextRunAt(row.id),
      createdBy: row.createdBy,
    })),
  );
}

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
