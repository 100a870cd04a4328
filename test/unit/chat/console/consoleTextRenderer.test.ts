// Issue 18, "must show" 6: the console renderer fits a terminal's width, cuts nothing when the
// output is a file or a pipe (or with --wide), and `run <id>` always shows each operation's
// effective date and unit change.
import type { RunDetail } from '../../../../src/chat/chatServices.js';
import { renderCardAsText } from '../../../../src/chat/console/textRenderer.js';
import { card } from '../../../../src/chat/cardModel.js';
import { runDetailCard } from '../../../../src/chat/runCards.js';
import { parseFlags } from '../../../../src/cli/main.js';

const LONG = `12 · Microsoft 365 Business Premium · Yearly · CFQ7TTC0LCHC:0002-P1Y · 264.00 — ${'x'.repeat(60)}`;
const table = card('t', 't', [
  { type: 'table', columns: ['product', 'service'], rows: [['Microsoft 365 Business Premium', LONG]] },
]);

function detail(): RunDetail {
  const op = (n: number) => ({
    customerName: 'Fabrikam',
    effectiveDate: `2026-03-${String(n).padStart(2, '0')}`,
    unitChange: -n,
    description: `-${n} units of Microsoft 365 Business Premium (service 11, contract 100) on 2026-03-${String(n).padStart(2, '0')} → 0 ${'and a long tail '.repeat(5)}`,
    state: 'done' as const,
    error: null,
  });
  return {
    run: {
      runId: 'r-1',
      customerIds: ['c'],
      customerNames: ['Fabrikam'],
      state: 'succeeded',
      operations: 2,
      changes: [],
      requestedBy: null,
      requestedAt: null,
      validatedAt: new Date('2026-11-25T09:00:00Z'),
      decidedBy: null,
      decidedAt: null,
      rejectReason: null,
      progress: null,
      outcome: { succeeded: 2, failed: 0 },
    },
    issues: [],
    operations: [op(1), { ...op(2), unitChange: null }],
  };
}

describe('console text renderer', () => {
  it('cuts nothing when the output is not a terminal (the default, and --wide)', () => {
    const text = renderCardAsText(table, 'autotask-bot ', { width: null });
    expect(text).toContain(LONG);
    expect(text).not.toContain('…');
    expect(renderCardAsText(table)).toContain(LONG);
  });

  it('fits a terminal’s width, squeezing the widest column', () => {
    for (const width of [80, 120]) {
      const lines = renderCardAsText(table, 'autotask-bot ', { width }).split('\n');
      const tableLines = lines.slice(2);
      expect(Math.max(...tableLines.map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(lines.join('\n')).toContain('…');
      expect(lines.join('\n')).toContain('Microsoft 365 Business Premium');
    }
    // a terminal wide enough for everything cuts nothing
    expect(renderCardAsText(table, 'autotask-bot ', { width: 300 })).toContain(LONG);
  });

  it('always shows the effective date and unit change of each operation in run <id>', () => {
    const text = renderCardAsText(runDetailCard(detail()), 'autotask-bot ', { width: 60 });
    const rows = text.split('\n').filter((l) => l.startsWith('2026-03-'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^2026-03-01\s+-1\s/);
    expect(rows[1]).toMatch(/^2026-03-02\s+new line\s/);
  });

  it('reads --wide as a flag', () => {
    expect(parseFlags(['run', 'r-1', '--wide'])).toEqual({
      args: ['run', 'r-1'],
      json: false,
      wide: true,
      as: undefined,
    });
  });
});
