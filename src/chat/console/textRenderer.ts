// Cards as plain text for a terminal: tables aligned, actions numbered with the command each one
// runs (a terminal has no buttons, so the command is the button). On a terminal tables fit its
// width; written to a file or a pipe (or with --wide) nothing is cut, so effective dates, amounts
// and finding texts are always there to read. Control characters in names are shown escaped,
// never sent to the terminal (terminalSafeText).
import type { Card, CardBlock, CardElement, CardSelect } from '../cardModel.js';
import { rewriteChatMarkup } from '../chatMarkup.js';
import { terminalSafeText } from '../../core/terminalSafeText.js';
import { processSecrets } from '../../observability/secretScrubber.js';

const SHOWN_OPTIONS = 10;

/** `*bold*` and `code` markers are for chat clients; a terminal shows the words. */
export function plainText(text: string): string {
  return rewriteChatMarkup(text, (words) => words);
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** How wide text may be: a terminal's columns, or null (a file or pipe, or --wide: never cut). */
export interface TextLayout {
  width: number | null;
}

/**
 * The narrowest a column is squeezed to when a terminal is too narrow for the whole table; the
 * widest column gives way first, so short ones (dates, unit changes, states) keep their text.
 */
const MIN_COLUMN = 12;

/**
 * Column widths for a table: each cell at most `cellWidth`, and when `width` is given the widest
 * columns give way until the table fits (never below MIN_COLUMN; a very narrow terminal wraps).
 */
function columnWidths(cells: string[][], cellWidth: number, width: number | null): number[] {
  const widths = cells[0]!.map((_, i) =>
    Math.min(cellWidth, Math.max(...cells.map((row) => row[i]!.length))),
  );
  if (width === null) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]! -= 1;
  }
  return widths;
}

/**
 * A table as aligned lines (also used by the Block Kit renderer inside a code block). Cells are
 * cut only to `cellWidth` (default: never) and to fit `width` (default: no limit).
 */
export function renderTable(
  columns: string[],
  rows: string[][],
  omitted: number,
  fit: { cellWidth?: number; width?: number | null } = {},
): string[] {
  const plain = [columns, ...rows].map((row) =>
    columns.map((_, i) => terminalSafeText(plainText(row[i] ?? ''), { oneLine: true })),
  );
  const widths = columnWidths(plain, fit.cellWidth ?? Infinity, fit.width ?? null);
  const cells = plain.map((row) => row.map((cell, i) => clip(cell, widths[i]!)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  if (omitted > 0) out.push(`… and ${omitted.toLocaleString('en-US')} more`);
  return out;
}

function renderSelect(select: CardSelect, n: number, prefix: string): string[] {
  const out = [`  [${n}] ${plainText(select.label)}: ${prefix}${select.commandPrefix} <value>`];
  for (const option of select.options.slice(0, SHOWN_OPTIONS))
    out.push(`        ${option.value}  ${option.label}`);
  if (select.options.length > SHOWN_OPTIONS)
    out.push(`        … and ${(select.options.length - SHOWN_OPTIONS).toLocaleString('en-US')} more`);
  return out;
}

function renderElement(element: CardElement, n: number, prefix: string): string[] {
  if (element.type === 'select') return renderSelect(element, n, prefix);
  return [`  [${n}] ${element.label}: ${prefix}${element.command}`];
}

/** `layout.width` null (the default): nothing is cut, for files, pipes and `--wide`. */
export function renderCardAsText(
  unscrubbed: Card,
  prefix = 'autotask-bot ',
  layout: TextLayout = { width: null },
): string {
  const card = processSecrets.scrubValue(unscrubbed);
  const out: string[] = [];
  let action = 0;
  const render = (block: CardBlock) => {
    switch (block.type) {
      case 'header':
        out.push(
          plainText(block.text),
          '═'.repeat(Math.min(plainText(block.text).length, layout.width ?? Infinity)),
        );
        break;
      case 'text':
        out.push(plainText(block.text));
        break;
      case 'fields': {
        const width = Math.max(...block.fields.map((f) => f.label.length));
        for (const field of block.fields)
          out.push(`${`${field.label}:`.padEnd(width + 1)} ${plainText(field.value)}`);
        break;
      }
      case 'table':
        out.push(...renderTable(block.columns, block.rows, block.omittedRows ?? 0, { width: layout.width }));
        break;
      case 'actions':
        for (const element of block.elements) out.push(...renderElement(element, ++action, prefix));
        break;
      case 'select':
        out.push(...renderSelect(block.select, ++action, prefix));
        break;
      case 'context':
        out.push(...block.items.map((item) => plainText(item)));
        break;
      case 'divider':
        out.push('');
        break;
      case 'image':
        out.push(`Chart: ${plainText(block.altText)} — ${block.url}`);
        break;
      case 'link':
        out.push(`${plainText(block.label)}: ${block.url}`);
        break;
    }
  };
  card.blocks.forEach(render);
  return terminalSafeText(out.join('\n'));
}
