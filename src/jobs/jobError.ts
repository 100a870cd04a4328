// A job failure a person can act on: thrown by job bodies so Agenda retries by policy, and shown
// (code and message) in the audit record and the failure notification when retries run out.
import { processSecrets } from '../observability/secretScrubber.js';
export class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'JobError';
  }
}

/**
 * CODE and plain message of any error, for audit records, job executions and notices (never a
 * stack trace, never a secret: a vendor's error text may echo what it was sent).
 */
export function describeJobError(error: unknown): { code: string; message: string } {
  if (error instanceof JobError)
    return { code: error.code, message: processSecrets.scrubText(error.message) };
  const text = processSecrets.scrubText(error instanceof Error ? error.message : String(error));
  const coded = /^([A-Z][A-Z0-9_]{2,}):\s/.exec(text);
  return { code: coded ? coded[1]! : 'JOB_FAILED', message: text.slice(0, 500) };
}
