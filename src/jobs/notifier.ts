// The port through which jobs tell people what happened. The chat parts implement it (Slack and
// Teams post cards to the `notify here` channel); console and recording implementations live
// here. Every notice is plain data (zod-checked, stored in the outbox before delivery), and every
// button is a command: a failure's Retry is `retry <run>`.
import { z } from 'zod';
import { ProblemSchema } from '../core/problem.js';
import { ReconciliationSummarySchema } from '../reconciliation/reconciliationSummary.js';

const CustomerLineSchema = z.object({
  customerId: z.string(),
  customerName: z.string(),
  blocked: z.boolean(),
  operations: z.number().int(),
  netUnitChange: z.number().int(),
  /** decimal string */
  mrrChange: z.string(),
  findings: z.array(ProblemSchema),
});

/** A notice about one run: its kind, then the run. */
const runNotice = <K extends string>(kind: K) => z.object({ kind: z.literal(kind), runId: z.string() });

export const ValidationNoticeSchema = runNotice('validation').extend({
  scope: z.string(),
  clean: z.boolean(),
  scheduleId: z.string().nullable(),
  customers: z.array(CustomerLineSchema),
});

export const ApprovalRequestNoticeSchema = runNotice('approval_request').extend({
  scope: z.string(),
  requestedBy: z.string(),
  /** ISO time the request expires */
  expiresAt: z.string().nullable(),
  operations: z.number().int(),
  /** true when the auto-approve policy approved it (the card then only informs) */
  autoApproved: z.boolean(),
  approveCommand: z.string(),
  rejectCommand: z.string(),
});

export const ProgressNoticeSchema = runNotice('progress').extend({
  done: z.number().int(),
  total: z.number().int(),
  /**
   * operations failed so far; in an attempt's last notice, all it left not done (absent in
   * notices stored before it was told)
   */
  failed: z.number().int().optional(),
});

export const OutcomeNoticeSchema = runNotice('outcome').extend({
  /** succeeded | partially_failed | failed | expired */
  outcome: z.enum(['succeeded', 'partially_failed', 'failed', 'expired']),
  summary: z.string(),
});

export const FailureNoticeSchema = z.object({
  kind: z.literal('failure'),
  runId: z.string().nullable(),
  customerName: z.string(),
  /** what failed, in plain words */
  what: z.string(),
  errors: z.array(ProblemSchema),
  /** the command behind the Retry button, e.g. `retry r-7f3a9c2e`; null when nothing can be retried */
  retryCommand: z.string().nullable(),
});

/** The monthly reconciliation (docs/reconciliation.md): what its card shows. */
export const ReconciliationNoticeSchema = z.object({
  kind: z.literal('reconciliation'),
  summary: ReconciliationSummarySchema,
});

/** The drift watch found Autotask's units of a customer's lines differ from what was sent. */
export const DriftNoticeSchema = z.object({
  kind: z.literal('drift'),
  customerId: z.string(),
  customerName: z.string(),
  lines: z.array(
    z.object({
      productName: z.string(),
      billingCycle: z.string(),
      contractServiceId: z.number().int(),
      /** YYYY-MM-DD: the first date the units differ */
      since: z.string(),
      detail: z.string(),
    }),
  ),
  /** the command behind "Plan a correction": a validation, whose upload still needs an approver */
  correctionCommand: z.string(),
});

export const NoticeSchema = z.discriminatedUnion('kind', [
  ValidationNoticeSchema,
  ApprovalRequestNoticeSchema,
  ProgressNoticeSchema,
  OutcomeNoticeSchema,
  FailureNoticeSchema,
  ReconciliationNoticeSchema,
  DriftNoticeSchema,
]);

export type ValidationNotice = z.infer<typeof ValidationNoticeSchema>;
export type ApprovalRequestNotice = z.infer<typeof ApprovalRequestNoticeSchema>;
export type ProgressNotice = z.infer<typeof ProgressNoticeSchema>;
export type OutcomeNotice = z.infer<typeof OutcomeNoticeSchema>;
export type FailureNotice = z.infer<typeof FailureNoticeSchema>;
export type ReconciliationNotice = z.infer<typeof ReconciliationNoticeSchema>;
export type DriftNotice = z.infer<typeof DriftNoticeSchema>;
export type Notice = z.infer<typeof NoticeSchema>;

/**
 * Implementations post to the configured notification channel. A throw means "not delivered":
 * the delivery job retries it by policy, so implementations need not retry themselves.
 */
export interface Notifier {
  validationFinished(notice: ValidationNotice): Promise<void>;
  approvalRequested(notice: ApprovalRequestNotice): Promise<void>;
  progress(notice: ProgressNotice): Promise<void>;
  outcome(notice: OutcomeNotice): Promise<void>;
  failure(notice: FailureNotice): Promise<void>;
  reconciliation(notice: ReconciliationNotice): Promise<void>;
  drift(notice: DriftNotice): Promise<void>;
}

export async function deliverNotice(notifier: Notifier, notice: Notice): Promise<void> {
  switch (notice.kind) {
    case 'validation':
      return notifier.validationFinished(notice);
    case 'approval_request':
      return notifier.approvalRequested(notice);
    case 'progress':
      return notifier.progress(notice);
    case 'outcome':
      return notifier.outcome(notice);
    case 'failure':
      return notifier.failure(notice);
    case 'reconciliation':
      return notifier.reconciliation(notice);
    case 'drift':
      return notifier.drift(notice);
  }
}

/** Tells several notifiers (Slack and Teams); fails only when every one of them failed. */
export function combineNotifiers(notifiers: Notifier[]): Notifier {
  const all = async (call: (n: Notifier) => Promise<void>) => {
    const results = await Promise.allSettled(notifiers.map(call));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (notifiers.length > 0 && failed.length === notifiers.length) throw failed[0]!.reason;
  };
  return {
    validationFinished: (n) => all((x) => x.validationFinished(n)),
    approvalRequested: (n) => all((x) => x.approvalRequested(n)),
    progress: (n) => all((x) => x.progress(n)),
    outcome: (n) => all((x) => x.outcome(n)),
    failure: (n) => all((x) => x.failure(n)),
    reconciliation: (n) => all((x) => x.reconciliation(n)),
    drift: (n) => all((x) => x.drift(n)),
  };
}
