import type { CliCommand } from './cliCommand.js';
import { serveCommand } from './commands/serveCommand.js';
import { statusCommand } from './commands/statusCommand.js';
import { importCommand } from './commands/importCommand.js';
import { customersCommand } from './commands/customersCommand.js';

/** Every CLI command. Later parts append theirs here. */
export const CLI_COMMANDS: CliCommand[] = [serveCommand, statusCommand];
CLI_COMMANDS.push(importCommand, customersCommand);
