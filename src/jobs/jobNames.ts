// The Agenda job names, kept in one place: they are stored in the jobs table, so renaming one
// orphans the jobs already queued under the old name.
export const JOB = {
  validateThenRequest: 'autotask-bot.validate-then-request',
  uploadRun: 'autotask-bot.upload-run',
  expireApprovals: 'autotask-bot.expire-approvals',
  deliverNotification: 'autotask-bot.deliver-notification',
} as const;
export type JobName = (typeof JOB)[keyof typeof JOB];

/** who the jobs act as, in runs and the audit log */
export const SCHEDULER_ACTOR = { id: 'system:scheduler', name: 'scheduled validation' } as const;
export const UPLOAD_ACTOR = { id: 'system:upload-job', name: 'upload job' } as const;
export const AUTO_APPROVE_ACTOR = { id: 'system:auto-approve', name: 'auto-approve policy' } as const;
export const EXPIRY_ACTOR = { id: 'system:approval-expiry', name: 'approval expiry' } as const;
