// `autotask-bot four-eyes [on | off]`: shows or sets `sync.four_eyes` — whether the person who
// requested an upload may also approve it. On by default. Only from the CLI, on the bot's host:
// no chat command turns it off. The change is audited (settings.changed); the database reads the
// same setting when it refuses a self-approved run.
import { z } from 'zod';
import { ActorSchema } from '../../audit/actor.js';
import { writeSetting } from '../../settings/settingsStore.js';
import { FOUR_EYES_SETTING, readRunPolicy } from '../../sync/runPolicy.js';
import { withCliDatabase } from '../cliDatabase.js';
import { UsageError, type CliCommand } from '../cliCommand.js';

const USAGE = 'autotask-bot four-eyes [on | off]';

const describe = (on: boolean): string =>
  on
    ? 'Four eyes is ON: whoever requested an upload cannot approve it; another approver must.'
    : 'Four eyes is OFF: the person who requested an upload may approve it too.';

export const fourEyesCommand: CliCommand = {
  name: 'four-eyes',
  usage: USAGE,
  summary: 'show or set whether an upload needs a second person to approve it (sync.four_eyes, default on)',
  async run(context, args) {
    let change: boolean | undefined;
    if (args.length === 1 && (args[0] === 'on' || args[0] === 'off')) change = args[0] === 'on';
    else if (args.length > 0) throw new UsageError('four-eyes takes `on` or `off`', USAGE);

    return withCliDatabase(context, async (database) => {
      if (change !== undefined) {
        const asId = context.flags.as ?? 'cli:unknown';
        const actor = ActorSchema.parse({ id: asId.includes(':') ? asId : `cli:${asId}` });
        await writeSetting(database.prisma, FOUR_EYES_SETTING, z.boolean(), change, actor);
      }
      const on = (await readRunPolicy(database.prisma)).fourEyes;
      context.io.out(context.flags.json ? JSON.stringify({ fourEyes: on }) : describe(on));
      return 0;
    });
  },
};
