// Slack's Block Kit limits (as Slack's Block Kit reference publishes them), and a checker that lists every place a
// message breaks one. The renderer keeps within them; tests run the checker over every card.
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  elementsPerActions: 25,
  elementsPerContext: 10,
  fieldsPerSection: 10,
  sectionText: 3_000,
  fieldText: 2_000,
  contextText: 2_000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  staticSelectOptions: 100,
  optionText: 75,
  optionValue: 150,
  placeholderText: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  messageText: 40_000,
  imageUrl: 3_000,
  imageAltText: 2_000,
  imageTitle: 2_000,
} as const;

type Json = Record<string, unknown>;

const textOf = (value: unknown): string =>
  value && typeof value === 'object' ? String((value as Json).text ?? '') : '';

/** The problems found so far, and the checks that add to them. */
class LimitCheck {
  readonly problems: string[] = [];

  add(problem: string): void {
    this.problems.push(problem);
  }

  over(where: string, length: number, limit: number): void {
    if (length > limit) this.add(`${where}: ${length} > ${limit}`);
  }

  /** A list that must hold at least one item and at most `limit`: its items, to check further. */
  list(where: string, value: unknown, limit: number): Json[] {
    const items = (value as Json[] | undefined) ?? [];
    this.over(where, items.length, limit);
    if (items.length === 0) this.add(`${where}: empty`);
    return items;
  }
}

/** Every limit the message breaks, as "blocks[3].elements[2].text: 80 > 75"; empty when it is fine. */
export function checkBlockKitMessage(message: { text?: string; blocks: unknown[] }): string[] {
  const check = new LimitCheck();
  check.over('blocks', message.blocks.length, SLACK_LIMITS.blocksPerMessage);
  check.over('text', (message.text ?? '').length, SLACK_LIMITS.messageText);
  const blockIds = new Set<string>();
  message.blocks.forEach((raw, b) => {
    const block = raw as Json;
    const at = `blocks[${b}]`;
    if (typeof block.block_id === 'string') {
      check.over(`${at}.block_id`, block.block_id.length, SLACK_LIMITS.blockId);
      if (blockIds.has(block.block_id)) check.add(`${at}.block_id: duplicate "${block.block_id}"`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        check.over(`${at}.text`, textOf(block.text).length, SLACK_LIMITS.headerText);
        if (!textOf(block.text).trim()) check.add(`${at}.text: empty`);
        if ((block.text as Json | undefined)?.type !== 'plain_text')
          check.add(`${at}.text: must be plain_text`);
        break;
      case 'section': {
        if (!block.text && !block.fields) check.add(`${at}: a section needs text or fields`);
        check.over(`${at}.text`, textOf(block.text).length, SLACK_LIMITS.sectionText);
        if (block.text && !textOf(block.text).trim()) check.add(`${at}.text: empty`);
        const fields = (block.fields as unknown[] | undefined) ?? [];
        check.over(`${at}.fields`, fields.length, SLACK_LIMITS.fieldsPerSection);
        fields.forEach((f, i) => check.over(`${at}.fields[${i}]`, textOf(f).length, SLACK_LIMITS.fieldText));
        if (block.accessory) checkElement(block.accessory as Json, `${at}.accessory`, check);
        break;
      }
      case 'actions': {
        const elements = check.list(`${at}.elements`, block.elements, SLACK_LIMITS.elementsPerActions);
        const ids = new Set<string>();
        elements.forEach((e, i) => {
          checkElement(e, `${at}.elements[${i}]`, check);
          const id = String(e.action_id ?? '');
          if (ids.has(id)) check.add(`${at}.elements[${i}].action_id: duplicate "${id}"`);
          ids.add(id);
        });
        break;
      }
      case 'context': {
        const elements = check.list(`${at}.elements`, block.elements, SLACK_LIMITS.elementsPerContext);
        elements.forEach((e, i) => {
          check.over(`${at}.elements[${i}].text`, textOf(e).length, SLACK_LIMITS.contextText);
          if (!textOf(e).trim()) check.add(`${at}.elements[${i}].text: empty`);
        });
        break;
      }
      case 'divider':
        break;
      case 'image': {
        const url = String(block.image_url ?? '');
        check.over(`${at}.image_url`, url.length, SLACK_LIMITS.imageUrl);
        if (!/^https:\/\//.test(url)) check.add(`${at}.image_url: must be an https URL Slack can fetch`);
        const alt = String(block.alt_text ?? '');
        check.over(`${at}.alt_text`, alt.length, SLACK_LIMITS.imageAltText);
        if (!alt.trim()) check.add(`${at}.alt_text: empty`);
        if (block.title !== undefined) {
          check.over(`${at}.title`, textOf(block.title).length, SLACK_LIMITS.imageTitle);
          if ((block.title as Json).type !== 'plain_text') check.add(`${at}.title: must be plain_text`);
        }
        break;
      }
      default:
        check.add(`${at}.type: "${String(block.type)}" is not a block this bot sends`);
    }
  });
  return check.problems;
}

function checkElement(element: Json, at: string, check: LimitCheck): void {
  check.over(`${at}.action_id`, String(element.action_id ?? '').length, SLACK_LIMITS.actionId);
  if (element.placeholder)
    check.over(`${at}.placeholder`, textOf(element.placeholder).length, SLACK_LIMITS.placeholderText);
  if (element.confirm) {
    const confirm = element.confirm as Json;
    check.over(`${at}.confirm.title`, textOf(confirm.title).length, SLACK_LIMITS.confirmTitle);
    check.over(`${at}.confirm.text`, textOf(confirm.text).length, SLACK_LIMITS.confirmText);
    check.over(`${at}.confirm.confirm`, textOf(confirm.confirm).length, SLACK_LIMITS.confirmButton);
    check.over(`${at}.confirm.deny`, textOf(confirm.deny).length, SLACK_LIMITS.confirmButton);
  }
  switch (element.type) {
    case 'button':
      check.over(`${at}.text`, textOf(element.text).length, SLACK_LIMITS.buttonText);
      check.over(`${at}.value`, String(element.value ?? '').length, SLACK_LIMITS.buttonValue);
      break;
    case 'static_select': {
      const options = check.list(`${at}.options`, element.options, SLACK_LIMITS.staticSelectOptions);
      options.forEach((o, i) => {
        check.over(`${at}.options[${i}].text`, textOf(o.text).length, SLACK_LIMITS.optionText);
        check.over(`${at}.options[${i}].value`, String(o.value ?? '').length, SLACK_LIMITS.optionValue);
      });
      break;
    }
    case 'external_select':
      break;
    default:
      check.add(`${at}.type: "${String(element.type)}" is not an element this bot sends`);
  }
}

/** The options answer of an external_select (block_suggestion) within the same limits. */
export function checkOptionsResponse(response: {
  options: { text: { text: string }; value: string }[];
}): string[] {
  const problems: string[] = [];
  if (response.options.length > SLACK_LIMITS.staticSelectOptions)
    problems.push(`options: ${response.options.length} > ${SLACK_LIMITS.staticSelectOptions}`);
  response.options.forEach((o, i) => {
    if (o.text.text.length > SLACK_LIMITS.optionText) problems.push(`options[${i}].text too long`);
    if (o.value.length > SLACK_LIMITS.optionValue) problems.push(`options[${i}].value too long`);
  });
  return problems;
}
