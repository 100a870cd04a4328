// Who the bot's own work acts as, in runs, decisions and the audit log. The ids are stored, so
// renaming one splits the history of that actor.
export const SCHEDULER_ACTOR = { id: 'system:scheduler', name: 'scheduled validation' } as const;
export const UPLOAD_ACTOR = { id: 'system:upload-job', name: 'upload job' } as const;
export const AUTO_APPROVE_ACTOR = { id: 'system:auto-approve', name: 'auto-approve policy' } as const;
export const EXPIRY_ACTOR = { id: 'system:approval-expiry', name: 'approval expiry' } as const;
export const SOURCE_PULL_ACTOR = { id: 'system:source-pull', name: 'scheduled source pull' } as const;
export const WATCH_ACTOR = { id: 'system:watch', name: 'drift watch and monthly reconciliation' } as const;
