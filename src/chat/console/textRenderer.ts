// Cards as plain text for a terminal: tables aligned, actions numbered with the command each one
// runs (a terminal has no buttons, so the command is the button). Control characters in names
// are shown escaped, never sent to the terminal (terminalSafeText).
import type { Card, CardBlock, CardElement, CardSelect } from '../cardModel.js';
import { terminalSafeText } from './terminalSafeText.js';
import { processSecrets } from '../../observability/secretScrubber.js';

const CELL_WIDTH = 48;
const SHOWN_OPTIONS = 10;

/** `*bold*` and `code` markers are for chat clients; a terminal shows the words. */
export function plainText(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? part.slice(1, -1)
        : part.replace(/\*(\S|\S[^*\n]*?\S)\*/g, '$1'),
    )
    .join('');
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** A table as aligned lines (also used by the Block Kit renderer inside a code block). */
export function renderTable(columns: string[], rows: string[][], omitted: number): string[] {
  const cells = [columns, ...rows].map((row) =>
    columns.map((_, i) => clip(terminalSafeText(plainText(row[i] ?? ''), { oneLine: true }), CELL_WIDTH)),
  );
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
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

export function renderCardAsText(unscrubbed: Card, prefix = 'autotask-bot '): string {
  const card = processSecrets.scrubValue(unscrubbed);
  const out: string[] = [];
  let action = 0;
  const render = (block: CardBlock) => {
    switch (block.type) {
      case 'header':
        out.push(plainText(block.text), '═'.repeat(Math.min(plainText(block.text).length, 80)));
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
        out.push(...renderTable(block.columns, block.rows, block.omittedRows ?? 0));
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
    }
  };
  card.blocks.forEach(render);
  return terminalSafeText(out.join('\n'));
}
