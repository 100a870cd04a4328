// `source sync` on a terminal: a line on stderr when a pull starts a phase and, within a long
// phase, at most every two seconds — so a pull of thousands of subscriptions is never silent.
import type { PullProgress } from '../sources/sourceConnector.js';

export function pullProgressLines(
  err: (line: string) => void,
  now: () => number = Date.now,
  everyMs = 2_000,
): (progress: PullProgress) => void {
  let phase: string | undefined;
  let last = 0;
  return (progress) => {
    const t = now();
    if (progress.phase === phase && t - last < everyMs && progress.done !== progress.total) return;
    phase = progress.phase;
    last = t;
    err(
      `… ${progress.phase}: ${progress.done}${progress.total !== undefined ? ` of ${progress.total}` : ''}`,
    );
  };
}
