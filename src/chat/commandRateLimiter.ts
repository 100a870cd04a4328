// The per-person budget of expensive commands (those that read Autotask or compute a plan): at
// most N in any 60 seconds, a sliding window per identity. One limiter serves every adapter of a
// process (Slack, Teams, the playground), so switching platform window does not reset it; each
// identity is its own person. Admins are exempt (docs/security/directory-cache-and-rate-limits.md).
import type { Role } from './roles.js';

export const RATE_WINDOW_MS = 60_000;

export interface CommandRateLimits {
  /** expensive commands a viewer may run per minute; 0 = unlimited */
  viewerPerMinute: number;
  /** the same for operators and approvers, whose mapping work clicks through cards; 0 = unlimited */
  operatorPerMinute: number;
}

export type Admission =
  | { ok: true }
  | {
      ok: false;
      /** whole seconds until the oldest command in the window leaves it (at least 1) */
      retryAfterSeconds: number;
      /** the limit that was reached, per minute */
      limit: number;
      /** true for the first refusal since the person's last admitted command (log and audit once) */
      first: boolean;
    };

interface Window {
  /** times of the admitted commands still inside the window, oldest first */
  times: number[];
  refusedSinceAdmit: boolean;
}

/** Forget idle people once this many windows are held (prunes only windows that are empty). */
const PRUNE_AT = 1_000;

export class CommandRateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly nowMs: () => number;

  constructor(
    private readonly limits: CommandRateLimits,
    options: { nowMs?: () => number } = {},
  ) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** The per-minute limit of a role; undefined = not limited (admins, or a limit of 0). */
  limitOf(role: Role | undefined): number | undefined {
    if (role === 'admin') return undefined;
    const limit =
      role === 'operator' || role === 'approver'
        ? this.limits.operatorPerMinute
        : this.limits.viewerPerMinute;
    return limit > 0 ? limit : undefined;
  }

  /** Counts one expensive command of `identity` when the window has room; otherwise refuses. */
  admit(identity: string, role: Role | undefined): Admission {
    const limit = this.limitOf(role);
    if (limit === undefined) return { ok: true };
    const now = this.nowMs();
    const window = this.windows.get(identity) ?? { times: [], refusedSinceAdmit: false };
    while (window.times.length > 0 && window.times[0]! <= now - RATE_WINDOW_MS) window.times.shift();
    if (window.times.length >= limit) {
      const first = !window.refusedSinceAdmit;
      window.refusedSinceAdmit = true;
      this.windows.set(identity, window);
      const wait = window.times[window.times.length - limit]! + RATE_WINDOW_MS - now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)), limit, first };
    }
    window.times.push(now);
    window.refusedSinceAdmit = false;
    this.windows.set(identity, window);
    if (this.windows.size > PRUNE_AT) this.prune(now);
    return { ok: true };
  }

  private prune(now: number): void {
    for (const [identity, window] of this.windows)
      if (window.times.every((t) => t <= now - RATE_WINDOW_MS)) this.windows.delete(identity);
  }
}
