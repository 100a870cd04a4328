// How the use cases and jobs tell chat that something happened without knowing which chat it is:
// a run needs approval (a scheduled validate-then-upload: the approval card is posted), moved on
// (the card shows progress or the outcome) or failed (a failure notification goes to the
// notification channel). Each chat adapter implements it.
import type { ReconciliationSummary } from '../reconciliation/reconciliationSummary.js';
import type { DriftWarning, FailureNotice, RunSummary, ValidationResult } from './chatServices.js';

export interface ChatNotifier {
  approvalRequested(run: RunSummary): Promise<void>;
  runChanged(run: RunSummary): Promise<void>;
  runFailed(notice: FailureNotice): Promise<void>;
  /** a scheduled validation finished: its validation card (adapters without a channel skip it) */
  validationFinished?(result: ValidationResult): Promise<void>;
  /** the monthly reconciliation (adapters without a channel skip it) */
  reconciled?(summary: ReconciliationSummary): Promise<void>;
  /** the drift watch found hand edits at a customer */
  driftFound?(warning: DriftWarning): Promise<void>;
}

/** Tells every adapter that is running (Slack, Teams); one failing does not stop the others. */
export function combineNotifiers(notifiers: ChatNotifier[]): ChatNotifier {
  const all = async (call: (n: ChatNotifier) => Promise<void>) => {
    await Promise.allSettled(notifiers.map(call));
  };
  return {
    approvalRequested: (run) => all((n) => n.approvalRequested(run)),
    runChanged: (run) => all((n) => n.runChanged(run)),
    runFailed: (notice) => all((n) => n.runFailed(notice)),
    validationFinished: (result) => all(async (n) => n.validationFinished?.(result)),
    reconciled: (summary) => all(async (n) => n.reconciled?.(summary)),
    driftFound: (warning) => all(async (n) => n.driftFound?.(warning)),
  };
}
