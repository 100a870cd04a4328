// A schedule of validations: a row (listed, audited) plus a repeating job that carries its id.
// What the schedule use cases (scheduleValidation, listSchedules, unschedule) share.
import { randomBytes } from 'node:crypto';
import type { Problem } from '../core/problem.js';
import type { PrismaClient } from '../db/prismaClient.js';

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

export type ScheduleRefusalCode = 'SCHEDULE_CADENCE_INVALID' | 'SCHEDULE_TOO_FREQUENT' | 'CUSTOMER_NOT_FOUND';

export type ScheduleOutcome =
  { ok: true; schedule: ScheduleView } | ({ ok: false } & Problem<ScheduleRefusalCode>);

export const newScheduleId = (): string => `sch_${randomBytes(3).toString('hex')}`;

export async function scheduleTargetName(prisma: PrismaClient, scope: string): Promise<string> {
  if (scope === 'all') return 'all customers';
  const customer = await prisma.customer.findUnique({ where: { id: scope }, select: { name: true } });
  return customer?.name ?? `${scope} (customer removed)`;
}
