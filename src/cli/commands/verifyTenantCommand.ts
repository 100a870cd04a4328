// `autotask-bot verify-tenant [--write-probe <contract id> [--service <id>] [--yes]]`: the chat
// command `verify tenant` from a terminal, through the same router (admin only, audited). Without
// --yes the write probe only shows what it would write; --yes is the confirmation chat asks for.
import { cliActor, runChatCommandFromCli } from '../cliChatBridge.js';
import { UsageError, type CliCommand } from '../cliCommand.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

const USAGE = CLI_COMMAND_INFO.verifyTenant.usage;

interface VerifyArgs {
  writeProbe: string | undefined;
  service: string | undefined;
  yes: boolean;
}

function parseArgs(args: string[]): VerifyArgs {
  const parsed: VerifyArgs = { writeProbe: undefined, service: undefined, yes: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const id = () => {
      const v = inline ?? args[++i];
      if (!v || !/^[1-9]\d{0,9}$/.test(v))
        throw new UsageError(`${name} needs an Autotask id, e.g. ${name} 4711`, USAGE);
      return v;
    };
    if (name === '--write-probe') parsed.writeProbe = id();
    else if (name === '--service') parsed.service = id();
    else if (name === '--yes' && inline === undefined) parsed.yes = true;
    else throw new UsageError(`Unknown argument "${arg}"`, USAGE);
  }
  if (!parsed.writeProbe && (parsed.service || parsed.yes))
    throw new UsageError('--service and --yes belong to --write-probe', USAGE);
  return parsed;
}

export const verifyTenantCommand: CliCommand = {
  ...CLI_COMMAND_INFO.verifyTenant,
  async run(context, args) {
    const parsed = parseArgs(args);
    const chat = ['verify', 'tenant'];
    if (parsed.writeProbe) {
      chat.push('write-probe', parsed.writeProbe);
      if (parsed.service) chat.push('service', parsed.service);
      const identity = cliActor(context.flags.as);
      // the confirmation names who asked; the router lets only that person's confirmation run it
      if (parsed.yes && identity) chat.push('confirm', identity);
    }
    const code = await runChatCommandFromCli(context, chat);
    if (parsed.writeProbe && !parsed.yes && code === 0 && !context.flags.json)
      context.io.out('\nNothing was written. Add --yes to run the write probe.');
    return code;
  },
};
