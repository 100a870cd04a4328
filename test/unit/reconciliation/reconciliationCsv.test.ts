// The reconciliation as CSV: the header, RFC 4180 quoting (checked both as raw text and by
// reading it back with csv-parse), CRLF line ends, and formula injection defused in text cells
// while negative amounts stay plain numbers.
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { billingMonth } from '../../../src/reconciliation/billingMonth.js';
import type { ReconciledLine } from '../../../src/reconciliation/reconcileCustomer.js';
import {
  RECONCILIATION_CSV_COLUMNS,
  reconciliationCsv,
} from '../../../src/reconciliation/reconciliationCsv.js';
import { buildReconciliationReport } from '../../../src/reconciliation/reconciliationReport.js';

function reconciled(values: Partial<ReconciledLine> = {}): ReconciledLine {
  return {
    customerId: 'cust-1',
    customerName: 'Contoso Ltd',
    contractId: 100,
    contractName: 'Contoso Cloud',
    serviceId: 7,
    productName: 'Microsoft 365 E3',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    expected: new Decimal('242.71'),
    billed: new Decimal('220'),
    variance: new Decimal('-22.71'),
    reason: 'not-uploaded',
    detail: 'validate and upload',
    ...values,
  };
}

const csvOf = (...lines: ReconciledLine[]) =>
  reconciliationCsv(
    buildReconciliationReport({
      month: billingMonth('2026-10'),
      scopeLabel: 'all customers',
      customers: 1,
      lines,
      skipped: [],
    }),
  );

const readBack = (csv: string): string[][] => parse(csv, { relax_column_count: false });

describe('reconciliationCsv', () => {
  it('starts with the header row of RECONCILIATION_CSV_COLUMNS, and has only it for no lines', () => {
    const csv = csvOf();
    expect(csv).toBe(
      'customer,contract,contract id,product,service id,period start,period end,expected,billed,variance,reason,detail\r\n',
    );
    expect(readBack(csv)).toEqual([[...RECONCILIATION_CSV_COLUMNS]]);
  });

  it('writes a line as plain cells, amounts with two places, each row ended by CRLF', () => {
    expect(csvOf(reconciled())).toBe(
      'customer,contract,contract id,product,service id,period start,period end,expected,billed,variance,reason,detail\r\n' +
        'Contoso Ltd,Contoso Cloud,100,Microsoft 365 E3,7,2026-10-01,2026-10-31,242.71,220.00,-22.71,not-uploaded,validate and upload\r\n',
    );
  });

  it('ends every row with CRLF and has no bare LF line ends', () => {
    const csv = csvOf(reconciled(), reconciled({ customerName: 'Fabrikam' }));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4); // header, two lines, and the empty rest after the last CRLF
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('quotes a cell with a comma', () => {
    const csv = csvOf(reconciled({ customerName: 'Contoso, Ltd' }));
    expect(csv.split('\r\n')[1]!.startsWith('"Contoso, Ltd",Contoso Cloud,')).toBe(true);
    expect(readBack(csv)[1]![0]).toBe('Contoso, Ltd');
  });

  it('quotes a cell with a double quote, doubling the quote', () => {
    const csv = csvOf(reconciled({ productName: 'Office "Pro" Plus' }));
    expect(csv).toContain(',"Office ""Pro"" Plus",');
    expect(readBack(csv)[1]![3]).toBe('Office "Pro" Plus');
  });

  it('quotes a cell with a line break, keeping the break inside the cell', () => {
    const detail = 'changed in Autotask by hand:\non 2026-10-01 Autotask has 12 units';
    const csv = csvOf(reconciled({ detail, reason: 'hand-edit' }));
    expect(csv).toContain(
      ',hand-edit,"changed in Autotask by hand:\non 2026-10-01 Autotask has 12 units"\r\n',
    );
    const rows = readBack(csv);
    expect(rows).toHaveLength(2);
    expect(rows[1]![11]).toBe(detail);
  });

  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)'])(
    'prefixes a product name starting like a formula (%s) with an apostrophe',
    (productName) => {
      const rows = readBack(csvOf(reconciled({ productName })));
      expect(rows[1]![3]).toBe(`'${productName}`);
    },
  );

  it('defuses a formula in the customer and contract names too', () => {
    const rows = readBack(csvOf(reconciled({ customerName: '=cmd', contractName: '@evil' })));
    expect(rows[1]!.slice(0, 2)).toEqual(["'=cmd", "'@evil"]);
  });

  it('leaves a name with a formula character further in as it is', () => {
    const rows = readBack(csvOf(reconciled({ productName: 'Microsoft 365 E3 - annual = 12 @ month' })));
    expect(rows[1]![3]).toBe('Microsoft 365 E3 - annual = 12 @ month');
  });

  it('does not prefix negative amounts', () => {
    // expected 220.00, billed 0.00: variance −220.00, written as a number a spreadsheet can sum
    const rows = readBack(
      csvOf(
        reconciled({
          expected: new Decimal('220'),
          billed: new Decimal('0'),
          variance: new Decimal('-220'),
          reason: 'not-posted',
        }),
      ),
    );
    expect(rows[1]!.slice(7, 10)).toEqual(['220.00', '0.00', '-220.00']);
  });

  it('writes the lines in the report order, the largest variance first', () => {
    const csv = csvOf(
      reconciled({ customerName: 'Small', variance: new Decimal('0.01') }),
      reconciled({ customerName: 'Large', variance: new Decimal('-50') }),
    );
    expect(readBack(csv).map((r) => [r[0], r[9]])).toEqual([
      ['customer', 'variance'],
      ['Large', '-50.00'],
      ['Small', '0.01'],
    ]);
  });
});
