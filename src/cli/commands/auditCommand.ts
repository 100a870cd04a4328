// `autotask-bot audit verify`: walks the audit log's hash chain. Exit 0 with "N rows, chain
// intact" (and the last row's hash, to keep elsewhere), exit 1 naming the first broken row.
// Anything else after `audit` is the chat command of that name (the records, as in chat).
import { verifyAuditChain } from '../../audit/auditChain.js';
import { chatFallbackFor } from '../../chat/console/cliChatBridge.js';
import { UsageError, type CliCommand } from '../cliCommand.js';
import { withCliDatabase } from '../cliDatabase.js';

const USAGE = 'autotask-bot audit verify [--json]';
const chatAudit = chatFallbackFor('audit');

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: USAGE,
  summary:
    "check the audit log's hash chain; names the first altered or missing row (exit 1). `audit [customer]` lists records",
  async run(context, args) {
    if (args[0] !== 'verify') {
      if (chatAudit) return chatAudit.run(context, args);
      throw new UsageError('audit needs a subcommand: verify', USAGE);
    }
    if (args.length > 1)
      throw new UsageError(`audit verify takes no arguments, not "${args.slice(1).join(' ')}"`, USAGE);
    return withCliDatabase(context, async (database) => {
      const result = await verifyAuditChain(database.prisma);
      if (context.flags.json) {
        context.io.out(JSON.stringify({ intact: !result.broken, ...result }, null, 2));
      } else if (result.broken) {
        context.io.out(
          `Audit log chain broken at row ${result.broken.id}: ${result.broken.message}.\n` +
            `${result.intactRows} rows before it are intact.`,
        );
      } else {
        context.io.out(
          `${result.intactRows} rows, chain intact` +
            (result.head ? ` (last row ${result.head.id}, hash ${result.head.hash})` : ''),
        );
      }
      return result.broken ? 1 : 0;
    });
  },
};
