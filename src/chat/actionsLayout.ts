// How a platform lays out an actions block: the buttons in rows of at most `perRow` (the
// platform's action container holds only so many), then each select as blocks of its own, since
// neither platform puts a select among buttons. A button the platform cannot carry is left out.
import { chunks } from '../collections/chunks.js';
import type { CardButton, CardElement, CardSelect } from './cardModel.js';

export interface ActionsLayout<Block, Button> {
  perRow: number;
  /** undefined: the platform cannot carry this button */
  button(button: CardButton): Button | undefined;
  row(buttons: Button[]): Block;
  select(select: CardSelect): Block[];
}

/** Renders the elements in their order (buttons and selects alike), then places them. */
export function layOutActions<Block, Button>(
  elements: CardElement[],
  layout: ActionsLayout<Block, Button>,
): Block[] {
  const buttons: Button[] = [];
  const selects: Block[] = [];
  for (const element of elements) {
    if (element.type === 'select') selects.push(...layout.select(element));
    else {
      const rendered = layout.button(element);
      if (rendered) buttons.push(rendered);
    }
  }
  return [...chunks(buttons, layout.perRow).map((row) => layout.row(row)), ...selects];
}
