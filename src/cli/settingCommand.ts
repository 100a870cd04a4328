// A CLI command that shows one audited setting and, given a change, sets it first as the --as
// person (four-eyes, auto-approve). The arguments are read before the database is opened, so a
// usage error never waits for it.
import type { Actor } from '../audit/actor.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { cliAuditActor } from './cliAuditActor.js';
import type { CliCommand } from './cliCommand.js';
import { withCliDatabase } from './cliDatabase.js';

export interface SettingCommand<Change, Value> extends Omit<CliCommand, 'run'> {
  /** the change the arguments ask for, undefined to only show the setting; throws UsageError */
  parseChange(args: string[]): Change | undefined;
  write(prisma: PrismaClient, change: Change, actor: Actor): Promise<unknown>;
  read(prisma: PrismaClient): Promise<Value>;
  /** what --json prints */
  json(value: Value): string;
  describe(value: Value): string;
}

export function settingCommand<Change, Value>(setting: SettingCommand<Change, Value>): CliCommand {
  const { name, usage, summary } = setting;
  return {
    name,
    usage,
    summary,
    async run(context, args) {
      const change = setting.parseChange(args);
      return withCliDatabase(context, async ({ prisma }) => {
        if (change !== undefined) await setting.write(prisma, change, cliAuditActor(context.flags));
        const value = await setting.read(prisma);
        context.io.out(context.flags.json ? setting.json(value) : setting.describe(value));
        return 0;
      });
    },
  };
}
