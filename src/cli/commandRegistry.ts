// Every CLI command, each loaded only when it runs: `help` and a usage mistake load no database
// client, chat SDK or sandbox (docs/cli.md, "Start-up time"). Later parts append theirs here.
import type { CliCommand } from './cliCommand.js';
import { CLI_COMMAND_INFO, type CliCommandInfo } from './commandInfo.js';

export interface CliCommandEntry extends CliCommandInfo {
  load(): Promise<CliCommand>;
}

const entry = (info: CliCommandInfo, load: () => Promise<CliCommand>): CliCommandEntry => ({ ...info, load });

export const CLI_COMMANDS: CliCommandEntry[] = [
  entry(CLI_COMMAND_INFO.serve, async () => (await import('./commands/serveCommand.js')).serveCommand),
  entry(CLI_COMMAND_INFO.status, async () => (await import('./commands/statusCommand.js')).statusCommand),
  entry(CLI_COMMAND_INFO.test, async () => (await import('./commands/testCommand.js')).testCommand),
  entry(
    CLI_COMMAND_INFO.verifyTenant,
    async () => (await import('./commands/verifyTenantCommand.js')).verifyTenantCommand,
  ),
  entry(CLI_COMMAND_INFO.sandbox, async () => (await import('./commands/sandboxCommand.js')).sandboxCommand),
  entry(CLI_COMMAND_INFO.import, async () => (await import('./commands/importCommand.js')).importCommand),
  entry(
    CLI_COMMAND_INFO.customers,
    async () => (await import('./commands/customersCommand.js')).customersCommand,
  ),
  entry(CLI_COMMAND_INFO.chat, async () => (await import('./cliChatBridge.js')).chatCliCommand),
  entry(
    CLI_COMMAND_INFO.autoApprove,
    async () => (await import('./commands/autoApproveCommand.js')).autoApproveCommand,
  ),
  entry(
    CLI_COMMAND_INFO.fourEyes,
    async () => (await import('./commands/fourEyesCommand.js')).fourEyesCommand,
  ),
  entry(
    CLI_COMMAND_INFO.playgroundToken,
    async () => (await import('./commands/playgroundTokenCommand.js')).playgroundTokenCommand,
  ),
  entry(CLI_COMMAND_INFO.audit, async () => (await import('./commands/auditCommand.js')).auditCommand),
];

/** A name no local command has: chat verbs go to the chat router (src/chat/console). */
export async function cliFallback(name: string): Promise<CliCommand | undefined> {
  return (await import('./cliChatBridge.js')).chatFallbackFor(name);
}
