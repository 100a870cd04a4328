// The console renderer shows control characters in names escaped: a customer or product named
// "\x1b[2J\x07…" must not clear the operator's screen, ring the bell or restyle the terminal.
import type { Card } from '../../../src/chat/cardModel.js';
import { terminalSafeText } from '../../../src/core/terminalSafeText.js';
import { renderCardAsText } from '../../../src/chat/console/textRenderer.js';
import { customersCard } from '../../../src/chat/customersCards.js';

/** what a terminal would obey: C0 (but line feed and tab), DEL, C1, bidi formatting */
// eslint-disable-next-line no-control-regex -- looking for control characters is the test
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'Evil\u001b[2J\u0007Corp\u001b]0;pwned\u0007\u009b31m\u202eliaM\u007f\r';

describe('terminalSafeText', () => {
  it('escapes C0, DEL, C1 and bidi controls as \\uXXXX and keeps the rest', () => {
    expect(terminalSafeText(HOSTILE)).toBe(
      'Evil\\u001b[2J\\u0007Corp\\u001b]0;pwned\\u0007\\u009b31m\\u202eliaM\\u007f\\u000d',
    );
    expect(terminalSafeText('Müller — 東京 😀\tline\nnext')).toBe('Müller — 東京 😀\tline\nnext');
    expect(terminalSafeText('a\tb\nc', { oneLine: true })).toBe('a\\u0009b\\u000ac');
  });

  it('keeps JSON text valid JSON with the same value', () => {
    const json = JSON.stringify({ name: HOSTILE });
    const safe = terminalSafeText(json);
    expect(safe).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(safe)).toEqual({ name: HOSTILE });
  });
});

describe('renderCardAsText with hostile names', () => {
  it('renders a customers table with the names escaped, aligned on one line each', () => {
    const text = renderCardAsText(
      customersCard(
        [
          { customerId: 'c1', name: HOSTILE, company: 'mapped', contracts: 'missing', unmappedProducts: 1 },
          {
            customerId: 'c2',
            name: 'Two\nLines',
            company: 'mapped',
            contracts: 'mapped',
            unmappedProducts: 0,
          },
        ],
        'autotask-bot ',
      ),
    );
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('Evil\\u001b[2J\\u0007Corp');
    expect(text).toMatch(/^Two\\u000aLines\s+\S+ mapped/m); // a newline in a cell does not break the table
  });

  it('escapes every block kind: header, text, fields, select options, actions, context', () => {
    const card: Card = {
      kind: 'test',
      summary: HOSTILE,
      blocks: [
        { type: 'header', text: `Mapping ${HOSTILE}` },
        { type: 'text', text: `Product ${HOSTILE}\nsecond line` },
        { type: 'fields', fields: [{ label: `Customer${HOSTILE}`, value: HOSTILE }] },
        {
          type: 'select',
          select: {
            type: 'select',
            label: HOSTILE,
            placeholder: 'pick',
            commandPrefix: `map "${HOSTILE}" product`,
            options: [{ label: HOSTILE, value: `v${HOSTILE}` }],
          },
        },
        { type: 'actions', elements: [{ type: 'button', label: HOSTILE, command: `approve ${HOSTILE}` }] },
        { type: 'context', items: [HOSTILE] },
      ],
    };
    const text = renderCardAsText(card);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text.split('\\u001b[2J').length - 1).toBeGreaterThanOrEqual(9);
    expect(text).toContain('\nsecond line'); // layout kept
  });
});
