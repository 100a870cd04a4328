import type { CliIo } from '../../../src/cli/cliCommand.js';
import { progressThrottle } from '../../../src/cli/progressThrottle.js';
import {
  describeProgress,
  terminalProgress,
  type ProgressLabels,
} from '../../../src/cli/terminalProgress.js';

const IMPORT: ProgressLabels = { what: 'import', unit: 'rows', failed: 'refused', rate: true };
const UPLOAD: ProgressLabels = { what: 'upload', unit: 'operations', failed: 'failed' };

/** A recorded CLI: plain lines on err, and (tty) a fake terminal stderr that records each write. */
function cli(options: { tty?: boolean; json?: boolean; columns?: number } = {}) {
  const lines: string[] = [];
  const out: string[] = [];
  const written: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => lines.push(t),
    ...(options.tty
      ? { errTerminal: { isTTY: true, columns: options.columns ?? 100, write: (t) => written.push(t) } }
      : {}),
  };
  return { context: { io, flags: { json: options.json ?? false } }, lines, out, written };
}

describe('terminal progress, not a terminal: plain lines', () => {
  it('prints the first line, then at most one per interval by the injected clock, and a final line', async () => {
    const { context, lines, written } = cli();
    let t = 0;
    const progress = terminalProgress(context, IMPORT, { now: () => t, everyMs: 2_000 });
    for (let row = 1; row <= 5_000; row++) {
      t += 1; // 5 s in all
      progress.update({ phase: 'reading', done: row, failed: Math.floor(row / 1_000) });
    }
    await progress.finish();
    expect(lines).toEqual([
      '… import (reading): 1 rows, 1,000 rows/s, 0 refused',
      '… import (reading): 2,001 rows, 1,000 rows/s, 2 refused',
      '… import (reading): 4,001 rows, 1,000 rows/s, 4 refused',
      'import: 5,000 rows, 1,000 rows/s, 5 refused, in 5.0 s',
    ]);
    expect(written).toEqual([]);
  });

  it('always prints the final line with the latest counts, even when the last update was held back', async () => {
    const { context, lines } = cli();
    let t = 0;
    const progress = terminalProgress(context, UPLOAD, { now: () => t, everyMs: 2_000 });
    progress.update({ done: 0, total: 12, failed: 0 });
    t = 500;
    progress.update({ done: 7, total: 12, failed: 1 }); // within the interval: not printed
    t = 900;
    await progress.finish();
    expect(lines).toEqual([
      '… upload: 0 of 12 operations, 0 failed',
      'upload: 7 of 12 operations, 1 failed, in 0.9 s',
    ]);
  });

  it('says a new phase and the end of one at once, and prints the final line only once', async () => {
    const { context, lines } = cli();
    let t = 0;
    const progress = terminalProgress(context, { what: 'validate', unit: 'customers' }, { now: () => t });
    progress.update({ done: 0, total: 3 });
    t = 10;
    progress.update({ done: 1, total: 3 });
    t = 20;
    progress.update({ done: 3, total: 3 });
    await progress.finish();
    await progress.finish();
    expect(lines).toEqual([
      '… validate: 0 of 3 customers',
      '… validate: 3 of 3 customers',
      'validate: 3 of 3 customers, in 0.0 s',
    ]);
  });

  it('prints nothing at all when no progress was told', async () => {
    const { context, lines } = cli();
    await terminalProgress(context, IMPORT).finish();
    expect(lines).toEqual([]);
  });
});

describe('terminal progress, stderr a terminal: a cli-progress bar', () => {
  // the reporter loads cli-progress when it draws: once loaded here, its import settles at once
  beforeAll(() => import('cli-progress'));
  const libraryLoaded = () => new Promise((resolve) => setImmediate(resolve));

  it('draws the bar in place on the terminal stream, never wider than it, and leaves the final state on it', async () => {
    const { context, lines, written } = cli({ tty: true, columns: 60 });
    let t = 0;
    const progress = terminalProgress(context, UPLOAD, { now: () => t });
    progress.update({ done: 0, total: 40, failed: 0 });
    await libraryLoaded();
    t = 4_000;
    progress.update({ done: 30, total: 40, failed: 2 });
    t = 5_000;
    progress.update({ done: 40, total: 40, failed: 2 });
    await progress.finish();
    const screen = written.join('');
    // redrawn in place: the cursor goes back to the start of the line (ESC [ 1 G), each drawing
    // ended by "clear to the end of the line" (ESC [ 0 K); no terminal mode is switched
    const drawings = screen
      .split('\x1b[1G')
      .slice(1)
      .map((d) => d.slice(0, d.indexOf('\x1b[0K')));
    expect(drawings.length).toBeGreaterThanOrEqual(2);
    expect(drawings[0]).toMatch(/^-+ 0% upload: 0 of 40/);
    for (const drawing of drawings) expect(drawing.length).toBeLessThanOrEqual(60);
    expect(screen).not.toContain('\x1b[?7l'); // line wrapping off
    expect(screen).not.toContain('\x1b[?25l'); // cursor hidden
    // the last drawing: a full bar, 100 %, the counts and the time taken (cut to 60 columns)
    expect(drawings.at(-1)).toBe('======================== 100% upload: 40 of 40 operations, 2');
    expect(screen.endsWith('\n')).toBe(true);
    expect(lines).toEqual([]);
  });

  it('shows counts without a bar when the total is unknown (rows read)', async () => {
    const { context, written } = cli({ tty: true });
    let t = 0;
    const progress = terminalProgress(context, IMPORT, { now: () => t });
    progress.update({ phase: 'reading', done: 10, failed: 0 });
    t = 2_000;
    progress.update({ phase: 'reading', done: 6_000, failed: 3 });
    await progress.finish();
    const screen = written.join('');
    const last = screen.slice(screen.lastIndexOf('\x1b[1G') + 4);
    expect(last.startsWith('import: 6,000 rows, 3,000 rows/s, 3 refused, in 2.0 s\x1b[0K')).toBe(true);
    expect(screen).not.toContain('%');
  });
});

describe('terminal progress with --json', () => {
  it.each([false, true])('prints nothing anywhere (stderr a terminal: %s)', async (tty) => {
    const { context, lines, out, written } = cli({ tty, json: true });
    const progress = terminalProgress(context, IMPORT, { now: () => 0 });
    progress.update({ done: 5, failed: 1 });
    await progress.finish();
    expect([...lines, ...out, ...written]).toEqual([]);
  });
});

describe('describeProgress', () => {
  it('names the phase while it runs, and the time taken at the end instead', () => {
    const p = { phase: 'storing', done: 100_000, failed: 2 };
    expect(describeProgress(IMPORT, p, 31_000)).toBe(
      'import (storing): 100,000 rows, 3,226 rows/s, 2 refused',
    );
    expect(describeProgress(IMPORT, p, 31_000, true)).toBe(
      'import: 100,000 rows, 3,226 rows/s, 2 refused, in 31.0 s',
    );
  });
});

describe('progressThrottle', () => {
  it('lets through the first, a new phase, the end of a phase once, and one per interval', () => {
    let t = 0;
    const due = progressThrottle(() => t, 1_000);
    const seen: boolean[] = [];
    seen.push(due({ phase: 'a', done: 1, total: 3 })); // first
    t = 10;
    seen.push(due({ phase: 'a', done: 2, total: 3 })); // held back
    seen.push(due({ phase: 'a', done: 3, total: 3 })); // the end
    seen.push(due({ phase: 'a', done: 3, total: 3 })); // the end again: held back
    seen.push(due({ phase: 'b', done: 0 })); // a new phase
    t = 1_010;
    seen.push(due({ phase: 'b', done: 5 })); // an interval later
    expect(seen).toEqual([true, false, true, false, true, true]);
  });
});
