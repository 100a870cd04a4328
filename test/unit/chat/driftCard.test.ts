// The drift watch's card: which lines of a customer carry units this bot did not send, an Explain
// button per line (at most EXPLAIN_BUTTONS), and "Plan a correction" — on Slack and Teams alike.
import type { Card, CardBlock, CardButton } from '../../../src/chat/cardModel.js';
import type { DriftWarning } from '../../../src/chat/chatServices.js';
import { tokenizeCommand } from '../../../src/chat/commandTokenizer.js';
import { driftCard } from '../../../src/chat/driftCard.js';
import { EXPLAIN_BUTTONS } from '../../../src/chat/explainCard.js';
import { commandOfAction, renderCardsAsBlocks } from '../../../src/chat/slack/blockKitRenderer.js';
import { commandOfSubmit, renderAdaptiveCard } from '../../../src/chat/teams/adaptiveCardRenderer.js';

type Line = DriftWarning['lines'][number];
const line = (productName: string, contractServiceId: number, overrides: Partial<Line> = {}): Line => ({
  productName,
  billingCycle: 'monthly',
  contractServiceId,
  since: '2026-03-05',
  detail: 'on 2026-03-05 Autotask has 10 units, this system pushed 8',
  ...overrides,
});

const warning = (lines: Line[], overrides: Partial<DriftWarning> = {}): DriftWarning => ({
  customerId: 'c-acme',
  customerName: 'Acme Corp',
  lines,
  correctionCommand: 'validate c-acme',
  ...overrides,
});

const blocksOf = <T extends CardBlock['type']>(c: Card, type: T) =>
  c.blocks.filter((b): b is Extract<CardBlock, { type: T }> => b.type === type);
const buttons = (c: Card): CardButton[] =>
  blocksOf(c, 'actions').flatMap((b) => b.elements.filter((e): e is CardButton => e.type === 'button'));
const allText = (c: Card) => blocksOf(c, 'text').map((b) => b.text);

describe('driftCard', () => {
  const two = warning([
    line('Exchange Online (Plan 1)', 502, {
      since: '2026-01-05',
      detail: 'on 2026-01-05 Autotask has 6 units, this system pushed 4',
    }),
    line('Microsoft 365 Business Premium', 501, { billingCycle: 'annual' }),
  ]);

  it('names the customer in the header and the summary', () => {
    const c = driftCard(two);
    expect(c.kind).toBe('drift');
    expect(blocksOf(c, 'header').map((h) => h.text)).toEqual(['⚠️ DRIFT — Acme Corp']);
    expect(c.summary).toBe('⚠️ DRIFT at Acme Corp: 2 Autotask lines changed outside this bot');
  });

  it('lists every line with product, cycle, line id, since and detail', () => {
    const list = allText(driftCard(two)).find((t) => t.startsWith('•'))!;
    expect(list.split('\n')).toEqual([
      '• *Exchange Online (Plan 1)* (monthly, line 502) since 2026-01-05: on 2026-01-05 Autotask has 6 units, this system pushed 4',
      '• *Microsoft 365 Business Premium* (annual, line 501) since 2026-03-05: on 2026-03-05 Autotask has 10 units, this system pushed 8',
    ]);
    expect(allText(driftCard(two)).join('\n')).not.toContain('more');
  });

  it('one line is said in the singular', () => {
    const c = driftCard(warning([line('Visio Plan 2', 7)]));
    expect(c.summary).toBe('⚠️ DRIFT at Acme Corp: 1 Autotask line changed outside this bot');
    expect(allText(c)[0]).toContain('on 1 line: someone changed it in Autotask');
  });

  it('"Plan a correction" is the first button, primary, carrying exactly the correction command', () => {
    const command = 'validate "Acme Corp" --note \'drift\'';
    const [first] = buttons(driftCard({ ...two, correctionCommand: command }));
    expect(first).toEqual({ type: 'button', label: 'Plan a correction', command, style: 'primary' });
    // the Explain buttons are not primary
    expect(buttons(driftCard(two)).filter((b) => b.style === 'primary')).toHaveLength(1);
  });

  it('Explain buttons quote the customer and the product as the command grammar reads them', () => {
    const c = driftCard(
      warning(
        [
          line('Microsoft 365 "E3"', 1),
          line('Defender', 2, { billingCycle: 'annual' }),
          line('Teams Rooms', 3, { billingCycle: 'triennial' }),
        ],
        { customerName: 'Acme Corp' },
      ),
    );
    expect(
      buttons(c)
        .slice(1)
        .map((b) => [b.label, b.command]),
    ).toEqual([
      // spaces → double quotes; a double quote inside becomes a single one
      ['Explain Microsoft 365 "E3"', `explain "Acme Corp" "Microsoft 365 'E3'" monthly`],
      ['Explain Defender', 'explain "Acme Corp" Defender annual'],
      // a cycle that is neither monthly nor annual is left out of the command
      ['Explain Teams Rooms', 'explain "Acme Corp" "Teams Rooms"'],
    ]);
    // the commands read back into the words they name
    expect(tokenizeCommand(buttons(c)[3]!.command)).toEqual({
      ok: true,
      tokens: ['explain', 'Acme Corp', 'Teams Rooms'],
    });
    const plain = driftCard(warning([line('Defender', 2)], { customerName: 'Contoso' }));
    expect(buttons(plain)[1]!.command).toBe('explain Contoso Defender monthly');
  });

  it(`at most ${EXPLAIN_BUTTONS} Explain buttons; more than 10 lines end in "… and N more"`, () => {
    // 12 lines: 10 listed, 12 − 10 = 2 more; 1 + EXPLAIN_BUTTONS buttons
    const lines = Array.from({ length: 12 }, (_, i) =>
      line(`Product ${String(i + 1).padStart(2, '0')}`, 600 + i),
    );
    const c = driftCard(warning(lines));
    const list = allText(c)
      .find((t) => t.startsWith('•'))!
      .split('\n');
    expect(list).toHaveLength(11);
    expect(list.slice(0, 10).every((l) => l.startsWith('• *Product '))).toBe(true);
    expect(list[9]).toContain('line 609');
    expect(list.join('\n')).not.toContain('line 610');
    expect(list[10]).toBe('… and 2 more');
    const explain = buttons(c).filter((b) => b.label.startsWith('Explain'));
    expect(explain).toHaveLength(EXPLAIN_BUTTONS);
    expect(explain.map((b) => b.label)).toEqual(
      lines.slice(0, EXPLAIN_BUTTONS).map((l) => `Explain ${l.productName}`),
    );
    expect(c.summary).toContain('12 Autotask lines');
  });

  it('exactly 10 lines are all listed without a "more" note', () => {
    const lines = Array.from({ length: 10 }, (_, i) => line(`P${i}`, 700 + i));
    const list = allText(driftCard(warning(lines)))
      .find((t) => t.startsWith('•'))!
      .split('\n');
    expect(list).toHaveLength(10);
    expect(list.some((l) => l.includes('more'))).toBe(false);
  });
});

describe('driftCard on Slack and Teams', () => {
  const w = warning([line('Microsoft 365 "E3"', 1), line('Exchange Online (Plan 1)', 2)], {
    customerName: "O'Brien & Sons",
    correctionCommand: 'validate c-obrien',
  });
  const model = driftCard(w);
  const expected = buttons(model).map((b) => b.command);

  it('the Block Kit buttons carry the same commands, the correction one primary', async () => {
    const message = renderCardsAsBlocks([model]);
    const elements = message.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as { type: string; value?: string; style?: string }[]);
    const commands = await Promise.all(elements.map((e) => commandOfAction(e, async () => undefined)));
    expect(commands).toEqual(expected);
    expect(commands[0]).toBe('validate c-obrien');
    expect(commands[1]).toBe(`explain "O'Brien & Sons" "Microsoft 365 'E3'" monthly`);
    expect(elements[0]!.style).toBe('primary');
    expect(elements.slice(1).every((e) => e.style === undefined)).toBe(true);
  });

  it('the Adaptive Card actions carry the same commands, the correction one positive', () => {
    const rendered = renderAdaptiveCard(model);
    const actions: Record<string, unknown>[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (o.type === 'Action.Execute') actions.push(o);
        // the Action.Submit fallback inside each Execute is the same button again
        Object.entries(o).forEach(([k, v]) => k !== 'fallback' && walk(v));
      }
    };
    walk(rendered);
    expect(actions.map((a) => commandOfSubmit(a.data))).toEqual(expected);
    expect(actions[0]!.style).toBe('positive');
    expect(actions.map((a) => commandOfSubmit((a.fallback as { data: unknown }).data))).toEqual(expected);
  });
});
