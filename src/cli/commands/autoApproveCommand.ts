// `autotask-bot auto-approve [on <max units per customer> | off]`: shows or sets the auto-approve
// policy of scheduled runs (src/jobs/autoApprovePolicy.ts). Off by default; changes are audited.
import {
  readAutoApprovePolicy,
  writeAutoApprovePolicy,
  type AutoApprovePolicy,
} from '../../jobs/autoApprovePolicy.js';
import { UsageError } from '../cliCommand.js';
import { settingCommand } from '../settingCommand.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

const USAGE = CLI_COMMAND_INFO.autoApprove.usage;

export const autoApproveCommand = settingCommand<AutoApprovePolicy, AutoApprovePolicy>({
  ...CLI_COMMAND_INFO.autoApprove,
  parseChange(args) {
    if (args[0] === 'off' && args.length === 1)
      return { enabled: false, increasesOnly: true, maxUnitsPerCustomer: 0 };
    if (args[0] === 'on' && args.length === 2 && /^\d{1,5}$/.test(args[1]!) && Number(args[1]) <= 10_000)
      return { enabled: true, increasesOnly: true, maxUnitsPerCustomer: Number(args[1]) };
    if (args.length > 0)
      throw new UsageError('auto-approve takes `on <max units per customer>` (0–10000) or `off`', USAGE);
    return undefined;
  },
  write: writeAutoApprovePolicy,
  read: readAutoApprovePolicy,
  json: (policy) => JSON.stringify(policy, null, 2),
  describe: (policy) =>
    policy.enabled
      ? `Auto-approve is ON: a scheduled run is approved without a person when it only adds units, at most ${policy.maxUnitsPerCustomer} per customer. Anything else waits for an approver.`
      : 'Auto-approve is OFF: every upload waits for an approver.',
});
