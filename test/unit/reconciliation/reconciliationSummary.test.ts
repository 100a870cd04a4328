// What a reconciliation card shows, as storable data (the monthly notice keeps it in the outbox),
// and the card drawn from it: totals, the largest variances, skipped lines and the CSV.
import { Decimal } from 'decimal.js';
import type { Card, CardBlock } from '../../../src/chat/cardModel.js';
import { reconciliationSummaryCard } from '../../../src/chat/reconciliationCard.js';
import { billingMonth } from '../../../src/reconciliation/billingMonth.js';
import type {
  ReconciledLine,
  SkippedLine,
  VarianceReason,
} from '../../../src/reconciliation/reconcileCustomer.js';
import { buildReconciliationReport } from '../../../src/reconciliation/reconciliationReport.js';
import {
  RECONCILIATION_ROWS,
  RECONCILIATION_SKIPPED,
  ReconciliationSummarySchema,
  summarizeReconciliation,
} from '../../../src/reconciliation/reconciliationSummary.js';

const OCTOBER = billingMonth('2026-10');

function reconciled(
  customerName: string,
  expected: string,
  billed: string,
  reason: VarianceReason,
  productName = 'Microsoft 365 E3',
): ReconciledLine {
  const e = new Decimal(expected);
  const b = new Decimal(billed);
  return {
    customerId: customerName.toLowerCase().replace(/\s+/g, '-'),
    customerName,
    contractId: 100,
    contractName: `${customerName} Cloud`,
    serviceId: 7,
    productName,
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    expected: e,
    billed: b,
    variance: b.minus(e),
    reason,
    detail: `${reason} at ${customerName}`,
  };
}

const OFF_REASONS: VarianceReason[] = ['hand-edit', 'not-uploaded', 'price-differs', 'proration'];

/**
 * 17 differing lines: Customer i (i = 1..17) expected 1,000.00, billed 1,000 ± i × 10.25 (+ for
 * even i, − for odd), so |variance| = i × 10.25 and the report puts i = 17 first; reasons cycle
 * hand-edit, not-uploaded, price-differs, proration (i = 1 → hand-edit). Then 3 matching lines
 * of 1,000.00 each.
 */
const step = new Decimal('10.25');
const DIFFERING = Array.from({ length: 17 }, (_, k) => {
  const i = k + 1;
  const variance = step.times(i).times(i % 2 === 0 ? 1 : -1);
  return reconciled(
    `Customer ${String(i).padStart(2, '0')}`,
    '1000.00',
    new Decimal('1000').plus(variance).toFixed(2),
    OFF_REASONS[k % 4]!,
  );
});
const MATCHING = ['Matches A', 'Matches B', 'Matches C'].map((n) =>
  reconciled(n, '1000.00', '1000.00', 'matches'),
);

const SKIPPED: SkippedLine[] = Array.from({ length: 7 }, (_, i) => ({
  customerName: `Skipped ${i + 1}`,
  productName: i === 0 ? '(all)' : `Product ${i + 1}`,
  reason: `contract ${900 + i} was not found in Autotask`,
}));

const report = (lines: readonly ReconciledLine[] = [...MATCHING, ...DIFFERING], skipped = SKIPPED) =>
  buildReconciliationReport({ month: OCTOBER, scopeLabel: 'all customers', customers: 20, lines, skipped });

const CSV_URL = 'https://bot.example.com/files/reconciliation-2026-10.csv?sig=abc123';
const CSV_PROBLEM = {
  code: 'ARTIFACTS_UNAVAILABLE',
  message: 'the CSV could not be stored',
  hint: 'set ARTIFACTS_DIR, then reconcile again',
};

describe('summarizeReconciliation', () => {
  const summary = summarizeReconciliation(report(), { url: CSV_URL, problem: null });

  it('keeps only differing lines in largest, at most RECONCILIATION_ROWS, largest first', () => {
    expect(RECONCILIATION_ROWS).toBe(15);
    // |variance| = i × 10.25: i = 17, 16, …, 3 make the 15 rows; i = 1, 2 and the matches do not
    expect(summary.largest.map((l) => l.customerName)).toEqual(
      Array.from({ length: 15 }, (_, k) => `Customer ${String(17 - k).padStart(2, '0')}`),
    );
    expect(summary.largest.every((l) => l.reason !== 'matches')).toBe(true);
    expect(summary.lineCount).toBe(20);
    expect(summary.differing).toBe(17);
  });

  it('writes money as 2-decimal strings, the sign of the variance kept', () => {
    // Customer 17 (odd): 1000 − 17 × 10.25 = 1000 − 174.25 = 825.75; Customer 16: 1000 + 164 = 1164
    expect(summary.largest[0]).toEqual({
      customerName: 'Customer 17',
      productName: 'Microsoft 365 E3',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      expected: '1000.00',
      billed: '825.75',
      variance: '-174.25',
      // k = 16, 16 % 4 = 0 → hand-edit
      reason: 'hand-edit',
      detail: 'hand-edit at Customer 17',
    });
    expect(summary.largest[1]).toMatchObject({ billed: '1164.00', variance: '164.00' });
    // expected: 20 × 1000 = 20000; variance: Σ (−1)^i × i for i = 1..17 = 8 × (+1) − 17 = −9,
    // × 10.25 = −92.25; billed = 20000 − 92.25 = 19907.75
    expect(summary.totals).toEqual({ expected: '20000.00', billed: '19907.75', variance: '-92.25' });
  });

  it('counts the lines per reason', () => {
    // k = 0..16 cycling 4 reasons: hand-edit k = 0,4,8,12,16 (5), the other three 4 each
    expect(summary.reasons).toEqual({
      matches: 3,
      'hand-edit': 5,
      'not-uploaded': 4,
      'price-differs': 4,
      proration: 4,
    });
  });

  it('caps the skipped lines at RECONCILIATION_SKIPPED and keeps their full count', () => {
    expect(RECONCILIATION_SKIPPED).toBe(5);
    expect(summary.skipped).toEqual(SKIPPED.slice(0, 5));
    expect(summary.skippedCount).toBe(7);
  });

  it('parses with ReconciliationSummarySchema, also after a JSON round trip (the outbox)', () => {
    expect(ReconciliationSummarySchema.parse(summary)).toEqual(summary);
    const stored = JSON.parse(JSON.stringify(summary)) as unknown;
    expect(ReconciliationSummarySchema.parse(stored)).toEqual(summary);
    const withProblem = summarizeReconciliation(report(), { url: null, problem: CSV_PROBLEM });
    expect(ReconciliationSummarySchema.parse(JSON.parse(JSON.stringify(withProblem)))).toEqual(withProblem);
    // a money amount with one decimal is not what the summary writes, and the schema says so
    expect(
      ReconciliationSummarySchema.safeParse({ ...summary, totals: { ...summary.totals, billed: '19907.8' } })
        .success,
    ).toBe(false);
  });

  it('a month where everything matches has no rows', () => {
    const s = summarizeReconciliation(report(MATCHING, []), { url: CSV_URL, problem: null });
    expect(s.largest).toEqual([]);
    expect(s.differing).toBe(0);
    expect(s.totals).toEqual({ expected: '3000.00', billed: '3000.00', variance: '0.00' });
    expect(s.skippedCount).toBe(0);
  });
});

const blocksOf = <T extends CardBlock['type']>(c: Card, type: T) =>
  c.blocks.filter((b): b is Extract<CardBlock, { type: T }> => b.type === type);
const field = (c: Card, label: string) =>
  blocksOf(c, 'fields')
    .flatMap((b) => b.fields)
    .find((f) => f.label === label)?.value;
const contextItems = (c: Card) => blocksOf(c, 'context').flatMap((b) => b.items);

describe('reconciliationSummaryCard', () => {
  const summary = summarizeReconciliation(report(), { url: CSV_URL, problem: null });
  const c = reconciliationSummaryCard(summary);

  it('shows the totals with thousands separators and a minus sign for a negative variance', () => {
    expect(field(c, 'Expected (source history)')).toBe('20,000.00');
    expect(field(c, 'Billed (Autotask, posted)')).toBe('19,907.75');
    expect(field(c, 'Variance')).toBe('−92.25');
    expect(field(c, 'Lines')).toBe('20 (17 differ) · 20 customers');
    expect(c.summary).toBe('Reconciliation 2026-10 — all customers: 17 of 20 lines differ, −92.25 in all');
  });

  it('a positive variance carries a plus sign, large amounts their separators', () => {
    // 1,234,000.00 expected, 1,235,500.50 billed → +1,500.50
    const s = summarizeReconciliation(
      report([reconciled('Big Co', '1234000.00', '1235500.50', 'price-differs')], []),
      { url: CSV_URL, problem: null },
    );
    const big = reconciliationSummaryCard(s);
    expect(field(big, 'Expected (source history)')).toBe('1,234,000.00');
    expect(field(big, 'Billed (Autotask, posted)')).toBe('1,235,500.50');
    expect(field(big, 'Variance')).toBe('+1,500.50');
    expect(blocksOf(big, 'table')[0]!.rows).toEqual([
      [
        'Big Co',
        'Microsoft 365 E3',
        '2026-10-01 – 2026-10-31',
        '1,234,000.00',
        '1,235,500.50',
        '+1,500.50',
        'price differs',
      ],
    ]);
  });

  it('the table has the 15 largest rows and counts the 2 left for the CSV', () => {
    const [table] = blocksOf(c, 'table');
    expect(table!.rows).toHaveLength(15);
    // Customer 17: 1,000.00 expected, 825.75 billed, −174.25
    expect(table!.rows[0]).toEqual([
      'Customer 17',
      'Microsoft 365 E3',
      '2026-10-01 – 2026-10-31',
      '1,000.00',
      '825.75',
      '−174.25',
      'changed by hand in Autotask',
    ]);
    // 17 differing − 15 shown
    expect(table!.omittedRows).toBe(2);
    expect(contextItems(c)).toContain('Largest: Customer 17, Microsoft 365 E3 — hand-edit at Customer 17');
  });

  it('names the skipped lines it has and "… and N more" for the rest', () => {
    const items = contextItems(c).filter((i) => i.startsWith('Not reconciled') || i.startsWith('…'));
    expect(items).toEqual([
      // "(all)" names the customer only
      'Not reconciled: Skipped 1 — contract 900 was not found in Autotask',
      'Not reconciled: Skipped 2, Product 2 — contract 901 was not found in Autotask',
      'Not reconciled: Skipped 3, Product 3 — contract 902 was not found in Autotask',
      'Not reconciled: Skipped 4, Product 4 — contract 903 was not found in Autotask',
      'Not reconciled: Skipped 5, Product 5 — contract 904 was not found in Autotask',
      // 7 skipped − 5 named
      '… and 2 more',
    ]);
    const fewer = reconciliationSummaryCard(
      summarizeReconciliation(report(undefined, SKIPPED.slice(0, 5)), { url: CSV_URL, problem: null }),
    );
    expect(contextItems(fewer).some((i) => i.includes('more'))).toBe(false);
  });

  it('links the CSV when it has a URL', () => {
    expect(blocksOf(c, 'link')).toEqual([
      {
        type: 'link',
        label: 'Download the CSV (20 lines, with the reason for each)',
        url: CSV_URL,
      },
    ]);
    expect(contextItems(c).some((i) => i.startsWith('CSV:'))).toBe(false);
  });

  it('says why there is no CSV when it has none', () => {
    const noCsv = reconciliationSummaryCard(
      summarizeReconciliation(report(), { url: null, problem: CSV_PROBLEM }),
    );
    expect(blocksOf(noCsv, 'link')).toEqual([]);
    expect(contextItems(noCsv)).toContain(
      'CSV: ARTIFACTS_UNAVAILABLE: the CSV could not be stored — set ARTIFACTS_DIR, then reconcile again',
    );
  });

  it('takes the monthly notice title when given, and draws the same card from the stored summary', () => {
    const title = `Monthly reconciliation ${summary.month} — all customers`;
    const stored = ReconciliationSummarySchema.parse(JSON.parse(JSON.stringify(summary)));
    const monthly = reconciliationSummaryCard(stored, title);
    expect(blocksOf(monthly, 'header').map((h) => h.text)).toEqual([
      'Monthly reconciliation 2026-10 — all customers',
    ]);
    expect(monthly.summary.startsWith('Monthly reconciliation 2026-10 — all customers: ')).toBe(true);
    expect(blocksOf(c, 'header').map((h) => h.text)).toEqual(['Reconciliation 2026-10 — all customers']);
    // apart from the title, the card is the one the command draws
    expect(monthly.blocks.slice(1)).toEqual(c.blocks.slice(1));
  });

  it('a month that matches says so, without a table', () => {
    const ok = reconciliationSummaryCard(
      summarizeReconciliation(report(MATCHING, []), { url: CSV_URL, problem: null }),
    );
    expect(ok.summary).toBe('Reconciliation 2026-10 — all customers: every line matches');
    expect(blocksOf(ok, 'table')).toEqual([]);
    expect(field(ok, 'Variance')).toBe('0.00');
  });
});
