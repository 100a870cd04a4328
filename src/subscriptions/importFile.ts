// Reads an import file (CSV or JSON, by extension or content) into a batch of incoming events
// with a per-row problem list, then stores it as one transaction: a CSV file streamed into it
// (importCsvStream), a JSON file read whole and stored by storeIncomingEvents.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { Actor } from '../audit/actor.js';
import type { OnProgress } from '../core/progress.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { CsvImportReader, type CsvImportBatch } from './csvImportReader.js';
import type { IncomingEvent } from './incomingEvent.js';
import { importCsvStream } from './streamedCsvImport.js';
import { DEFAULT_INGEST_LIMITS, latestAcceptedDate } from './ingestLimits.js';
import { JsonEventBatchSchema, parseJsonEvents } from './jsonEventFormat.js';
import {
  nothingStoredYet,
  storeIncomingEvents,
  type IncomingBatch,
  type StoreResult,
} from './storeIncomingEvents.js';

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

/** Row numbers are the file's line numbers as a spreadsheet shows them: the header is row 1. */
export function parseCsvFile(content: ImportContent, latestDate?: string): ParsedImportFile {
  const read = readCsvFile(content, latestDate);
  return { ...read, events: [...read.events] };
}

/** The same, with the events kept compactly (a 100,000-event file in a few MB). */
function readCsvFile(
  content: ImportContent,
  latestDate: string | undefined,
  onProgress?: OnProgress,
): CsvImportBatch {
  const reader = new CsvImportReader(latestDate, onProgress);
  try {
    parse(content, reader.options);
  } catch (error) {
    return reader.unreadable(error);
  }
  return reader.result();
}

export function parseJsonFile(content: ImportContent, latestDate?: string): ParsedImportFile {
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
  const parsed = parseJsonEvents(batch.data.events, latestDate);
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
  /** INGEST_MAX_FUTURE_DAYS (default DEFAULT_INGEST_LIMITS) */
  maxFutureDays?: number;
  /** "today", for the future-date limit */
  now?: Date;
  /** rows read (`done`) and refused (`failed`) so far while reading, then the `storing` phase */
  onProgress?: OnProgress;
}

function latestDateFor(options: ImportOptions): string {
  return latestAcceptedDate(options.maxFutureDays ?? DEFAULT_INGEST_LIMITS.maxFutureDays, options.now);
}

/**
 * Imports one file: all of it in one transaction, or (with skipInvalid) exactly its valid rows.
 * A CSV file is streamed into the transaction (importCsvStream) from its content in pieces.
 * Not an async function on purpose: once a JSON file is read, nothing here holds its content, so
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
    const latestDate = latestDateFor(options);
    if (detectFormat(fileName, content) === 'csv')
      return streamCsv(prisma, fileName, Readable.from(pieces(content)), options);
    batch = jsonRead(parseJsonFile(content, latestDate), options.onProgress);
  } catch (error) {
    return Promise.reject(error);
  }
  return storeImportBatch(prisma, fileName, batch, options);
}

/** A text or its bytes in pieces of about 64 KB (a text never cut inside a surrogate pair). */
function* pieces(content: ImportContent): Generator<string | Buffer> {
  const size = 65_536;
  for (let start = 0; start < content.length;) {
    let end = Math.min(content.length, start + size);
    if (typeof content === 'string' && end < content.length && /[\uD800-\uDBFF]/.test(content[end - 1]!))
      end--;
    yield content.slice(start, end);
    start = end;
  }
}

/** A CSV file, read as a stream into its one transaction. */
async function streamCsv(
  prisma: PrismaClient,
  fileName: string,
  source: Readable,
  options: ImportOptions,
): Promise<StoreResult & { format: ImportFormat }> {
  const result = await importCsvStream(prisma, source, {
    actor: options.actor,
    channel: importChannel(fileName),
    latestDate: latestDateFor(options),
    skipInvalid: options.skipInvalid ?? false,
    dryRun: options.dryRun ?? false,
    onProgress: options.onProgress,
  });
  return { ...result, format: 'csv' };
}

const importChannel = (fileName: string) => `import:${fileName.split(/[\\/]/).pop()}`;

/**
 * Imports an open file (the import command): a CSV file is read as a stream, so neither its
 * text nor its bytes are ever in memory whole; a JSON file is read whole. The caller closes it.
 */
export async function importOpenFile(
  prisma: PrismaClient,
  file: fs.promises.FileHandle,
  fileName: string,
  options: ImportOptions,
): Promise<StoreResult & { format: ImportFormat }> {
  const start = Buffer.alloc(4096);
  const { bytesRead } = await file.read(start, 0, start.length, 0);
  const head = start.subarray(0, bytesRead);
  // a file whose first 4 KB are white space is told apart by all of it, as detectFormat does
  const whole = bytesRead === start.length && head.toString('utf8').trim() === '';
  const format = detectFormat(fileName, whole ? await file.readFile() : head);
  if (format === 'csv')
    return streamCsv(prisma, fileName, file.createReadStream({ start: 0, autoClose: false }), options);
  const batch = jsonRead(parseJsonFile(await file.readFile(), latestDateFor(options)), options.onProgress);
  return storeImportBatch(prisma, fileName, batch, options);
}

/** A JSON file is parsed whole: its progress is told once, when it is read. */
function jsonRead(batch: ParsedImportFile, onProgress: OnProgress | undefined): ParsedImportFile {
  onProgress?.({ phase: 'reading', done: batch.items, failed: refusedItems(batch) });
  return batch;
}

const refusedItems = (batch: ImportBatch): number => new Set(batch.problems.map((p) => p.item)).size;

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
      ...nothingStoredYet({
        items: batch.items,
        acceptedItems: 0,
        refused: batch.problems,
        conflicts: [],
        dryRun: options.dryRun ?? false,
      }),
    };
  }
  options.onProgress?.({ phase: 'storing', done: batch.items, failed: refusedItems(batch) });
  const result = await storeIncomingEvents(prisma, batch, {
    actor: options.actor,
    channel: importChannel(fileName),
    sourceSystem: batch.sourceSystem,
    skipInvalid: options.skipInvalid ?? false,
    dryRun: options.dryRun ?? false,
    format: batch.format,
  });
  return { ...result, format: batch.format };
}
