// When a line of progress is worth printing where nothing is redrawn (a pipe, a file, a log): the
// first, a new phase, the end of one, and within a long phase at most one line per interval.
import type { Progress } from '../core/progress.js';

export function progressThrottle(
  now: () => number = Date.now,
  everyMs = 2_000,
): (progress: Progress) => boolean {
  let shown: { phase: string | undefined; at: number; ended: boolean } | undefined;
  return (progress) => {
    const t = now();
    const ends = progress.total !== undefined && progress.done >= progress.total;
    const due = !shown || progress.phase !== shown.phase || t - shown.at >= everyMs || (ends && !shown.ended);
    if (due) shown = { phase: progress.phase, at: t, ended: ends };
    return due;
  };
}
