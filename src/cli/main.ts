// `autotask-bot <command> [args] [--json] [--wide] [--as <user>] [--png <file>] [--csv <file>]`. Usage mistakes exit 2 with the usage
// line; configuration mistakes exit 2 naming each variable; nothing prints a stack trace.
// Only what `help` needs is imported up front; configuration (zod) and each command load when a
// command runs (docs/cli.md, "Start-up time").
import os from 'node:os';
import type { Config } from '../config.js';
import type { CliContext, CliIo } from './cliCommand.js';
import { UsageError } from './cliCommand.js';
import { CLI_COMMANDS, cliFallback } from './commandRegistry.js';
import { processSecrets } from '../observability/secretScrubber.js';
import { terminalSafeText } from '../core/terminalSafeText.js';

const scrubSecrets = (text: string): string => processSecrets.scrubText(text);

function helpText(): string {
  const width = Math.max(...CLI_COMMANDS.map((c) => c.usage.length));
  return [
    'autotask-bot — push cloud subscription history into Autotask, approved in chat.',
    '',
    'Usage: autotask-bot <command> [arguments] [--json] [--wide] [--as <user>] [--png <file>] [--csv <file>]',
    '  --wide: never cut table columns, even on a terminal (output to a file or pipe is never cut)',
    '  --png <file>: write the chart of `explain` there;  --csv <file>: write the export of `reconcile` there',
    '',
    ...CLI_COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    `  ${'autotask-bot help'.padEnd(width)}  this text`,
    '',
    'Configuration comes from environment variables; see README.md ("Configuration").',
  ].join('\n');
}

export function parseFlags(argv: string[]): {
  args: string[];
  json: boolean;
  wide: boolean;
  as: string | undefined;
  png?: string;
  csv?: string;
} {
  const args: string[] = [];
  let json = false;
  let wide = false;
  let as: string | undefined;
  const files: { png?: string; csv?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--wide') wide = true;
    else if (arg === '--as') {
      as = argv[++i];
      if (!as)
        throw new UsageError('--as needs a user name, e.g. --as alice', 'autotask-bot <command> --as <user>');
    } else if (arg.startsWith('--as=')) as = arg.slice(5);
    else if (arg === '--png' || arg === '--csv') {
      const file = argv[++i];
      if (!file || file.startsWith('--'))
        throw new UsageError(
          `${arg} needs a file name, e.g. ${arg} out.${arg.slice(2)}`,
          `autotask-bot <command> ${arg} <file>`,
        );
      files[arg === '--png' ? 'png' : 'csv'] = file;
    } else args.push(arg);
  }
  return { args, json, wide, as: as ?? undefined, ...files };
}

export async function runCli(
  argv: string[],
  terminal: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // whatever a command prints (names from the database included), no control character reaches
  // the terminal raw
  const io: CliIo = {
    ...terminal, // the terminal's columns, when there is one
    out: (text) => terminal.out(terminalSafeText(text)),
    err: (text) => terminal.err(terminalSafeText(text)),
  };
  let config: Config | undefined;
  let configErrorClass: (new (...args: never[]) => Error) | undefined;
  try {
    const { args, json, wide, as, png, csv } = parseFlags(argv);
    const [name, ...rest] = args;
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      io.out(helpText());
      return 0;
    }
    const entry = CLI_COMMANDS.find((c) => c.name === name);
    const command = entry ? await entry.load() : await cliFallback(name);
    if (!command) {
      io.err(`Unknown command "${name}".\n\n${helpText()}`);
      return 2;
    }
    const { ConfigError, loadConfig } = await import('../config.js');
    configErrorClass = ConfigError;
    const context: CliContext = {
      config: () => (config ??= loadConfig(env)),
      io,
      flags: {
        json,
        wide,
        as: as ?? `cli:${os.userInfo().username}`,
        ...(png ? { png } : {}),
        ...(csv ? { csv } : {}),
      },
    };
    return await command.run(context, rest);
  } catch (error) {
    if (configErrorClass && error instanceof configErrorClass) {
      io.err(scrubSecrets(error.message));
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`${error.message}\nUsage: ${error.usage}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`Error: ${scrubSecrets(message)}`);
    if (env.DEBUG) io.err(scrubSecrets(String((error as Error).stack)));
    return 1;
  }
}
