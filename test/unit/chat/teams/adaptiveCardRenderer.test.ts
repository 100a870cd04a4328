// The Adaptive Card renderer against Microsoft's parser and Teams' limits, with cards built to
// break every limit at once; and the way a click's data turns back into a command.
import { card, type Card } from '../../../../src/chat/cardModel.js';
import { checkAdaptiveCard, TEAMS_CARD_LIMITS } from '../../../../src/chat/teams/adaptiveCardLimits.js';
import {
  commandOfSubmit,
  renderAdaptiveCard,
  teamsMarkdown,
  withoutActions,
} from '../../../../src/chat/teams/adaptiveCardRenderer.js';
import { parseAdaptiveCard } from '../../../helpers/adaptiveCardCheck.js';

const oversized: Card = card('stress', 'everything at once', [
  { type: 'header', text: 'H'.repeat(400) },
  { type: 'text', text: Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(80)}`).join('\n') },
  {
    type: 'fields',
    fields: Array.from({ length: 45 }, (_, i) => ({ label: `f${i}`, value: 'v'.repeat(900) })),
  },
  {
    type: 'table',
    columns: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    rows: Array.from({ length: 500 }, (_, i) => Array.from({ length: 8 }, () => `cell ${i}`)),
    omittedRows: 1000,
  },
  {
    type: 'actions',
    elements: Array.from({ length: 40 }, (_, i) => ({
      type: 'button' as const,
      label: `Button number ${i} with a label far longer than Teams shows on a button`,
      command: `run run_${i}`,
    })),
  },
  { type: 'context', items: Array.from({ length: 30 }, (_, i) => `note ${i}`) },
]);

describe('renderAdaptiveCard', () => {
  it('keeps a card that breaks every limit within Teams limits, and the parser finds nothing wrong', () => {
    const rendered = renderAdaptiveCard(oversized);
    expect(checkAdaptiveCard(rendered as unknown as Record<string, unknown>)).toEqual([]);
    expect(parseAdaptiveCard(rendered)).toEqual({ errors: [], version: '1.5' });
    expect(Buffer.byteLength(JSON.stringify(rendered))).toBeLessThanOrEqual(TEAMS_CARD_LIMITS.cardBytes);
    expect(JSON.stringify(rendered)).toContain('more parts not shown');
  });

  it('the checker notices what the renderer avoids', () => {
    const bad = {
      type: 'AdaptiveCard',
      version: '1.6',
      body: [
        { type: 'TextBlock', text: 'x'.repeat(3000) },
        { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'no fallback', data: {} }] },
      ],
    };
    expect(checkAdaptiveCard(bad)).toEqual([
      'version: 1.6 > 1.5',
      'card.body[0].text: 3000 > 2000',
      'card.body[1].actions[0].fallback: needs an Action.Submit',
    ]);
  });

  it('buttons are Action.Execute with an Action.Submit fallback; a confirmed button asks in a ShowCard', () => {
    const rendered = renderAdaptiveCard(
      card('x', 'x', [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              label: 'Approve',
              command: 'approve run_1',
              style: 'primary',
              confirm: { title: 'Sure?', text: '12 operations', confirm: 'Approve', deny: 'Cancel' },
            },
            { type: 'button', label: 'Reject', command: 'reject run_1', style: 'danger' },
          ],
        },
      ]),
    );
    const [approve, reject] = (rendered.body[0] as { actions: Record<string, unknown>[] }).actions;
    expect(approve).toMatchObject({ type: 'Action.ShowCard', title: 'Approve…' });
    expect(reject).toEqual({
      type: 'Action.Execute',
      title: 'Reject',
      verb: 'command',
      data: { command: 'reject run_1' },
      style: 'destructive',
      fallback: { type: 'Action.Submit', title: 'Reject', data: { command: 'reject run_1' } },
    });
    expect(withoutActions(rendered).body).toEqual([]);
  });

  it('sends no empty text: an empty header, text or context item is left out', () => {
    const rendered = renderAdaptiveCard(
      card('x', 'summary', [
        { type: 'header', text: ' ' },
        { type: 'text', text: '' },
        { type: 'context', items: ['', 'kept'] },
      ]),
    );
    expect(rendered.body).toEqual([expect.objectContaining({ type: 'TextBlock', text: 'kept' })]);
    expect(renderAdaptiveCard(card('x', 'only the summary', [])).body).toEqual([
      expect.objectContaining({ text: 'only the summary' }),
    ]);
  });

  it('turns chat markup into Teams markdown', () => {
    expect(teamsMarkdown('Mode is *auto*; type `map acme`')).toBe('Mode is **auto**; type map acme');
  });
});

describe('commandOfSubmit', () => {
  it('reads a button, a select completed with its choice, and refuses anything else', () => {
    expect(commandOfSubmit({ command: 'approve run_1' })).toBe('approve run_1');
    expect(
      commandOfSubmit({
        prefix: 'map c1 product "Visio Plan 2" service',
        input: 'select1',
        select1: 'Visio (31)',
      }),
    ).toBe('map c1 product "Visio Plan 2" service "Visio (31)"');
    expect(commandOfSubmit({ prefix: 'map c1 product x service', input: 'select1' })).toBeUndefined();
    expect(commandOfSubmit({ other: 1 })).toBeUndefined();
    expect(commandOfSubmit('approve run_1')).toBeUndefined();
    expect(commandOfSubmit(null)).toBeUndefined();
  });
});

describe('service selects', () => {
  const services = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      label: `Service ${i} ${'long name '.repeat(5)}`,
      value: String(1000 + i),
    }));
  const choiceSets = (json: unknown): Record<string, unknown>[] => {
    const out: Record<string, unknown>[] = [];
    const walk = (n: unknown) => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        if ((n as { type?: string }).type === 'Input.ChoiceSet') out.push(n as Record<string, unknown>);
        Object.values(n).forEach(walk);
      }
    };
    walk(json);
    return out;
  };

  it('a long catalogue searches through Data.Query (15 shown); as many selects as fit, the rest announced', () => {
    const rendered = renderAdaptiveCard(
      card(
        'mapping',
        '300 products without a service',
        Array.from({ length: 30 }, (_, i) => ({
          type: 'select' as const,
          select: {
            type: 'select' as const,
            label: `Product ${i}`,
            placeholder: 'Pick a service',
            commandPrefix: `map c1 product "Product ${i}" service`,
            options: services(250),
            dynamic: { source: 'services' as const, customerId: 'c1' },
          },
        })),
      ),
    );
    const sets = choiceSets(rendered);
    // as many as fit in a Teams message (about 28 KB), never more than 20; the card says so
    expect(sets.length).toBeGreaterThanOrEqual(5);
    expect(sets.length).toBeLessThanOrEqual(TEAMS_CARD_LIMITS.selects);
    for (const set of sets) {
      expect((set.choices as unknown[]).length).toBe(TEAMS_CARD_LIMITS.searchResults);
      expect(set['choices.data']).toEqual({ type: 'Data.Query', dataset: 'services:c1', count: 15 });
    }
    expect(JSON.stringify(rendered)).toContain('more parts not shown');
    expect(parseAdaptiveCard(rendered).errors).toEqual([]);
    expect(checkAdaptiveCard(rendered as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('a short catalogue is a static list without a search', () => {
    const rendered = renderAdaptiveCard(
      card('mapping', 'one product', [
        {
          type: 'select',
          select: {
            type: 'select',
            label: 'Visio Plan 2',
            placeholder: 'Pick a service',
            commandPrefix: 'map c1 product "Visio Plan 2" service',
            options: services(30),
            dynamic: { source: 'services', customerId: 'c1' },
          },
        },
      ]),
    );
    const [set] = choiceSets(rendered);
    expect((set!.choices as unknown[]).length).toBe(30);
    expect(set!['choices.data']).toBeUndefined();
    expect(parseAdaptiveCard(rendered).errors).toEqual([]);
  });
});
