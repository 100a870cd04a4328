// Reads an import file (CSV or JSON, by extension or content) into a batch of incoming events
// with a per-row problem list, then stores it as one transaction (storeIncomingEvents).
import { parse } from 'csv-parse/sync';
import type { Actor } from '../audit/actor.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { CSV_REQUIRED_COLUMNS, csvRowToEvents, normaliseColumnName } from './csvImportRow.js';
import type { IncomingEvent, ItemProblem } from './incomingEvent.js';
import { JsonEventBatchSchema, parseJsonEvents } from './jsonEventFormat.js';
import { storeIncomingEvents, type IncomingBatch, type StoreResult } from './storeIncomingEvents.js';

export type ImportFormat = 'csv' | 'json';

export interface ParsedImportFile extends IncomingBatch {
  format: ImportFormat;
  sourceSystem: string;
}

export function detectFormat(fileName: string, content: string): ImportFormat {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return /^\s*[[{]/.test(content) ? 'json' : 'csv';
}

export function parseImportFile(fileName: string, content: string): ParsedImportFile {
  const format = detectFormat(fileName, content);
  return format === 'json' ? parseJsonFile(content) : parseCsvFile(content);
}

/** Row numbers are the file's line numbers as a spreadsheet shows them: the header is row 1. */
export function parseCsvFile(content: string): ParsedImportFile {
  const empty = (problem: ItemProblem): ParsedImportFile => ({
    format: 'csv',
    sourceSystem: 'default',
    items: 0,
    events: [],
    problems: [problem],
  });
  let columns: string[] | undefined;
  let missing: string[] = [];
  let items = 0;
  const events: IncomingEvent[] = [];
  const problems: ItemProblem[] = [];
  const shared = sharedParts();
  try {
    // Rows are checked as they are read and not kept: a 100,000-row file never exists twice.
    parse(content, {
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      on_record: (record: string[], context: { lines: number }) => {
        if (!columns) {
          columns = record.map(normaliseColumnName);
          missing = CSV_REQUIRED_COLUMNS.filter((c) => !columns!.includes(c));
          return null;
        }
        if (missing.length > 0) return null;
        items++;
        const cells: Record<string, string | undefined> = {};
        for (let i = 0; i < columns.length; i++) cells[columns[i]!] = record[i];
        const row = csvRowToEvents(context.lines, cells);
        for (const e of row.events) events.push(shared.event(e));
        for (const p of row.problems) problems.push(p);
        return null;
      },
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return empty({
      item: line,
      column: '(file)',
      reason: `not readable as CSV: ${(error as Error).message}`,
    });
  }
  if (!columns) return empty({ item: 1, column: '(file)', reason: 'the file is empty' });
  if (missing.length > 0) {
    return empty({
      item: 1,
      column: missing.join(', '),
      reason: `missing column${missing.length > 1 ? 's' : ''} in the header (see README "CSV import format")`,
    });
  }
  return { format: 'csv', sourceSystem: 'default', items, events, problems };
}

/**
 * A file's rows repeat their customer and subscription on every event: rows that describe the
 * same one share one object (and its strings), which keeps a 100,000-event file's events at a
 * fraction of the memory. The objects are never mutated after parsing.
 */
function sharedParts() {
  const customers = new Map<string, IncomingEvent['customer']>();
  const subscriptions = new Map<string, IncomingEvent['subscription']>();
  const states = new Map<string, NonNullable<IncomingEvent['stateAfter']>>();
  const intern = <T extends object>(map: Map<string, T>, value: T): T => {
    const key = JSON.stringify(value);
    const found = map.get(key);
    if (found) return found;
    map.set(key, value);
    return value;
  };
  return {
    event(e: IncomingEvent): IncomingEvent {
      const subscription = intern(subscriptions, e.subscription);
      return {
        ...e,
        customer: intern(customers, e.customer),
        subscription,
        event: { ...e.event, subscriptionId: subscription.id },
        stateAfter: e.stateAfter && intern(states, e.stateAfter),
      };
    },
  };
}

export function parseJsonFile(content: string): ParsedImportFile {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (error) {
    return {
      format: 'json',
      sourceSystem: 'default',
      items: 0,
      events: [],
      problems: [{ item: 0, column: '(file)', reason: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const batch = JsonEventBatchSchema.safeParse(Array.isArray(raw) ? { events: raw } : raw);
  if (!batch.success) {
    return {
      format: 'json',
      sourceSystem: 'default',
      items: 0,
      events: [],
      problems: batch.error.issues.map((i) => ({
        item: 0,
        column: i.path.join('.') || '(file)',
        reason: i.message,
      })),
    };
  }
  const parsed = parseJsonEvents(batch.data.events);
  return {
    format: 'json',
    sourceSystem: batch.data.source ?? 'default',
    items: batch.data.events.length,
    ...parsed,
  };
}

export interface ImportOptions {
  actor: Actor;
  dryRun?: boolean;
  skipInvalid?: boolean;
}

/** Imports one file: all of it in one transaction, or (with skipInvalid) exactly its valid rows. */
export async function importFile(
  prisma: PrismaClient,
  fileName: string,
  content: string,
  options: ImportOptions,
): Promise<StoreResult & { format: ImportFormat }> {
  const parsed = parseImportFile(fileName, content);
  // a file that could not be read at all has problems but no items
  const fileLevel = parsed.items === 0 && parsed.problems.length > 0;
  if (fileLevel) {
    return {
      format: parsed.format,
      items: parsed.items,
      acceptedItems: 0,
      refused: parsed.problems,
      stored: false,
      dryRun: options.dryRun ?? false,
      eventsNew: 0,
      eventsAlreadyStored: 0,
      customersCreated: 0,
      subscriptionsCreated: 0,
    };
  }
  const result = await storeIncomingEvents(prisma, parsed, {
    actor: options.actor,
    channel: `import:${fileName.split(/[\\/]/).pop()}`,
    sourceSystem: parsed.sourceSystem,
    skipInvalid: options.skipInvalid ?? false,
    dryRun: options.dryRun ?? false,
    format: parsed.format,
  });
  return { ...result, format: parsed.format };
}
