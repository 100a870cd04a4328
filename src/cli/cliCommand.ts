// A CLI command. Local commands (serve, status, sandbox, import, ...) live here; every chat
// command is also reachable from the CLI through the chat router (added by the chat part).
import type { Config } from '../config.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** the terminal's columns when output goes to a terminal; unset for files and pipes */
  columns?: number;
  /** stderr when it is a terminal, where progress bars are drawn; unset for files and pipes */
  errTerminal?: TerminalStream;
}

/** What a progress bar needs of a terminal (process.stderr is one). */
export interface TerminalStream {
  isTTY: true;
  columns?: number;
  write(text: string): unknown;
}

export interface CliContext {
  /** parses the environment lazily: `help` must work even with a broken configuration */
  config(): Config;
  io: CliIo;
  /** wide: never cut table cells, even on a terminal; png/csv: where to write a reply's chart or export */
  flags: { json: boolean; as: string | undefined; wide?: boolean; png?: string; csv?: string };
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** resolves to the process exit code */
  run(context: CliContext, args: string[]): Promise<number>;
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
