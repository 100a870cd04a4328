// Cards as Block Kit. Slack refuses a whole message when one limit is broken, so this renderer
// never emits anything over a limit: long text is split over several sections, long tables are
// cut with "… and N more", more than 25 buttons go into several actions blocks, selects with more
// than 100 options become searchable (external_select), and a card over 50 blocks keeps its
// beginning and its buttons with a note of what was left out.
import { createHash } from 'node:crypto';
import { layOutActions } from '../actionsLayout.js';
import type { Card, CardBlock, CardButton, CardSelect } from '../cardModel.js';
import { plainText, renderTable } from '../console/textRenderer.js';
import { quoteArgument } from '../commandTokenizer.js';
import { SLACK_LIMITS as L } from './blockKitLimits.js';
import { clip, splitText } from '../textFitting.js';
import { chunks } from '../../collections/chunks.js';
import { processSecrets } from '../../observability/secretScrubber.js';

type Block = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: Block[];
  /** command prefixes too long for a block_id: store them (key → command) before sending */
  refs: { key: string; command: string }[];
}

/** block_id of a select: the command its chosen value completes */
export const SELECT_BLOCK_PREFIX = 'select:';
/** block_id of a select whose command is stored under a key (see SlackMessage.refs) */
export const SELECT_REF_PREFIX = 'selectref:';
/** action_id of every select the bot renders (the command is in the block_id) */
export const SELECT_ACTION_ID = 'select';

/** Slack's mrkdwn needs &, < and > escaped; user mentions (<@U123>) stay mentions. */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/<(?!@[A-Z0-9]+>)/g, '&lt;')
    .replace(/(?<!<@[A-Z0-9]+)>/g, '&gt;');
}

const mrkdwn = (text: string, limit: number) => ({ type: 'mrkdwn', text: clip(escapeMrkdwn(text), limit) });
const plain = (text: string, limit: number) => ({ type: 'plain_text', text: clip(text, limit), emoji: true });

function textSections(text: string): Block[] {
  if (!text.trim()) return [];
  return splitText(escapeMrkdwn(text), L.sectionText).map((piece) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: piece },
  }));
}

const TABLE_SECTIONS = 3;
const TABLE_CELL = 100;

function tableSections(columns: string[], rows: string[][], omitted: number): Block[] {
  // wide enough for a service named in full (id · name · period · SKU · price)
  const [head, rule, ...body] = renderTable(columns, rows, 0, { cellWidth: TABLE_CELL }).map(escapeMrkdwn);
  const budget = L.sectionText - 8; // the ``` fences
  const sections: string[][] = [];
  let current = [head!, rule!];
  let size = head!.length + rule!.length + 2;
  let shown = 0;
  for (const line of body) {
    if (size + line.length + 1 > budget - 40) {
      if (sections.length + 1 >= TABLE_SECTIONS) break;
      sections.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
    shown++;
  }
  sections.push(current);
  const left = rows.length - shown + omitted;
  const blocks: Block[] = sections.map((lines) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: '```' + clip(lines.join('\n'), budget) + '```' },
  }));
  if (left > 0)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `… and ${left.toLocaleString('en-US')} more` }],
    });
  return blocks;
}

const verbOf = (command: string) => (command.trim().split(/\s+/)[0] ?? 'command').toLowerCase().slice(0, 40);

function buttonElement(button: CardButton, actionId: string): Block | undefined {
  if (button.command.length > L.buttonValue) return undefined;
  return {
    type: 'button',
    action_id: actionId,
    text: plain(button.label, L.buttonText),
    value: button.command,
    ...(button.style ? { style: button.style } : {}),
    ...(button.confirm
      ? {
          confirm: {
            title: plain(button.confirm.title, L.confirmTitle),
            text: mrkdwn(button.confirm.text, L.confirmText),
            confirm: plain(button.confirm.confirm, L.confirmButton),
            deny: plain(button.confirm.deny, L.confirmButton),
            ...(button.style === 'danger' ? { style: 'danger' } : {}),
          },
        }
      : {}),
  };
}

function selectBlock(select: CardSelect, prefix: string, refs: SlackMessage['refs']): Block[] {
  let blockId = SELECT_BLOCK_PREFIX + select.commandPrefix;
  const label = clip(`*${select.label}*`, 500);
  if (blockId.length > L.blockId - 4) {
    const key = createHash('sha256').update(select.commandPrefix).digest('hex').slice(0, 40);
    refs.push({ key, command: select.commandPrefix });
    blockId = SELECT_REF_PREFIX + key;
  }
  const options = select.options
    .filter((o) => o.value.length <= L.optionValue)
    .map((o) => ({ text: plain(o.label, L.optionText), value: o.value }));
  let accessory: Block;
  let note: string | undefined;
  if (options.length > L.staticSelectOptions && select.dynamic) {
    accessory = {
      type: 'external_select',
      action_id: SELECT_ACTION_ID,
      placeholder: plain(`${select.placeholder} (type to search)`, L.placeholderText),
      min_query_length: 0,
    };
  } else if (options.length === 0) {
    return textSections(`${label}: \`${prefix}${plainText(select.commandPrefix)} <id or name>\``);
  } else {
    accessory = {
      type: 'static_select',
      action_id: SELECT_ACTION_ID,
      placeholder: plain(select.placeholder, L.placeholderText),
      options: options.slice(0, L.staticSelectOptions),
    };
    if (options.length > L.staticSelectOptions)
      note = `… and ${options.length - L.staticSelectOptions} more: \`${prefix}${plainText(select.commandPrefix)} <id or name>\``;
  }
  return [
    { type: 'section', block_id: blockId, text: mrkdwn(label, L.sectionText), accessory },
    ...(note ? [{ type: 'context', elements: [mrkdwn(note, L.contextText)] }] : []),
  ];
}

/** How images are shown: Slack fetches only https; the playground's page loads the bot's own address. */
export interface BlockKitOptions {
  /** an http URL becomes an image too (the playground, never Slack) */
  httpImages?: boolean;
}

function renderBlock(
  block: CardBlock,
  prefix: string,
  actionIds: Map<string, number>,
  refs: SlackMessage['refs'],
  options: BlockKitOptions,
): Block[] {
  const uniqueActionId = (verb: string) => {
    const n = (actionIds.get(verb) ?? 0) + 1;
    actionIds.set(verb, n);
    return n === 1 ? verb : `${verb}.${n}`;
  };
  switch (block.type) {
    case 'header':
      return block.text.trim() ? [{ type: 'header', text: plain(block.text, L.headerText) }] : [];
    case 'text':
      return textSections(block.text);
    case 'fields':
      return chunks(block.fields, L.fieldsPerSection).map((fields) => ({
        type: 'section',
        fields: fields.map((f) => mrkdwn(`*${f.label}*\n${f.value}`, L.fieldText)),
      }));
    case 'table':
      return tableSections(block.columns, block.rows, block.omittedRows ?? 0);
    case 'actions':
      return layOutActions<Block, Block>(block.elements, {
        perRow: L.elementsPerActions,
        button: (button) => buttonElement(button, uniqueActionId(verbOf(button.command))),
        row: (elements) => ({ type: 'actions', elements }),
        select: (select) => selectBlock(select, prefix, refs),
      });
    case 'select':
      return selectBlock(block.select, prefix, refs);
    case 'context': {
      const given = block.items.filter((i) => i.trim());
      const items = given.slice(0, L.elementsPerContext - 1);
      const rest = given.slice(L.elementsPerContext - 1);
      if (rest.length > 0) items.push(rest.join(' · '));
      return items.length ? [{ type: 'context', elements: items.map((i) => mrkdwn(i, L.contextText)) }] : [];
    }
    case 'divider':
      return [{ type: 'divider' }];
    case 'image':
      return imageBlocks(block.url, block.altText, block.title, options);
    case 'link':
      return [linkSection(block.label, block.url)];
  }
}

/** Slack fetches an image block's URL itself (and refuses the message when it cannot): only an
 * https URL within the limit becomes an image; any other is a link in words. */
function imageBlocks(
  url: string,
  altText: string,
  title: string | undefined,
  options: BlockKitOptions,
): Block[] {
  if (!isSlackImageUrl(url) && !(options.httpImages && /^http:\/\/\S+$/.test(url)))
    return [linkSection(`Chart: ${altText}`, url)];
  return [
    {
      type: 'image',
      image_url: url,
      alt_text: clip(plainText(altText), L.imageAltText) || 'chart',
      ...(title?.trim() ? { title: plain(title, L.imageTitle) } : {}),
    },
  ];
}

const isSlackImageUrl = (url: string) => /^https:\/\/[^\s]+$/.test(url) && url.length <= L.imageUrl;

/** `<url|label>`: a URL too long for a section is left out, the label stays */
function linkSection(label: string, url: string): Block {
  const words = escapeMrkdwn(label).replace(/\|/g, '¦');
  const link = /^https?:\/\/[^\s<>|]+$/.test(url) && url.length + words.length + 3 <= L.sectionText;
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: link ? `<${url}|${clip(words, L.sectionText - url.length - 3)}>` : clip(words, L.sectionText),
    },
  };
}

/** Keeps a message within 50 blocks: its beginning, then a note, then its trailing buttons. */
function fitBlocks(blocks: Block[]): Block[] {
  if (blocks.length <= L.blocksPerMessage) return blocks;
  let tailStart = blocks.length;
  while (
    tailStart > 0 &&
    ['actions', 'context'].includes(String(blocks[tailStart - 1]!.type)) &&
    blocks.length - tailStart < 3
  )
    tailStart--;
  const tail = blocks.slice(tailStart);
  const head = blocks.slice(0, L.blocksPerMessage - 1 - tail.length);
  const left = blocks.length - head.length - tail.length;
  const note = {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: `… and ${left} more parts not shown (Slack shows 50 blocks a message)` },
    ],
  };
  return [...head, note, ...tail];
}

export function renderCardsAsBlocks(
  unscrubbed: Card[],
  prefix = '/autotask ',
  options: BlockKitOptions = {},
): SlackMessage {
  // whatever a card says (an error message, a setting) never carries a secret to Slack
  const cards = processSecrets.scrubValue(unscrubbed);
  const actionIds = new Map<string, number>();
  const blocks: Block[] = [];
  const refs: SlackMessage['refs'] = [];
  cards.forEach((card, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    for (const block of card.blocks) blocks.push(...renderBlock(block, prefix, actionIds, refs, options));
  });
  // block ids must be unique in a message: a second select for the same command is numbered
  const seen = new Set<string>();
  for (const block of blocks) {
    if (typeof block.block_id !== 'string') continue;
    let id = block.block_id;
    for (let n = 2; seen.has(id); n++) id = `${block.block_id}`.slice(0, L.blockId - 6) + `#${n}`;
    block.block_id = id;
    seen.add(id);
  }
  const text = clip(cards.map((c) => plainText(c.summary)).join('\n'), L.sectionText).trim() || 'Done.';
  // a card with nothing to show still says something (Slack refuses an empty message)
  if (blocks.length === 0) blocks.push(...textSections(text));
  return {
    text,
    blocks: fitBlocks(blocks),
    refs,
  };
}

/**
 * The command a click stands for: a button's value, or a select's block_id completed with the
 * choice. `lookup` finds a stored command prefix (SELECT_REF_PREFIX block ids).
 */
export async function commandOfAction(
  action: { type?: string; value?: string; block_id?: string; selected_option?: { value?: string } | null },
  lookup: (key: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  if (action.type === 'button') return action.value || undefined;
  if (
    (action.type === 'static_select' || action.type === 'external_select') &&
    action.selected_option?.value
  ) {
    const prefix = await selectCommandPrefix(action.block_id, lookup);
    return prefix ? `${prefix} ${quoteArgument(action.selected_option.value)}` : undefined;
  }
  return undefined;
}

/** The command prefix a select's block_id stands for. */
export async function selectCommandPrefix(
  blockIdText: string | undefined,
  lookup: (key: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  const blockId = (blockIdText ?? '').replace(/#\d+$/, '');
  if (blockId.startsWith(SELECT_BLOCK_PREFIX)) return blockId.slice(SELECT_BLOCK_PREFIX.length);
  if (blockId.startsWith(SELECT_REF_PREFIX)) return lookup(blockId.slice(SELECT_REF_PREFIX.length));
  return undefined;
}
