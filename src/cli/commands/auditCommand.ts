// `autotask-bot audit verify`: walks the audit log's hash chain. Exit 0 with "N rows, chain
// intact" (and the last row's hash, to keep elsewhere), exit 1 naming the first broken row.
// Anything else after `audit` is the chat command of that name (the records, as in chat).
import { verifyAuditChain, type ChainAnchor } from '../../audit/auditChain.js';
import { chatFallbackFor } from '../cliChatBridge.js';
import { UsageError, type CliCommand } from '../cliCommand.js';
import { withCliDatabase } from '../cliDatabase.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

const USAGE = CLI_COMMAND_INFO.audit.usage;
const chatAudit = chatFallbackFor('audit');

export const auditCommand: CliCommand = {
  ...CLI_COMMAND_INFO.audit,
  async run(context, args) {
    if (args[0] !== 'verify') {
      if (chatAudit) return chatAudit.run(context, args);
      throw new UsageError('audit needs a subcommand: verify', USAGE);
    }
    const anchor = parseAnchor(args.slice(1));
    return withCliDatabase(context, async (database) => {
      const result = await verifyAuditChain(database.prisma, { anchor });
      if (context.flags.json) {
        context.io.out(JSON.stringify({ intact: !result.broken, ...result }, null, 2));
      } else if (result.broken?.kind === 'anchor') {
        context.io.out(
          `Audit log does not hold its anchor: ${result.broken.message}.\n` +
            `The ${result.intactRows} rows there now form an intact chain among themselves.`,
        );
      } else if (result.broken) {
        context.io.out(
          `Audit log chain broken at row ${result.broken.id}: ${result.broken.message}.\n` +
            `${result.intactRows} rows before it are intact.`,
        );
      } else {
        context.io.out(
          `${result.intactRows} rows, chain intact` +
            (result.head ? ` (last row ${result.head.id}, hash ${result.head.hash})` : '') +
            (anchor ? `; anchor row ${anchor.id} holds` : ''),
        );
      }
      return result.broken ? 1 : 0;
    });
  },
};

/** `--anchor 1234:<64 hex>` (or `--anchor=…`): a head printed by an earlier verify, kept elsewhere. */
function parseAnchor(args: string[]): ChainAnchor | undefined {
  if (args.length === 0) return undefined;
  const value =
    args.length === 2 && args[0] === '--anchor'
      ? args[1]
      : args.length === 1 && args[0]!.startsWith('--anchor=')
        ? args[0]!.slice('--anchor='.length)
        : undefined;
  const match = value === undefined ? null : /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (!match)
    throw new UsageError(
      `audit verify takes only --anchor <row>:<hash> (a row id and its 64-hex hash), not "${args.join(' ')}"`,
      USAGE,
    );
  return { id: match[1]!, hash: match[2]! };
}
