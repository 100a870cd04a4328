// Cards as Adaptive Cards 1.5 for Teams. Buttons are Action.Execute (Universal Actions: the bot
// gets an invoke and can answer with the updated card) with an Action.Submit fallback for
// clients without them; a select is a ChoiceSet with its own submit button; a long list searches
// through Data.Query; Approve asks twice (a ShowCard with the consequences, then the real
// button), because Adaptive Cards have no confirmation dialog. Nothing is emitted over a limit
// of adaptiveCardLimits.ts: text is split, tables cut with "… and N more", oversized cards keep
// their beginning and their buttons.
import { layOutActions } from '../actionsLayout.js';
import type { Card, CardBlock, CardButton, CardSelect } from '../cardModel.js';
import { rewriteChatMarkup } from '../chatMarkup.js';
import { plainText } from '../console/textRenderer.js';
import { quoteArgument } from '../commandTokenizer.js';
import { TEAMS_CARD_LIMITS as L } from './adaptiveCardLimits.js';
import { clip, splitText } from '../textFitting.js';
import { chunks } from '../../collections/chunks.js';
import { processSecrets } from '../../observability/secretScrubber.js';

export type AdaptiveElement = Record<string, unknown>;
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  msteams: { width: 'Full' };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** verb of every Action.Execute: the command is in the data */
export const EXECUTE_VERB = 'command';
/** the Data.Query dataset of a service search: `services:<customer id>` */
export const SERVICES_DATASET_PREFIX = 'services:';

/** What a button or select submits: a whole command, or a prefix completed by a chosen value. */
export type SubmitData = { command: string } | { prefix: string; input: string };

/** The card model's chat markup (`*bold*`, `code`) in the markdown subset Teams renders. */
export function teamsMarkdown(text: string): string {
  return rewriteChatMarkup(text, (words) => `**${words}**`);
}

const textBlock = (text: string, extra: AdaptiveElement = {}): AdaptiveElement => ({
  type: 'TextBlock',
  text: clip(text, L.textChars),
  wrap: true,
  ...extra,
});

function textBlocks(text: string): AdaptiveElement[] {
  if (!text.trim()) return [];
  // Teams markdown needs a blank line (or "\n\n") for a line break inside one TextBlock
  return splitText(teamsMarkdown(text), L.textChars / 2).map((piece) =>
    textBlock(piece.split('\n').join('\n\n')),
  );
}

function submitAction(title: string, data: SubmitData, style?: 'positive' | 'destructive'): AdaptiveElement {
  const fallback = { type: 'Action.Submit', title: clip(title, L.actionTitle), data };
  return {
    type: 'Action.Execute',
    title: clip(title, L.actionTitle),
    verb: EXECUTE_VERB,
    data,
    ...(style ? { style } : {}),
    fallback,
  };
}

function buttonAction(button: CardButton): AdaptiveElement | undefined {
  if (button.command.length > L.dataChars - 20) return undefined;
  const style =
    button.style === 'primary' ? 'positive' : button.style === 'danger' ? 'destructive' : undefined;
  const execute = submitAction(button.label, { command: button.command }, style);
  if (!button.confirm) return execute;
  // step one shows what will happen; step two is the real button
  return {
    type: 'Action.ShowCard',
    title: clip(`${button.label}…`, L.actionTitle),
    card: {
      type: 'AdaptiveCard',
      body: [
        textBlock(button.confirm.title, { weight: 'Bolder' }),
        textBlock(teamsMarkdown(button.confirm.text)),
      ],
      actions: [submitAction(button.confirm.confirm, { command: button.command }, style)],
    },
  };
}

interface RenderState {
  /** an http URL becomes an image too (the playground, never Teams) */
  httpImages: boolean;
  selects: number;
  /** typed commands shown for selects over the per-card limit */
  overflowSelects: string[];
  prefix: string;
}

function selectElements(select: CardSelect, state: RenderState): AdaptiveElement[] {
  const typed = `${state.prefix}${select.commandPrefix} <id or name>`;
  const options = select.options.filter((o) => o.value.length <= 200);
  if (options.length === 0 || state.selects >= L.selects) {
    if (options.length > 0) {
      state.overflowSelects.push(select.label);
      return [];
    }
    return [textBlock(`**${clip(select.label, 300)}**: ${typed}`)];
  }
  const id = `select${++state.selects}`;
  const searchable = options.length > L.staticChoices && select.dynamic;
  const shown = options.slice(0, searchable ? L.searchResults : L.staticChoices);
  const choiceSet: AdaptiveElement = {
    type: 'Input.ChoiceSet',
    id,
    placeholder: clip(searchable ? `${select.placeholder} (type to search)` : select.placeholder, 150),
    style: 'filtered',
    choices: shown.map((o) => ({ title: clip(o.label, L.choiceTitle), value: o.value })),
    ...(searchable
      ? {
          'choices.data': {
            type: 'Data.Query',
            dataset: `${SERVICES_DATASET_PREFIX}${select.dynamic!.customerId}`,
            count: L.searchResults,
          },
        }
      : {}),
  };
  const items: AdaptiveElement[] = [
    textBlock(`**${clip(select.label, 300)}**`),
    choiceSet,
    { type: 'ActionSet', actions: [submitAction('Set', { prefix: select.commandPrefix, input: id })] },
  ];
  if (!searchable && options.length > L.staticChoices)
    items.push(
      textBlock(`… and ${options.length - L.staticChoices} more: ${typed}`, {
        isSubtle: true,
        size: 'Small',
      }),
    );
  return [{ type: 'Container', items }];
}

function tableElements(columns: string[], rows: string[][], omitted: number): AdaptiveElement[] {
  const cols = columns.slice(0, L.tableColumns);
  const shown = rows.slice(0, L.tableRows);
  const cell = (text: string, bold = false) => ({
    type: 'TableCell',
    items: [textBlock(clip(teamsMarkdown(text), 300), bold ? { weight: 'Bolder' } : {})],
  });
  const table: AdaptiveElement = {
    type: 'Table',
    columns: cols.map(() => ({ width: 1 })),
    firstRowAsHeader: true,
    showGridLines: false,
    rows: [
      { type: 'TableRow', cells: cols.map((c) => cell(c, true)) },
      ...shown.map((row) => ({ type: 'TableRow', cells: cols.map((_, i) => cell(row[i] ?? '')) })),
    ],
  };
  const left = rows.length - shown.length + omitted;
  return left > 0
    ? [table, textBlock(`… and ${left.toLocaleString('en-US')} more`, { isSubtle: true, size: 'Small' })]
    : [table];
}

function renderBlock(block: CardBlock, state: RenderState): AdaptiveElement[] {
  switch (block.type) {
    case 'header':
      // Teams shows an empty TextBlock as a gap: nothing is sent for empty text
      return block.text.trim()
        ? [textBlock(clip(block.text, 150), { size: 'Large', weight: 'Bolder', style: 'heading' })]
        : [];
    case 'text':
      return textBlocks(block.text);
    case 'fields':
      return chunks(block.fields, L.facts).map((fields) => ({
        type: 'FactSet',
        facts: fields.map((f) => ({ title: clip(f.label, 100), value: clip(teamsMarkdown(f.value), 500) })),
      }));
    case 'table':
      return tableElements(block.columns, block.rows, block.omittedRows ?? 0);
    case 'actions':
      return layOutActions<AdaptiveElement, AdaptiveElement>(block.elements, {
        perRow: L.actionsPerSet,
        button: buttonAction,
        row: (actions) => ({ type: 'ActionSet', actions }),
        select: (select) => selectElements(select, state),
      });
    case 'select':
      return selectElements(block.select, state);
    case 'context': {
      const items = block.items.filter((i) => i.trim());
      return items.length
        ? [textBlock(teamsMarkdown(items.join(' · ')), { isSubtle: true, size: 'Small' })]
        : [];
    }
    case 'divider':
      return [{ type: 'Container', separator: true, spacing: 'Medium', items: [] }];
    case 'image':
      // Teams loads card images over https only; any other URL is a link in words
      if (!(state.httpImages ? /^https?:\/\/\S+$/ : /^https:\/\/\S+$/).test(block.url))
        return [linkText(`Chart: ${block.altText}`, block.url)];
      return [
        ...(block.title?.trim() ? [textBlock(clip(block.title, 150), { weight: 'Bolder' })] : []),
        { type: 'Image', url: block.url, altText: clip(plainText(block.altText), 1_000), size: 'Stretch' },
      ];
    case 'link':
      return [linkText(block.label, block.url)];
  }
}

/** `[label](url)` in a TextBlock (Teams markdown); a URL that is not http(s) stays plain text */
function linkText(label: string, url: string): AdaptiveElement {
  const words = clip(plainText(label).replace(/[[\]]/g, ''), 200);
  return /^https?:\/\/[^\s()]+$/.test(url) && url.length < L.textChars - 210
    ? textBlock(`[${words}](${url})`)
    : textBlock(clip(`${words}: ${url}`, L.textChars));
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** Keeps a card under the byte limit: its beginning, a note of what was left out, its buttons. */
function fitBody(card: AdaptiveCardJson): AdaptiveCardJson {
  if (bytes(card) <= L.cardBytes) return card;
  const body = card.body;
  let tailStart = body.length;
  // the buttons and the closing notes ("… and 280 more — unmapped acme") stay
  const closing = (e: AdaptiveElement) =>
    e.type === 'ActionSet' || (e.type === 'TextBlock' && e.isSubtle === true);
  while (tailStart > 0 && closing(body[tailStart - 1]!) && body.length - tailStart < 3) tailStart--;
  const tail = body.slice(tailStart);
  const head = body.slice(0, tailStart);
  const note = (left: number) =>
    textBlock(`… and ${left} more parts not shown (the card is at Teams' size limit)`, {
      isSubtle: true,
      size: 'Small',
    });
  while (head.length > 0) {
    head.pop();
    const candidate = { ...card, body: [...head, note(tailStart - head.length), ...tail] };
    if (bytes(candidate) <= L.cardBytes) return candidate;
  }
  return { ...card, body: [note(tailStart), ...tail] };
}

/** One card as an Adaptive Card 1.5. `prefix` is how commands are typed in Teams. */
export function renderAdaptiveCard(
  unscrubbed: Card,
  prefix = '@Autotask ',
  options: { httpImages?: boolean } = {},
): AdaptiveCardJson {
  // whatever a card says (an error message, a setting) never carries a secret to Teams
  const model = processSecrets.scrubValue(unscrubbed);
  const state: RenderState = {
    httpImages: options.httpImages ?? false,
    selects: 0,
    overflowSelects: [],
    prefix,
  };
  const body: AdaptiveElement[] = [];
  for (const block of model.blocks) body.push(...renderBlock(block, state));
  if (state.overflowSelects.length > 0)
    body.push(
      textBlock(
        `… and ${state.overflowSelects.length} more to choose in chat: ${prefix}${'map <customer> product "<product>" [monthly|annual] service <id or name>'}`,
        { isSubtle: true, size: 'Small' },
      ),
    );
  if (body.length === 0) body.push(textBlock(teamsMarkdown(model.summary) || ' '));
  return fitBody({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: L.version,
    body,
    msteams: { width: 'Full' },
  });
}

/** The same card with every button and select removed (a decided approval card, progress). */
export function withoutActions(card: AdaptiveCardJson): AdaptiveCardJson {
  const strip = (elements: AdaptiveElement[]): AdaptiveElement[] =>
    elements
      .filter((e) => e.type !== 'ActionSet' && e.type !== 'Input.ChoiceSet')
      .map((e) =>
        e.type === 'Container' ? { ...e, items: strip((e.items as AdaptiveElement[]) ?? []) } : e,
      );
  return { ...card, body: strip(card.body), actions: undefined } as AdaptiveCardJson;
}

/**
 * The command a click stands for: the button's command, or a select's prefix completed with the
 * chosen value (which Teams merges into the data under the input's id). Undefined for anything
 * else — a click the bot did not render.
 */
export function commandOfSubmit(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.command === 'string' && d.command.trim()) return d.command;
  if (typeof d.prefix === 'string' && typeof d.input === 'string') {
    const value = d[d.input];
    if (typeof value === 'string' && value.trim()) return `${d.prefix} ${quoteArgument(value.trim())}`;
  }
  return undefined;
}
