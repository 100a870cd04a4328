// "Nothing more will happen": the point after which a test may check that something did NOT
// happen (a second notice, a second upload). Every one-off job has run to its end (none is
// running, none waits for a retry), every execution record is closed, and no notice waits for
// delivery. Recurring jobs (the approval sweep) always have a next run and are left out.
import type { PrismaClient } from '../../src/db/prismaClient.js';
import { JOB } from '../../src/jobs/jobNames.js';

const ONE_OFF_JOBS = [JOB.uploadRun, JOB.deliverNotification, JOB.validateThenRequest];

export async function jobsSettled(prisma: PrismaClient): Promise<boolean> {
  const [queued] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM agenda_jobs
    WHERE name = ANY(${ONE_OFF_JOBS}) AND repeat_interval IS NULL AND disabled = FALSE
      AND (locked_at IS NOT NULL OR next_run_at IS NOT NULL)`;
  const [undelivered] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM job_notifications WHERE status = 'pending'`;
  const running = await prisma.jobExecution.count({ where: { outcome: 'running' } });
  return Number(queued!.n) === 0 && Number(undelivered!.n) === 0 && running === 0;
}
