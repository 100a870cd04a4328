// `source sync` on a terminal: a line on stderr when a pull starts a phase and, within a long
// phase, at most every two seconds — so a pull of thousands of subscriptions is never silent.
import type { PullProgress } from '../sources/sourceConnector.js';
import { progressThrottle } from './progressThrottle.js';

export function pullProgressLines(
  err: (line: string) => void,
  now: () => number = Date.now,
  everyMs = 2_000,
): (progress: PullProgress) => void {
  const due = progressThrottle(now, everyMs);
  return (progress) => {
    if (!due(progress)) return;
    err(
      `… ${progress.phase}: ${progress.done}${progress.total !== undefined ? ` of ${progress.total}` : ''}`,
    );
  };
}
