// Reads an import file (CSV or JSON, by extension or content) into a batch of incoming events
// with a per-row problem list, then stores it as one transaction (storeIncomingEvents).
import { parse } from 'csv-parse/sync';
import type { Actor } from '../audit/actor.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { CSV_REQUIRED_COLUMNS, csvRowToEvents, normaliseColumnName } from './csvImportRow.js';
import { CompactEventList } from './compactEventList.js';
import type { IncomingEvent, ItemProblem } from './incomingEvent.js';
import { JsonEventBatchSchema, parseJsonEvents } from './jsonEventFormat.js';
import { storeIncomingEvents, type IncomingBatch, type StoreResult } from './storeIncomingEvents.js';

export type ImportFormat = 'csv' | 'json';

/** A file read for storing: CSV events are kept compactly, JSON ones as parsed. */
export interface ImportBatch extends IncomingBatch {
  format: ImportFormat;
  sourceSystem: string;
}

export interface ParsedImportFile extends ImportBatch {
  events: IncomingEvent[];
}

/** A file's content: its text, or its bytes (UTF-8) as read — half the memory of the text. */
export type ImportContent = string | Buffer;

export function detectFormat(fileName: string, content: ImportContent): ImportFormat {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return /^\s*[[{]/.test(textStart(content)) ? 'json' : 'csv';
}

/** Enough of the text to see its first character that is not white space. */
function textStart(content: ImportContent): string {
  if (typeof content === 'string') return content;
  const start = content.subarray(0, 4096).toString('utf8');
  return start.trim() === '' ? content.toString('utf8') : start;
}

export function parseImportFile(fileName: string, content: ImportContent): ParsedImportFile {
  const format = detectFormat(fileName, content);
  return format === 'json' ? parseJsonFile(content) : parseCsvFile(content);
}

/** Row numbers are the file's line numbers as a spreadsheet shows them: the header is row 1. */
export function parseCsvFile(content: ImportContent): ParsedImportFile {
  const read = readCsvFile(content);
  return { ...read, events: [...read.events] };
}

/** The same, with the events kept compactly (a 100,000-event file in a few MB). */
function readCsvFile(content: ImportContent): ImportBatch & { events: CompactEventList } {
  const empty = (problem: ItemProblem) => ({
    format: 'csv' as const,
    sourceSystem: 'default',
    items: 0,
    events: new CompactEventList().complete(),
    problems: [problem],
  });
  let columns: string[] | undefined;
  let missing: string[] = [];
  let items = 0;
  const events = new CompactEventList();
  const problems: ItemProblem[] = [];
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
        for (const e of row.events) events.push(e);
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
  return { format: 'csv', sourceSystem: 'default', items, events: events.complete(), problems };
}

export function parseJsonFile(content: ImportContent): ParsedImportFile {
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString());
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

/**
 * Imports one file: all of it in one transaction, or (with skipInvalid) exactly its valid rows.
 * Not an async function on purpose: once the file is read, nothing here holds its content, so
 * a caller that let go of it too frees it while the batch is stored.
 */
export function importFile(
  prisma: PrismaClient,
  fileName: string,
  content: ImportContent,
  options: ImportOptions,
): Promise<StoreResult & { format: ImportFormat }> {
  let batch: ImportBatch;
  try {
    // CSV events stay compact: the store walks them several times instead of holding them all
    batch = detectFormat(fileName, content) === 'json' ? parseJsonFile(content) : readCsvFile(content);
  } catch (error) {
    return Promise.reject(error);
  }
  return storeImportBatch(prisma, fileName, batch, options);
}

async function storeImportBatch(
  prisma: PrismaClient,
  fileName: string,
  batch: ImportBatch,
  options: ImportOptions,
): Promise<StoreResult & { format: ImportFormat }> {
  // a file that could not be read at all has problems but no items
  const fileLevel = batch.items === 0 && batch.problems.length > 0;
  if (fileLevel) {
    return {
      format: batch.format,
      items: batch.items,
      acceptedItems: 0,
      refused: batch.problems,
      stored: false,
      dryRun: options.dryRun ?? false,
      eventsNew: 0,
      eventsAlreadyStored: 0,
      customersCreated: 0,
      subscriptionsCreated: 0,
    };
  }
  const result = await storeIncomingEvents(prisma, batch, {
    actor: options.actor,
    channel: `import:${fileName.split(/[\\/]/).pop()}`,
    sourceSystem: batch.sourceSystem,
    skipInvalid: options.skipInvalid ?? false,
    dryRun: options.dryRun ?? false,
    format: batch.format,
  });
  return { ...result, format: batch.format };
}
