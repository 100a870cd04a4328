// Turns the records of a CSV import file into a compact batch as csv-parse reads them, whether
// it reads a whole text at once or a stream in pieces: rows are checked as they come and not
// kept, so a 100,000-row file never exists twice.
import type { Options } from 'csv-parse';
import type { OnProgress } from '../core/progress.js';
import { CompactEventList } from './compactEventList.js';
import { CSV_REQUIRED_COLUMNS, csvRowToEvents, normaliseColumnName } from './csvImportRow.js';
import type { IncomingEvent, ItemProblem } from './incomingEvent.js';

export interface CsvImportBatch {
  format: 'csv';
  sourceSystem: string;
  items: number;
  events: CompactEventList;
  problems: ItemProblem[];
}

export class CsvImportReader {
  constructor(
    /** rows dated after this are refused (YYYY-MM-DD) */
    private readonly latestDate?: string,
    /** told after each row: rows read and refused so far */
    private readonly onProgress?: OnProgress,
    /**
     * emit: each row's events are csv-parse's record (pushed on to whatever reads the parser)
     * instead of being kept in the batch, whose events are then empty (a streamed import)
     */
    private readonly mode: { emit: boolean } = { emit: false },
  ) {}

  private columns: string[] | undefined;
  private missing: string[] = [];
  private items = 0;
  private refusedRows = 0;
  private readonly events = new CompactEventList();
  private readonly problems: ItemProblem[] = [];

  /** csv-parse options; row numbers are the file's line numbers (the header is row 1) */
  readonly options: Options = {
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
    on_record: (record: string[], context: { lines: number }) => {
      const events = this.record(record, context.lines);
      // the parser passes a record on as it is: here, the row's events
      return this.mode.emit && events.length > 0 ? (events as unknown as string[]) : null;
    },
  };

  private record(record: string[], line: number): IncomingEvent[] {
    if (!this.columns) {
      const columns = record.map(normaliseColumnName);
      this.columns = columns;
      this.missing = CSV_REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
      return [];
    }
    if (this.missing.length > 0) return [];
    this.items++;
    const cells: Record<string, string | undefined> = {};
    for (let i = 0; i < this.columns.length; i++) cells[this.columns[i]!] = record[i];
    const row = csvRowToEvents(line, cells, this.latestDate);
    if (!this.mode.emit) for (const e of row.events) this.events.push(e);
    for (const p of row.problems) this.problems.push(p);
    if (row.problems.length > 0) this.refusedRows++;
    this.onProgress?.({ phase: 'reading', done: this.items, failed: this.refusedRows });
    return row.events;
  }

  /** The batch for a file csv-parse gave up on. */
  unreadable(error: unknown): CsvImportBatch {
    const line = (error as { lines?: number }).lines ?? 1;
    return empty({
      item: line,
      column: '(file)',
      reason: `not readable as CSV: ${(error as Error).message}`,
    });
  }

  /** The batch, once every record is read. */
  result(): CsvImportBatch {
    if (!this.columns) return empty({ item: 1, column: '(file)', reason: 'the file is empty' });
    if (this.missing.length > 0) {
      return empty({
        item: 1,
        column: this.missing.join(', '),
        reason: `missing column${this.missing.length > 1 ? 's' : ''} in the header (see README "CSV import format")`,
      });
    }
    return {
      format: 'csv',
      sourceSystem: 'default',
      items: this.items,
      events: this.events.complete(),
      problems: this.problems,
    };
  }
}

function empty(problem: ItemProblem): CsvImportBatch {
  return {
    format: 'csv',
    sourceSystem: 'default',
    items: 0,
    events: new CompactEventList().complete(),
    problems: [problem],
  };
}
