// Why an operation of a run is not done: failed, waiting, or skipped. Stored on its ledger row as
// a Problem (JSON) and shown by formatProblem; the hint for each code is written once, here. A
// call Autotask refused stores the client's own problem (AutotaskError: AUTOTASK_BUSINESS_RULE,
// AUTOTASK_THREAD_LIMIT, …) instead, with the client's hint.
import { problem, type Problem } from '../core/problem.js';

export type OperationProblemCode =
  /** the batched read of the contracts' lines and units failed */
  | 'AUTOTASK_READ_FAILED'
  /** the call may or may not have reached Autotask, and the timeline could not tell */
  | 'OUTCOME_UNKNOWN'
  /** Autotask's units differ from what this system pushed */
  | 'DRIFT'
  /** an earlier operation of the same subscription is not done */
  | 'WAITS_FOR_EARLIER'
  /** another run is sending the same operation */
  | 'OPERATION_IN_FLIGHT'
  /** another run did it already */
  | 'ALREADY_DONE'
  /** a repeat line cannot be opened before the service's base line exists */
  | 'BASE_LINE_MISSING'
  /** the repeat line an adjustment belongs to was not found */
  | 'LINE_UNKNOWN'
  /** another execution moved the row: it has the run now */
  | 'LEDGER_MOVED'
  /** this execution lost the lock on its own row */
  | 'UPLOAD_EXECUTION_LOST'
  /** verify-tenant found the tenant does not behave as the upload relies on (sync/tenantFacts.ts) */
  | 'TENANT_BEHAVIOUR_CONTRADICTED';

export type OperationProblem = Problem<OperationProblemCode>;

const HINTS: Record<OperationProblemCode, string> = {
  AUTOTASK_READ_FAILED: 'retry the run; if it keeps failing, run `autotask-bot test`',
  OUTCOME_UNKNOWN: 'retry the run: it reads Autotask first and sends only what did not arrive',
  DRIFT: 'find out who changed the line, undo it there, then retry',
  WAITS_FOR_EARLIER: "fix the earlier operation's failure, then retry the run",
  OPERATION_IN_FLIGHT: 'retry that run first',
  ALREADY_DONE: 'nothing to do: it is not sent again',
  BASE_LINE_MISSING:
    'the subscription whose line comes first must be uploaded first — fix its failure, then retry the run',
  LINE_UNKNOWN: 'retry the run',
  LEDGER_MOVED: 'nothing to do: the other execution finishes the run',
  UPLOAD_EXECUTION_LOST: 'retry the run: another worker may resume it',
  TENANT_BEHAVIOUR_CONTRADICTED:
    'nothing was written: report the verify-tenant card to the maintainers; once a release handles this tenant, run `verify-tenant --write-probe` again and retry the run',
};

export function operationProblem(code: OperationProblemCode, message: string): OperationProblem {
  return problem(code, message, HINTS[code]);
}
