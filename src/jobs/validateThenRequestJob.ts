// The scheduled job: validate a customer (or all), post the validation result, and when it is
// clean request the upload and post an approval request. The upload then waits for an approver
// — unless the auto-approve policy is on and the plan only adds units, within its limit.
import { z } from 'zod';
import type { PrismaClient } from '../db/prismaClient.js';
import { readRunPolicy } from '../sync/runPolicy.js';
import { validateRun, type ValidateDependencies } from '../sync/validateRun.js';
import { approveRun } from '../useCases/approveRun.js';
import { requestUpload } from '../useCases/requestUpload.js';
import { decideAutoApprove, readAutoApprovePolicy } from './autoApprovePolicy.js';
import { JobError } from './jobError.js';
import { AUTO_APPROVE_ACTOR, SCHEDULER_ACTOR } from '../audit/systemActors.js';
import type { Notice } from './notifier.js';

export const ValidateJobDataSchema = z.object({
  /** null for a one-off run */
  scheduleId: z.string().nullable(),
  /** "all" or a customer id */
  scope: z.string().min(1),
});
export type ValidateJobData = z.infer<typeof ValidateJobDataSchema>;

export interface ValidateJobDependencies {
  prisma: PrismaClient;
  planning: ValidateDependencies | undefined;
  notify(key: string, notice: Notice): Promise<void>;
  enqueueUpload(runId: string): Promise<void>;
  removeRecurring(scheduleId: string): Promise<void>;
  now: () => Date;
}

export type ValidateJobResult =
  | { kind: 'orphan'; scheduleId: string }
  | {
      kind: 'validated';
      runId: string;
      clean: boolean;
      requested: boolean;
      autoApproved: boolean;
      reason?: string;
    };

export async function runValidateThenRequest(
  deps: ValidateJobDependencies,
  data: ValidateJobData,
): Promise<ValidateJobResult> {
  const { prisma } = deps;
  if (data.scheduleId && !(await prisma.jobSchedule.findUnique({ where: { id: data.scheduleId } }))) {
    // the schedule was removed (or never stored): the repeating job goes too
    await deps.removeRecurring(data.scheduleId);
    return { kind: 'orphan', scheduleId: data.scheduleId };
  }
  if (!deps.planning)
    throw new JobError(
      'JOBS_PLANNING_UNAVAILABLE',
      'scheduled validation needs the validate use case, which this worker was started without',
    );
  const { outcome, plan } = await validateRun(deps.planning, SCHEDULER_ACTOR, data.scope);
  if (!outcome.ok || !plan) throw new JobError('VALIDATION_FAILED', outcome.ok ? 'no plan' : outcome.message);
  const run = outcome.run;
  const clean = run.state === 'validated_clean';
  await deps.notify(`${run.id}:validation`, {
    kind: 'validation',
    runId: run.id,
    scope: data.scope,
    clean,
    scheduleId: data.scheduleId,
    customers: plan.customers.map((c) => ({
      customerId: c.customerId,
      customerName: c.customerName,
      blocked: c.blocked,
      operations: c.linesToCreate + c.adjustments,
      netUnitChange: c.netUnitChange,
      mrrChange: c.mrrChange,
      findings: c.findings.map((f) => ({ code: f.code, message: f.message, hint: f.hint })),
    })),
  });
  if (!clean || plan.operations.length === 0)
    return {
      kind: 'validated',
      runId: run.id,
      clean,
      requested: false,
      autoApproved: false,
      reason: clean ? 'nothing to upload' : 'validation found errors',
    };

  // the plan was computed a moment ago: request and approval check against it
  const check = { currentPlanHash: plan.planHash, now: deps.now(), policy: await readRunPolicy(prisma) };
  const requested = await requestUpload(deps.planning, SCHEDULER_ACTOR, run.id, check);
  if (!requested.ok) throw new JobError(requested.code, requested.message);

  const decision = decideAutoApprove(
    await readAutoApprovePolicy(prisma),
    plan.operations.map((op) => ({
      customerId: op.customerId,
      kind: op.kind,
      unitChange: op.kind === 'adjust' ? op.unitChange : 0,
    })),
  );
  let autoApproved = false;
  // the upload is queued once the approval request is out, so its progress updates that card
  const queued: string[] = [];
  if (decision.approve) {
    const approved = await approveRun(
      { planning: deps.planning, queue: { enqueueUpload: async (runId) => void queued.push(runId) } },
      AUTO_APPROVE_ACTOR,
      run.id,
      check,
    );
    autoApproved = approved.ok;
  }
  await deps.notify(`${run.id}:approval`, {
    kind: 'approval_request',
    runId: run.id,
    scope: data.scope,
    requestedBy: SCHEDULER_ACTOR.id,
    expiresAt: requested.run.expiresAt?.toISOString() ?? null,
    operations: plan.operations.length,
    autoApproved,
    approveCommand: `approve ${run.id}`,
    rejectCommand: `reject ${run.id}`,
  });
  for (const runId of queued) await deps.enqueueUpload(runId);
  return {
    kind: 'validated',
    runId: run.id,
    clean,
    requested: true,
    autoApproved,
    reason: decision.approve ? undefined : decision.reason,
  };
}
