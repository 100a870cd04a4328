// `npx autotask-bot playground-token <user> [--revoke]`: a personal token for the playground when
// it runs against a live Autotask (PLAYGROUND=on). The terminal is trusted like `--as`; what the
// person may then do in the playground is decided by their chat role, as in Slack or Teams.
import { SYSTEM_ACTOR } from '../../audit/actor.js';
import { cliActor } from '../cliChatBridge.js';
import { UsageError, type CliCommand } from '../cliCommand.js';
import { withCliDatabase } from '../cliDatabase.js';
import { RoleStore } from '../../chat/roleStore.js';
import { mintPlaygroundToken, revokePlaygroundToken } from '../../playground/playgroundAccess.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

const USAGE = CLI_COMMAND_INFO.playgroundToken.usage;

export const playgroundTokenCommand: CliCommand = {
  ...CLI_COMMAND_INFO.playgroundToken,
  async run(context, args) {
    const revoke = args.includes('--revoke');
    const names = args.filter((a) => a !== '--revoke');
    if (names.length !== 1) throw new UsageError('name one user, e.g. alice or slack:T0123:U0456', USAGE);
    const identity = cliActor(names[0]);
    if (!identity) throw new UsageError(`"${names[0]}" is not a user name or identity`, USAGE);
    return withCliDatabase(context, async ({ prisma }) => {
      const actor = { id: SYSTEM_ACTOR.id, name: 'playground-token (terminal)' };
      if (revoke) {
        const done = await revokePlaygroundToken(prisma, identity, actor);
        context.io.out(done ? `revoked the playground token of ${identity}` : `${identity} had no token`);
        return 0;
      }
      const token = await mintPlaygroundToken(prisma, identity, actor);
      const role = await new RoleStore(prisma, context.config().adminUsers).roleOf(identity);
      context.io.out(token);
      context.io.err(
        `playground token for ${identity} (${role ?? 'no chat role yet: grant one first'}); ` +
          'paste it into the playground, or send "Authorization: Bearer <token>". It replaces any earlier one.',
      );
      return 0;
    });
  },
};
