// Whether Autotask answers, for the readiness check (GET /readyz), without spending an API call
// per probe: the outcome of the client's own last request counts while it is recent; when there
// was none within the window, one probe that sends no credentials and is not an API call (the
// zone lookup, or a plain GET of the zone's base URL) is made, and its outcome is kept for the
// window too. See docs/operations.md.
import type { AutotaskErrorCode } from './autotaskError.js';

export type Reachability = { reachable: true } | { reachable: false; reason: string };

/** failures that say the bot cannot work with Autotask now (anything else is an answer) */
const UNREACHABLE_CODES: ReadonlySet<AutotaskErrorCode> = new Set([
  'AUTOTASK_UNREACHABLE',
  'AUTOTASK_TIMEOUT',
  'AUTOTASK_OUTCOME_UNKNOWN',
  'AUTOTASK_AUTH_UNKNOWN_USER',
  'AUTOTASK_AUTH_SECRET',
  'AUTOTASK_AUTH_INTEGRATION_CODE',
]);

export function reachabilityOfFailure(code: AutotaskErrorCode, status?: number): Reachability {
  if (
    UNREACHABLE_CODES.has(code) ||
    (status !== undefined && status >= 500 && code !== 'AUTOTASK_BUSINESS_RULE')
  )
    return { reachable: false, reason: status === undefined ? code : `${code} (HTTP ${status})` };
  return { reachable: true };
}

export const REACHABILITY_WINDOW_MS = 60_000;

export class AutotaskReachability {
  private last: { at: number; outcome: Reachability } | undefined;
  private probing: Promise<Reachability> | undefined;

  constructor(
    /** resolves with the outcome of the credential-free probe; never rejects */
    private readonly probe: () => Promise<Reachability>,
    private readonly windowMs = REACHABILITY_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The outcome of a request the client sent. */
  record(outcome: Reachability): void {
    this.last = { at: this.now(), outcome };
  }

  async check(): Promise<Reachability> {
    if (this.last && this.now() - this.last.at < this.windowMs) return this.last.outcome;
    // probes that arrive together share one
    this.probing ??= this.probe()
      .then((outcome) => {
        this.record(outcome);
        return outcome;
      })
      .finally(() => (this.probing = undefined));
    return this.probing;
  }
}
