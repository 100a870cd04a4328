// Every failure of the Autotask client is an AutotaskError: a value with a stable `code`, a
// plain-words message and a hint a partner can act on (`problem`, as data). The client THROWS it (one convention for
// the whole client: async methods resolve with data or reject with an AutotaskError, never with
// an axios or zod error), so callers write `catch (e) { if (isAutotaskError(e)) switch (e.code) }`.
import { formatProblem, problem, type Problem } from '../core/problem.js';

export type AutotaskErrorCode =
  | 'AUTOTASK_AUTH_UNKNOWN_USER'
  | 'AUTOTASK_AUTH_SECRET'
  | 'AUTOTASK_AUTH_INTEGRATION_CODE'
  | 'AUTOTASK_PERMISSION'
  | 'AUTOTASK_NOT_FOUND'
  | 'AUTOTASK_ROW_UNREADABLE'
  | 'AUTOTASK_BUSINESS_RULE'
  | 'AUTOTASK_THREAD_LIMIT'
  | 'AUTOTASK_HOURLY_LIMIT'
  | 'AUTOTASK_UNREACHABLE'
  | 'AUTOTASK_TIMEOUT'
  | 'AUTOTASK_OUTCOME_UNKNOWN'
  | 'AUTOTASK_UNEXPECTED';

export interface AutotaskErrorDetails {
  code: AutotaskErrorCode;
  message: string;
  hint: string;
  /** HTTP status when Autotask answered at all */
  status?: number;
  /** Autotask's own messages (the `errors` array), verbatim */
  autotaskMessages?: string[];
  /** "POST Contracts/ServiceAdjustments" — which call failed */
  endpoint?: string;
  /** seconds Autotask asked us to wait (Retry-After) */
  retryAfterSeconds?: number;
}

export class AutotaskError extends Error {
  readonly code: AutotaskErrorCode;
  readonly hint: string;
  /** code, message and hint as data: what is stored and shown */
  readonly problem: Problem<AutotaskErrorCode>;
  readonly status: number | undefined;
  readonly autotaskMessages: string[];
  readonly endpoint: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(details: AutotaskErrorDetails) {
    super(`${details.code}: ${details.message}`);
    this.name = 'AutotaskError';
    this.code = details.code;
    this.hint = details.hint;
    this.problem = problem(details.code, details.message, details.hint);
    this.status = details.status;
    this.autotaskMessages = details.autotaskMessages ?? [];
    this.endpoint = details.endpoint;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** One line for chat and the CLI: what happened, then what to do. */
  describe(): string {
    return formatProblem(this.problem);
  }
}

export function isAutotaskError(error: unknown): error is AutotaskError {
  return error instanceof AutotaskError;
}

/** The three credential failures, in words a partner can act on. */
export const CREDENTIAL_HINTS = {
  AUTOTASK_AUTH_UNKNOWN_USER:
    'Autotask does not know this API user name. Check AUTOTASK_USERNAME: it is the API user\'s e-mail address (Admin › Resources/Users, security level "API User"), not your own login.',
  AUTOTASK_AUTH_SECRET:
    "Autotask knows the user but refused the secret. Check AUTOTASK_SECRET: it is the API user's password (generate a new one on the API user's resource page if unsure). It is not the integration code.",
  AUTOTASK_AUTH_INTEGRATION_CODE:
    'Autotask accepted the user and secret but not the integration code. Check AUTOTASK_INTEGRATION_CODE: it is the "API Tracking Identifier" on the API user\'s resource page (Integration Vendor or a Custom (Internal Integration) identifier).',
} as const;
