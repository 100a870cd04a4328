import { listCustomers } from '../../subscriptions/customerList.js';
import type { CliCommand } from '../cliCommand.js';
import { withCliDatabase } from '../cliDatabase.js';
import { CLI_COMMAND_INFO } from '../commandInfo.js';

export const customersCommand: CliCommand = {
  ...CLI_COMMAND_INFO.customers,
  async run(context, args) {
    const filter = args.join(' ').trim() || undefined;
    return withCliDatabase(context, async (database) => {
      const customers = await listCustomers(database.prisma, filter);
      if (context.flags.json) {
        context.io.out(JSON.stringify(customers, null, 2));
        return 0;
      }
      if (customers.length === 0) {
        context.io.out(
          filter
            ? `No customer matches "${filter}".`
            : 'No customers yet. Import a history file: autotask-bot import <file>',
        );
        return 0;
      }
      const rows = customers.map((c) => [
        c.name,
        c.externalId ?? '—',
        `${c.activeSubscriptions}/${c.subscriptions}`,
      ]);
      const header = ['Customer', 'External id', 'Subscriptions (active/all)'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd();
      context.io.out(
        [
          line(header),
          ...rows.map(line),
          '',
          `${customers.length} customer(s)${filter ? ` matching "${filter}"` : ''}`,
        ].join('\n'),
      );
      return 0;
    });
  },
};
