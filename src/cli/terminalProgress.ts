// How far a long CLI command has got (import, validate, the upload `approve` waits for), on
// stderr: a bar redrawn in place (cli-progress) when stderr is a terminal; otherwise a plain line
// at most every few seconds and a final one; with --json nothing, so stdout stays pure JSON.
import type { Progress } from '../core/progress.js';
import type { CliIo, TerminalStream } from './cliCommand.js';
import { progressThrottle } from './progressThrottle.js';

export interface ProgressLabels {
  /** the work: "import", "validate", "upload" */
  what: string;
  /** what `done` counts: "rows", "customers", "operations" */
  unit: string;
  /** what `failed` counts ("refused", "failed"); unset: not shown */
  failed?: string;
  /** show how many per second */
  rate?: boolean;
}

export interface ProgressReporter {
  readonly update: (progress: Progress) => void;
  /** stops the bar or prints the final line; nothing when no progress was told */
  finish(): Promise<void>;
}

export interface ProgressClock {
  /** milliseconds; Date.now by default */
  now?: () => number;
  /** plain lines: at most one per this, within a phase */
  everyMs?: number;
}

const SILENT: ProgressReporter = { update: () => undefined, finish: async () => undefined };

export function terminalProgress(
  context: { io: CliIo; flags: { json: boolean } },
  labels: ProgressLabels,
  clock: ProgressClock = {},
): ProgressReporter {
  if (context.flags.json) return SILENT;
  const now = clock.now ?? Date.now;
  return context.io.errTerminal
    ? barReporter(context.io.errTerminal, labels, now)
    : lineReporter(context.io.err, labels, now, clock.everyMs ?? 2_000);
}

const count = (n: number) => n.toLocaleString('en-US');

/** "import (storing): 45,000 rows, 3,000 rows/s, 2 refused" — `final` adds the time taken. */
export function describeProgress(
  labels: ProgressLabels,
  progress: Progress,
  elapsedMs: number,
  final = false,
): string {
  const { done, total, failed, phase } = progress;
  const what = phase && !final ? `${labels.what} (${phase})` : labels.what;
  const parts = [`${total !== undefined ? `${count(done)} of ${count(total)}` : count(done)} ${labels.unit}`];
  if (labels.rate && elapsedMs > 0)
    parts.push(`${count(Math.round(done / (elapsedMs / 1000)))} ${labels.unit}/s`);
  if (labels.failed) parts.push(`${count(failed ?? 0)} ${labels.failed}`);
  if (final) parts.push(`in ${(elapsedMs / 1000).toFixed(1)} s`);
  return `${what}: ${parts.join(', ')}`;
}

function lineReporter(
  err: (line: string) => void,
  labels: ProgressLabels,
  now: () => number,
  everyMs: number,
): ProgressReporter {
  const start = now();
  const due = progressThrottle(now, everyMs);
  let latest: Progress | undefined;
  return {
    update(progress) {
      latest = progress;
      if (due(progress)) err(`… ${describeProgress(labels, progress, now() - start)}`);
    },
    async finish() {
      if (latest) err(describeProgress(labels, latest, now() - start, true));
      latest = undefined;
    },
  };
}

function barReporter(stream: TerminalStream, labels: ProgressLabels, now: () => number): ProgressReporter {
  const start = now();
  // loaded only here, when a bar is drawn: `help` and pipes never load it
  const library = import('cli-progress');
  library.catch(() => undefined);
  type Bar = InstanceType<Awaited<typeof library>['default']['SingleBar']>;
  let bar: Bar | undefined;
  let latest: Progress | undefined;
  let finished = false;
  const text = (progress: Progress, final = false) =>
    describeProgress(labels, progress, now() - start, final);
  const draw = (progress: Progress) => {
    bar!.setTotal(progress.total ?? 0);
    bar!.update(progress.done, { text: text(progress), known: progress.total !== undefined });
  };
  const open = async (): Promise<Bar> => {
    const { default: cliProgress } = await library;
    const made = new cliProgress.SingleBar({
      stream: stream as unknown as NodeJS.WritableStream,
      // a bar where the total is known; the counts (and rate) in words beside it
      format: (options, params, payload: { text: string; known: boolean }) =>
        payload.known
          ? `${cliProgress.Format.BarFormat(params.progress, options)} ${Math.floor(params.progress * 100)}% ${payload.text}`
          : payload.text,
      barsize: 24,
      // cut to the terminal's width; no terminal mode is switched, so Ctrl-C leaves none behind
      linewrap: true,
    });
    made.start(latest!.total ?? 0, latest!.done, { text: text(latest!), known: latest!.total !== undefined });
    return made;
  };
  let opening: Promise<Bar> | undefined;
  return {
    update(progress) {
      latest = progress;
      if (finished) return;
      if (bar) return draw(progress);
      if (opening) return;
      opening = open();
      opening.then(
        (made) => {
          bar = made;
          if (!finished) draw(latest!);
        },
        () => undefined,
      );
    },
    async finish() {
      if (finished) return;
      finished = true;
      if (!latest || !opening) return;
      const made = await opening.catch(() => undefined);
      // without the library (a broken install) the final line is still told
      if (!made) return void stream.write(`${text(latest, true)}\n`);
      made.update(latest.done, { text: text(latest, true), known: latest.total !== undefined });
      made.stop();
    },
  };
}
