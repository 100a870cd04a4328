import fs from 'node:fs/promises';
import path from 'node:path';
import { importOpenFile } from '../../subscriptions/importFile.js';
import { cliAuditActor } from '../cliAuditActor.js';
import { UsageError, type CliCommand } from '../cliCommand.js';
import { withCliDatabase } from '../cliDatabase.js';
import { terminalProgress } from '../terminalProgress.js';

const USAGE = 'autotask-bot import <file> [--dry-run] [--skip-invalid]';

export const importCommand: CliCommand = {
  name: 'import',
  usage: USAGE,
  summary: 'import subscription history from a CSV or JSON file (one file = one transaction)',
  async run(context, args) {
    const flags = new Set(args.filter((a) => a.startsWith('--')));
    const files = args.filter((a) => !a.startsWith('--'));
    const unknown = [...flags].filter((f) => f !== '--dry-run' && f !== '--skip-invalid');
    if (unknown.length > 0) throw new UsageError(`Unknown option ${unknown.join(', ')}.`, USAGE);
    if (files.length !== 1) throw new UsageError('Give exactly one file to import.', USAGE);
    const file = files[0]!;
    const actor = cliAuditActor(context.flags);
    const dryRun = flags.has('--dry-run');
    const skipInvalid = flags.has('--skip-invalid');
    // opened here so an unreadable file is reported before the database is; read as a stream
    let opened: fs.FileHandle | undefined;
    try {
      opened = await fs.open(file);
      if ((await opened.stat()).isDirectory())
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (error) {
      await opened?.close();
      context.io.err(
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
      return 1;
    }

    const handle = opened;
    try {
      return await withCliDatabase(context, async (database) => {
        const progress = terminalProgress(context, {
          what: 'import',
          unit: 'rows',
          failed: 'refused',
          rate: true,
        });
        const result = await importOpenFile(database.prisma, handle, path.basename(file), {
          actor,
          dryRun,
          skipInvalid,
          maxFutureDays: context.config().ingestLimits.maxFutureDays,
          onProgress: progress.update,
        }).finally(() => progress.finish());
        const refusedNothingStored =
          result.refused.length > 0 && (!skipInvalid || result.acceptedItems === 0);
        if (context.flags.json) {
          context.io.out(JSON.stringify({ file, ...result }, null, 2));
          return refusedNothingStored ? 1 : 0;
        }
        const unit = result.format === 'csv' ? 'row' : 'item';
        const lines: string[] = [];
        if (result.refused.length > 0) {
          lines.push(`${new Set(result.refused.map((p) => p.item)).size} ${unit}(s) refused:`);
          for (const p of result.refused)
            lines.push(
              `  ${unit} ${p.item}${p.id !== undefined ? ` (${p.id})` : ''}, ${p.column}: ${p.reason}`,
            );
        }
        const what = `${result.eventsNew} new event(s), ${result.eventsAlreadyStored} already stored, ${result.customersCreated} new customer(s), ${result.subscriptionsCreated} new subscription(s)`;
        if (refusedNothingStored) {
          lines.push(
            skipInvalid
              ? 'Nothing stored: no valid rows.'
              : `Nothing stored. Fix the ${unit}s above, or run again with --skip-invalid to store the ${result.acceptedItems} valid ${unit}(s) only.`,
          );
        } else if (result.dryRun) {
          lines.push(
            `Dry run of ${file} (${result.format}, ${result.items} ${unit}s): would store ${what}. Nothing was stored.`,
          );
        } else {
          lines.push(
            `Imported ${file} (${result.format}): ${result.acceptedItems} of ${result.items} ${unit}(s); ${what}.`,
          );
        }
        (refusedNothingStored ? context.io.err : context.io.out)(lines.join('\n'));
        return refusedNothingStored ? 1 : 0;
      });
    } finally {
      await handle.close();
    }
  },
};
