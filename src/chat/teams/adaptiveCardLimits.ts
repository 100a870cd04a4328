// What Teams accepts in an Adaptive Card (Microsoft's published Adaptive Card and Teams message limits), and a checker that lists
// every place a card breaks one. The renderer keeps within them; tests run the checker (and
// Microsoft's own parser) over every card the bot sends.
export const TEAMS_CARD_LIMITS = {
  /** Teams renders Adaptive Cards up to schema 1.5 */
  version: '1.5',
  /** a Teams message (text, attachments, envelope) may be about 28 KB; the card keeps under this */
  cardBytes: 24_000,
  /** one TextBlock; longer text is split over several */
  textChars: 2_000,
  /** rows of one Table element; the rest is "… and N more" */
  tableRows: 25,
  tableColumns: 6,
  /** facts of one FactSet */
  facts: 20,
  /** buttons in one ActionSet (Teams shows six at most, the rest would be hidden) */
  actionsPerSet: 5,
  actionTitle: 50,
  /** a ChoiceSet with more options than this searches instead (Data.Query) */
  staticChoices: 100,
  choiceTitle: 100,
  /** a Data.Query search shows at most this many results */
  searchResults: 15,
  /** selects (ChoiceSet + submit button) in one card; the rest are named with their command */
  selects: 20,
  /** what an Action.Execute / Action.Submit carries */
  dataChars: 1_000,
} as const;

type Json = Record<string, unknown>;

const versionNumber = (v: unknown) => {
  const [major, minor] = String(v ?? '').split('.');
  return Number(major) * 100 + Number(minor ?? 0);
};

/** Every limit the card breaks, as "body[3].actions[2].title: 80 > 50"; empty when it is fine. */
export function checkAdaptiveCard(card: Json): string[] {
  const L = TEAMS_CARD_LIMITS;
  const problems: string[] = [];
  const over = (where: string, length: number, limit: number) => {
    if (length > limit) problems.push(`${where}: ${length} > ${limit}`);
  };
  if (card.type !== 'AdaptiveCard') problems.push('type: must be AdaptiveCard');
  if (!(versionNumber(card.version) <= versionNumber(L.version)))
    problems.push(`version: ${String(card.version)} > ${L.version}`);
  over('card bytes', Buffer.byteLength(JSON.stringify(card)), L.cardBytes);
  const ids = new Set<string>();

  const checkAction = (action: Json, at: string) => {
    over(`${at}.title`, String(action.title ?? '').length, L.actionTitle);
    if (action.data !== undefined) over(`${at}.data`, JSON.stringify(action.data).length, L.dataChars);
    if (action.type === 'Action.Execute') {
      const fallback = action.fallback as Json | undefined;
      if (fallback?.type !== 'Action.Submit') problems.push(`${at}.fallback: needs an Action.Submit`);
    }
    if (action.type === 'Action.ShowCard') walkCard(action.card as Json, `${at}.card`);
  };
  const checkActions = (actions: unknown, at: string) => {
    const list = (actions as Json[] | undefined) ?? [];
    over(at, list.length, L.actionsPerSet);
    list.forEach((a, i) => checkAction(a, `${at}[${i}]`));
  };
  const walkElement = (element: Json, at: string) => {
    if (typeof element.id === 'string') {
      if (ids.has(element.id)) problems.push(`${at}.id: duplicate "${element.id}"`);
      ids.add(element.id);
    }
    switch (element.type) {
      case 'TextBlock':
        over(`${at}.text`, String(element.text ?? '').length, L.textChars);
        break;
      case 'FactSet':
        over(`${at}.facts`, ((element.facts as unknown[]) ?? []).length, L.facts);
        break;
      case 'Table': {
        const rows = (element.rows as Json[]) ?? [];
        over(`${at}.rows`, rows.length, L.tableRows + 1);
        over(`${at}.columns`, ((element.columns as unknown[]) ?? []).length, L.tableColumns);
        rows.forEach((row, r) =>
          ((row.cells as Json[]) ?? []).forEach((cell, c) =>
            ((cell.items as Json[]) ?? []).forEach((item, i) =>
              walkElement(item, `${at}.rows[${r}].cells[${c}].items[${i}]`),
            ),
          ),
        );
        break;
      }
      case 'Input.ChoiceSet': {
        const choices = (element.choices as Json[]) ?? [];
        over(`${at}.choices`, choices.length, L.staticChoices);
        choices.forEach((c, i) =>
          over(`${at}.choices[${i}].title`, String(c.title ?? '').length, L.choiceTitle),
        );
        break;
      }
      case 'ActionSet':
        checkActions(element.actions, `${at}.actions`);
        break;
      case 'Image':
        if (!/^https:\/\//.test(String(element.url ?? ''))) problems.push(`${at}.url: must be an https URL`);
        break;
      case 'Container':
        ((element.items as Json[]) ?? []).forEach((item, i) => walkElement(item, `${at}.items[${i}]`));
        break;
    }
  };
  function walkCard(inner: Json, at: string) {
    ((inner.body as Json[]) ?? []).forEach((e, i) => walkElement(e, `${at}.body[${i}]`));
    checkActions(inner.actions, `${at}.actions`);
  }
  walkCard(card, 'card');
  const selects = JSON.stringify(card).split('"Input.ChoiceSet"').length - 1;
  over('selects', selects, L.selects);
  return problems;
}
