// Every failure of a source connector is a SourceError: a stable code, plain words, and a hint
// that names the setting or the vendor-side step to fix (docs/sources.md "When a pull fails").
import { problem, type Problem } from '../core/problem.js';
import type { SourceName } from './sourceConnector.js';

export type SourceErrorCode =
  /** the source is not configured: a setting is missing */
  | 'SOURCE_NOT_CONFIGURED'
  /** the credentials were refused (client id/secret, refresh token) */
  | 'SOURCE_AUTH_FAILED'
  /** signed in, but the account may not read this */
  | 'SOURCE_PERMISSION'
  /** 429 for longer than the retry policy allows */
  | 'SOURCE_RATE_LIMITED'
  /** no answer, a timeout, or 5xx after every retry */
  | 'SOURCE_UNREACHABLE'
  /** the answer is not what the vendor documents (not JSON, no page envelope) */
  | 'SOURCE_UNEXPECTED';

export class SourceError extends Error {
  readonly problem: Problem<SourceErrorCode>;
  constructor(
    readonly source: SourceName,
    readonly code: SourceErrorCode,
    message: string,
    readonly hint: string,
    readonly status?: number,
  ) {
    super(`${code}: ${message}`);
    this.name = 'SourceError';
    this.problem = problem(code, message, hint);
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}
