// `autotask-bot auto-approve [on <max units per customer> | off]`: shows or sets the auto-approve
// policy of scheduled runs (src/jobs/autoApprovePolicy.ts). Off by default; changes are audited.
import { ActorSchema } from '../../audit/actor.js';
import { openDatabase } from '../../db/database.js';
import {
  readAutoApprovePolicy,
  writeAutoApprovePolicy,
  type AutoApprovePolicy,
} from '../../jobs/autoApprovePolicy.js';
import { createLogger } from '../../observability/logger.js';
import { UsageError, type CliCommand } from '../cliCommand.js';

const USAGE = 'autotask-bot auto-approve [on <max units per customer> | off]';

function describe(policy: AutoApprovePolicy): string {
  return policy.enabled
    ? `Auto-approve is ON: a scheduled run is approved without a person when it only adds units, at most ${policy.maxUnitsPerCustomer} per customer. Anything else waits for an approver.`
    : 'Auto-approve is OFF: every upload waits for an approver.';
}

export const autoApproveCommand: CliCommand = {
  name: 'auto-approve',
  usage: USAGE,
  summary:
    'show or set the auto-approve policy of scheduled runs (increases only, at most N units per customer)',
  async run(context, args) {
    let change: AutoApprovePolicy | undefined;
    if (args[0] === 'off' && args.length === 1)
      change = { enabled: false, increasesOnly: true, maxUnitsPerCustomer: 0 };
    else if (args[0] === 'on' && args.length === 2 && /^\d{1,5}$/.test(args[1]!) && Number(args[1]) <= 10_000)
      change = { enabled: true, increasesOnly: true, maxUnitsPerCustomer: Number(args[1]) };
    else if (args.length > 0)
      throw new UsageError('auto-approve takes `on <max units per customer>` (0–10000) or `off`', USAGE);

    const config = context.config();
    const logger = createLogger({
      level: 'warn',
      format: 'json',
      secrets: config.secrets,
      destination: process.stderr,
    });
    const database = await openDatabase(config, logger);
    try {
      if (change) {
        const asId = context.flags.as ?? 'cli:unknown';
        const actor = ActorSchema.parse({ id: asId.includes(':') ? asId : `cli:${asId}` });
        await writeAutoApprovePolicy(database.prisma, change, actor);
      }
      const policy = await readAutoApprovePolicy(database.prisma);
      context.io.out(context.flags.json ? JSON.stringify(policy, null, 2) : describe(policy));
      return 0;
    } finally {
      await database.close();
    }
  },
};
