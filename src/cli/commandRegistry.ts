import type { CliCommand } from './cliCommand.js';
import { chatCliCommand, chatFallbackFor } from './cliChatBridge.js';
import { customersCommand } from './commands/customersCommand.js';
import { importCommand } from './commands/importCommand.js';
import { sandboxCommand } from './commands/sandboxCommand.js';
import { serveCommand } from './commands/serveCommand.js';
import { statusCommand } from './commands/statusCommand.js';
import { testCommand } from './commands/testCommand.js';
import { verifyTenantCommand } from './commands/verifyTenantCommand.js';
import { autoApproveCommand } from './commands/autoApproveCommand.js';
import { fourEyesCommand } from './commands/fourEyesCommand.js';
import { auditCommand } from './commands/auditCommand.js';
import { playgroundTokenCommand } from './commands/playgroundTokenCommand.js';

/** Every CLI command. Later parts append theirs here. */
export const CLI_COMMANDS: CliCommand[] = [
  serveCommand,
  statusCommand,
  testCommand,
  verifyTenantCommand,
  sandboxCommand,
  importCommand,
  customersCommand,
  chatCliCommand,
  autoApproveCommand,
  fourEyesCommand,
  playgroundTokenCommand,
  auditCommand,
];

/** A name no local command has: chat verbs go to the chat router (src/chat/console). */
export const CLI_FALLBACK: (name: string) => CliCommand | undefined = chatFallbackFor;
