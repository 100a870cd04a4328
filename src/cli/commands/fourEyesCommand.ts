// `autotask-bot four-eyes [on | off]`: shows or sets `sync.four_eyes` — whether the person who
// requested an upload may also approve it. On by default. Only from the CLI, on the bot's host:
// no chat command turns it off. The change is audited (settings.changed); the database reads the
// same setting when it refuses a self-approved run.
import { z } from 'zod';
import { writeSetting } from '../../settings/settingsStore.js';
import { FOUR_EYES_SETTING, readRunPolicy } from '../../sync/runPolicy.js';
import { UsageError } from '../cliCommand.js';
import { settingCommand } from '../settingCommand.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

const USAGE = CLI_COMMAND_INFO.fourEyes.usage;

export const fourEyesCommand = settingCommand<boolean, boolean>({
  ...CLI_COMMAND_INFO.fourEyes,
  parseChange(args) {
    if (args.length === 1 && (args[0] === 'on' || args[0] === 'off')) return args[0] === 'on';
    if (args.length > 0) throw new UsageError('four-eyes takes `on` or `off`', USAGE);
    return undefined;
  },
  write: (prisma, on, actor) => writeSetting(prisma, FOUR_EYES_SETTING, z.boolean(), on, actor),
  read: async (prisma) => (await readRunPolicy(prisma)).fourEyes,
  json: (on) => JSON.stringify({ fourEyes: on }),
  describe: (on) =>
    on
      ? 'Four eyes is ON: whoever requested an upload cannot approve it; another approver must.'
      : 'Four eyes is OFF: the person who requested an upload may approve it too.',
});
