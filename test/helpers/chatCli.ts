// The chat CLI (`npx autotask-bot <command> --as <user>`) against a running bot's data, in
// process: what a person in a terminal would type beside the chat, and everything it printed.
import { runChatCommandFromCli } from '../../src/cli/cliChatBridge.js';
import type { ChatServices } from '../../src/chat/chatServices.js';
import type { RunningBot } from '../../src/main.js';

export function chatCliBeside(
  bot: RunningBot,
  overrides: { services?: ChatServices } = {},
): { out: string[]; cli: (as: string, ...args: string[]) => Promise<number> } {
  const out: string[] = [];
  const cli = (as: string, ...args: string[]) =>
    runChatCommandFromCli(
      {
        config: () => bot.config,
        io: { out: (t) => out.push(t), err: (t) => out.push(t) },
        flags: { json: false, as },
      },
      args,
      // the test database stands in for the demo's embedded one, as for the bot (teamsBotHarness)
      { teamsDemoDatabase: true, ...overrides },
    );
  return { out, cli };
}
