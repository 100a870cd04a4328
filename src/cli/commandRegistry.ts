import type { CliCommand } from './cliCommand.js';
import { serveCommand } from './commands/serveCommand.js';
import { statusCommand } from './commands/statusCommand.js';
import { chatCliCommand, chatFallbackFor } from '../chat/console/cliChatBridge.js';

/** Every CLI command. Later parts append theirs here. */
export const CLI_COMMANDS: CliCommand[] = [serveCommand, statusCommand, chatCliCommand];

/** A name no local command has: chat verbs go to the chat router (src/chat/console). */
export const CLI_FALLBACK: (name: string) => CliCommand | undefined = chatFallbackFor;
