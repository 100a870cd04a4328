// The Agenda job names, kept in one place: they are stored in the jobs table, so renaming one
// orphans the jobs already queued under the old name.
export const JOB = {
  validateThenRequest: 'autotask-bot.validate-then-request',
  uploadRun: 'autotask-bot.upload-run',
  expireApprovals: 'autotask-bot.expire-approvals',
  deliverNotification: 'autotask-bot.deliver-notification',
  pullSource: 'autotask-bot.pull-source',
  reconcileMonth: 'autotask-bot.reconcile-month',
  watchDrift: 'autotask-bot.watch-drift',
} as const;
export type JobName = (typeof JOB)[keyof typeof JOB];
