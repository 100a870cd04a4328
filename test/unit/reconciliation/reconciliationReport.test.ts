// The report of a month's reconciliation: the largest variance first whatever its sign, ties by
// customer name, with totals and the count of lines per reason.
import { Decimal } from 'decimal.js';
import { billingMonth } from '../../../src/reconciliation/billingMonth.js';
import type { ReconciledLine, VarianceReason } from '../../../src/reconciliation/reconcileCustomer.js';
import { buildReconciliationReport } from '../../../src/reconciliation/reconciliationReport.js';

const OCTOBER = billingMonth('2026-10');

function reconciled(
  customerName: string,
  expected: string,
  billed: string,
  variance: string,
  reason: VarianceReason,
  productName = 'Microsoft 365 E3',
): ReconciledLine {
  return {
    customerId: customerName.toLowerCase(),
    customerName,
    contractId: 100,
    contractName: `${customerName} Cloud`,
    serviceId: 7,
    productName,
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    expected: new Decimal(expected),
    billed: new Decimal(billed),
    variance: new Decimal(variance),
    reason,
    detail: '',
  };
}

// variance = billed − expected, worked for each line
const LINES = [
  reconciled('Delta', '100.00', '100.00', '0.00', 'matches'),
  reconciled('Bravo', '220.00', '250.00', '30.00', 'price-differs'),
  reconciled('Echo', '10.61', '10.62', '0.01', 'proration'),
  reconciled('Alpha', '242.71', '220.00', '-22.71', 'not-uploaded'),
  reconciled('Charlie', '220.00', '0.00', '-220.00', 'not-posted'),
  reconciled('Aardvark', '220.00', '250.00', '30.00', 'hand-edit'),
  reconciled('Foxtrot', '50.00', '50.00', '0.00', 'matches'),
];

const report = (lines: readonly ReconciledLine[] = LINES) =>
  buildReconciliationReport({
    month: OCTOBER,
    scopeLabel: 'all customers',
    customers: 7,
    lines,
    skipped: [],
  });

describe('buildReconciliationReport', () => {
  it('puts the largest absolute variance first, a shortfall as much as an overcharge', () => {
    // |−220.00| > |30.00| = |30.00| > |−22.71| > |0.01| > 0 = 0
    expect(report().lines.map((l) => [l.customerName, l.variance.toFixed(2)])).toEqual([
      ['Charlie', '-220.00'],
      ['Aardvark', '30.00'],
      ['Bravo', '30.00'],
      ['Alpha', '-22.71'],
      ['Echo', '0.01'],
      ['Delta', '0.00'],
      ['Foxtrot', '0.00'],
    ]);
  });

  it('orders equal variances of opposite sign by customer name', () => {
    const lines = [
      reconciled('Zulu', '10.00', '15.00', '5.00', 'price-differs'),
      reconciled('Mike', '15.00', '10.00', '-5.00', 'price-differs'),
    ];
    expect(report(lines).lines.map((l) => l.customerName)).toEqual(['Mike', 'Zulu']);
  });

  it('orders one customer’s equal variances by product name', () => {
    const lines = [
      reconciled('Alpha', '0', '5', '5', 'price-differs', 'Teams Phone'),
      reconciled('Alpha', '0', '5', '5', 'price-differs', 'Exchange Online'),
    ];
    expect(report(lines).lines.map((l) => l.productName)).toEqual(['Exchange Online', 'Teams Phone']);
  });

  it('does not reorder the lines it was given', () => {
    const given = [...LINES];
    report(given);
    expect(given).toEqual(LINES);
  });

  it('totals expected, billed and variance over all lines', () => {
    // expected: 100 + 220 + 10.61 + 242.71 + 220 + 220 + 50 = 1063.32
    // billed:   100 + 250 + 10.62 + 220 + 0 + 250 + 50 = 880.62
    // variance: 0 + 30 + 0.01 − 22.71 − 220 + 30 + 0 = −182.70 (= 880.62 − 1063.32)
    const { totals } = report();
    expect(totals.expected.toFixed(2)).toBe('1063.32');
    expect(totals.billed.toFixed(2)).toBe('880.62');
    expect(totals.variance.toFixed(2)).toBe('-182.70');
  });

  it('counts the lines per reason, leaving out reasons no line has', () => {
    expect(report().reasons).toEqual({
      matches: 2,
      'price-differs': 1,
      proration: 1,
      'not-uploaded': 1,
      'not-posted': 1,
      'hand-edit': 1,
    });
    expect(report([reconciled('Alpha', '1', '1', '0', 'matches')]).reasons).toEqual({ matches: 1 });
  });

  it('passes the month, scope, customer count and skipped lines through', () => {
    const skipped = [
      { customerName: 'Golf', productName: 'Azure plan', reason: 'contract 9 was not found in Autotask' },
    ];
    const r = buildReconciliationReport({
      month: OCTOBER,
      scopeLabel: 'Golf',
      customers: 1,
      lines: [],
      skipped,
    });
    expect(r).toEqual({
      month: OCTOBER,
      scopeLabel: 'Golf',
      customers: 1,
      lines: [],
      skipped,
      totals: { expected: new Decimal(0), billed: new Decimal(0), variance: new Decimal(0) },
      reasons: {},
    });
  });
});
