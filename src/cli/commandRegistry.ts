import type { CliCommand } from './cliCommand.js';
import { serveCommand } from './commands/serveCommand.js';
import { statusCommand } from './commands/statusCommand.js';
import { sandboxCommand } from './commands/sandboxCommand.js';
import { testCommand } from './commands/testCommand.js';

/** Every CLI command. Later parts append theirs here. */
export const CLI_COMMANDS: CliCommand[] = [serveCommand, statusCommand];
CLI_COMMANDS.push(sandboxCommand, testCommand);
