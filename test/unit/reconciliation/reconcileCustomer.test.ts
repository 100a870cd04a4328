// One customer's reconciliation for a month, from inputs built by hand: what the source history
// says, the units rows Autotask has, and the BillingItems it posted. Each reason for a variance
// is brought about by the one difference that causes it; amounts are worked in the comments.
import { Decimal } from 'decimal.js';
import { billingMonth } from '../../../src/reconciliation/billingMonth.js';
import {
  reconcileCustomer,
  type BilledItem,
  type ReconcileContract,
  type ReconcileCustomerInput,
  type ReconcileLineInput,
  type ReconcileUnitsRow,
} from '../../../src/reconciliation/reconcileCustomer.js';

const OCTOBER = billingMonth('2026-10'); // 31 days
const CUSTOMER = { id: 'cust-1', name: 'Contoso Ltd' };
const MONTHLY: ReconcileContract = {
  id: 100,
  contractName: 'Contoso Cloud',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  periodMonths: 1,
};
const SERVICE = 7;
const LINE_ID = 5001;

/** A line on the monthly contract: 10 units since January at 22.00, all of it pushed. */
function line(values: Partial<ReconcileLineInput> = {}): ReconcileLineInput {
  return {
    lineKey: 'sub-1',
    productName: 'Microsoft 365 Business Premium',
    contractId: MONTHLY.id,
    serviceId: SERVICE,
    unitPrice: new Decimal('22.00'),
    contractServiceId: LINE_ID,
    pushed: [{ effectiveDate: '2026-01-01', unitChange: 10 }],
    pending: [],
    ...values,
  };
}

function row(
  startDate: string,
  endDate: string,
  units: number,
  posted = true,
  lineId = LINE_ID,
): ReconcileUnitsRow {
  return {
    contractID: MONTHLY.id,
    serviceID: SERVICE,
    contractServiceId: lineId,
    startDate,
    endDate,
    units,
    approveAndPostDate: posted ? '2026-11-01T00:00:00Z' : null,
  };
}

const item = (itemDate: string, amount: string): BilledItem => ({
  contractID: MONTHLY.id,
  serviceID: SERVICE,
  itemDate,
  amount: new Decimal(amount),
});

function input(values: Partial<ReconcileCustomerInput> = {}): ReconcileCustomerInput {
  return {
    customer: CUSTOMER,
    month: OCTOBER,
    contracts: [MONTHLY],
    lines: [line()],
    units: [row('2026-10-01', '2026-10-31', 10)],
    billed: [item('2026-10-01', '220.00')],
    ...values,
  };
}

/** The one reconciled line of a result, its amounts as money text. */
function only(result: ReturnType<typeof reconcileCustomer>) {
  expect(result.skipped).toEqual([]);
  expect(result.lines).toHaveLength(1);
  const l = result.lines[0]!;
  return {
    ...l,
    expected: l.expected.toFixed(2),
    billed: l.billed.toFixed(2),
    variance: l.variance.toFixed(2),
  };
}

describe('reconcileCustomer', () => {
  it('matches when Autotask billed what the history says, and names the line', () => {
    // 10 units × 22.00 for all of October = 220.00, billed 220.00
    expect(only(reconcileCustomer(input()))).toEqual({
      customerId: 'cust-1',
      customerName: 'Contoso Ltd',
      contractId: 100,
      contractName: 'Contoso Cloud',
      serviceId: SERVICE,
      productName: 'Microsoft 365 Business Premium',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      expected: '220.00',
      billed: '220.00',
      variance: '0.00',
      reason: 'matches',
      detail: '',
    });
  });

  it('calls a period whose units rows are not approved and posted not-posted', () => {
    // nothing billed: variance 0 − 220.00 = −220.00
    const l = only(
      reconcileCustomer(input({ units: [row('2026-10-01', '2026-10-31', 10, false)], billed: [] })),
    );
    expect(l).toMatchObject({
      expected: '220.00',
      billed: '0.00',
      variance: '-220.00',
      reason: 'not-posted',
    });
    expect(l.detail).toContain('2026-10-01 to 2026-10-31');
    expect(l.detail).toContain('not posted');
  });

  it('calls a period posted only in part not-posted, naming where the unposted part starts', () => {
    // Oct 1–15 posted and billed at 10 units: 22.00 × 10 × 15 ÷ 31 = 106.45; Oct 16–31 not posted
    const l = only(
      reconcileCustomer(
        input({
          units: [row('2026-10-01', '2026-10-15', 10), row('2026-10-16', '2026-10-31', 10, false)],
          billed: [item('2026-10-01', '106.45')],
        }),
      ),
    );
    expect(l).toMatchObject({
      expected: '220.00',
      billed: '106.45',
      variance: '-113.55',
      reason: 'not-posted',
    });
    expect(l.detail).toContain('part of the period 2026-10-01 to 2026-10-31');
    expect(l.detail).toContain('from 2026-10-16');
  });

  it('calls a variance from a change not sent yet not-uploaded', () => {
    // pending +2 from Oct 16: 10 × 15 + 12 × 16 = 342 unit-days; 22.00 × 342 ÷ 31 = 7524 ÷ 31
    // = 242.709… → 242.71. Autotask (still at 10) billed 220.00: variance −22.71.
    const l = only(
      reconcileCustomer(
        input({ lines: [line({ pending: [{ effectiveDate: '2026-10-16', unitChange: 2 }] })] }),
      ),
    );
    expect(l).toMatchObject({
      expected: '242.71',
      billed: '220.00',
      variance: '-22.71',
      reason: 'not-uploaded',
    });
    expect(l.detail).toContain('1 change of the source history not uploaded yet');
    expect(l.detail).toContain('2026-10-16');
    // October is posted: an upload would be refused there, so the advice is not "upload"
    expect(l.detail).toContain('the period 2026-10-01 to 2026-10-31 is posted');
    expect(l.detail).not.toContain('validate and upload');
  });

  it('advises to upload a change not sent yet when the line has nothing in Autotask yet', () => {
    // a new line: never sent, no units rows, nothing billed; 3 units × 22.00 for October = 66.00
    const l = only(
      reconcileCustomer(
        input({
          lines: [
            line({
              contractServiceId: null,
              pushed: [],
              pending: [{ effectiveDate: '2026-10-01', unitChange: 3 }],
            }),
          ],
          units: [],
          billed: [],
        }),
      ),
    );
    expect(l).toMatchObject({ expected: '66.00', billed: '0.00', reason: 'not-uploaded' });
    expect(l.detail).toContain('validate and upload');
  });

  it('leaves out a period with nothing expected and nothing billed (before the line had units)', () => {
    // the subscription starts in November: October expects 0, Autotask has no rows and billed 0
    const result = reconcileCustomer(
      input({
        lines: [line({ pushed: [{ effectiveDate: '2026-11-01', unitChange: 10 }] })],
        units: [],
        billed: [],
      }),
    );
    expect(result).toEqual({ lines: [], skipped: [] });
  });

  it('names the earliest of several pending changes and counts them', () => {
    const pending = [
      { effectiveDate: '2026-10-20', unitChange: 1 },
      { effectiveDate: '2026-10-05', unitChange: 1 },
    ];
    const l = only(reconcileCustomer(input({ lines: [line({ pending })] })));
    expect(l.reason).toBe('not-uploaded');
    expect(l.detail).toContain('2 changes');
    expect(l.detail).toContain('the first dated 2026-10-05');
  });

  it('does not blame a pending change dated after the period', () => {
    // the November change does not move October's 220.00; the 10.00 too much is the price
    const l = only(
      reconcileCustomer(
        input({
          lines: [line({ pending: [{ effectiveDate: '2026-11-05', unitChange: 3 }] })],
          billed: [item('2026-10-01', '230.00')],
        }),
      ),
    );
    expect(l).toMatchObject({ expected: '220.00', variance: '10.00', reason: 'price-differs' });
  });

  it('calls units rows that differ from the pushed changes a hand-edit', () => {
    // someone set the line to 12 in Autotask: billed 12 × 22.00 = 264.00 against 220.00
    const l = only(
      reconcileCustomer(
        input({ units: [row('2026-10-01', '2026-10-31', 12)], billed: [item('2026-10-01', '264.00')] }),
      ),
    );
    expect(l).toMatchObject({ expected: '220.00', billed: '264.00', variance: '44.00', reason: 'hand-edit' });
    expect(l.detail).toContain('on 2026-10-01 Autotask has 12 units, this system pushed 10');
    expect(l.detail).toContain(`line ${LINE_ID}`);
  });

  it('calls units on a line this system never wrote a hand-edit', () => {
    // the recorded line is right (10 units, 220.00); a line 5999 added by hand carries 3 more
    // units, billed 3 × 22.00 = 66.00: 286.00 against 220.00
    const l = only(
      reconcileCustomer(
        input({
          units: [row('2026-10-01', '2026-10-31', 10), row('2026-10-01', '2026-10-31', 3, true, 5999)],
          billed: [item('2026-10-01', '220.00'), item('2026-10-01', '66.00')],
        }),
      ),
    );
    expect(l).toMatchObject({ billed: '286.00', variance: '66.00', reason: 'hand-edit' });
    expect(l.detail).toContain('line 5999 carries 3 units from 2026-10-01 that this system never sent');
  });

  it('does not judge rows on other lines while a line of the group is not recorded yet', () => {
    // the ledger has not learnt the line's Autotask id: its 10 units on line 5999 are not foreign;
    // the 10.00 billed too much (230.00 against 10 × 22.00) is then the price
    const l = only(
      reconcileCustomer(
        input({
          lines: [line({ contractServiceId: null })],
          units: [row('2026-10-01', '2026-10-31', 10, true, 5999)],
          billed: [item('2026-10-01', '230.00')],
        }),
      ),
    );
    expect(l.reason).not.toBe('hand-edit');
    expect(l).toMatchObject({ variance: '10.00', reason: 'price-differs' });
  });

  it('expects a contract ending inside the period only up to its end', () => {
    // the contract ends Oct 20: 3 units × 20 days at 31.00 ÷ 31 days = 60.00 (not 93.00)
    const l = only(
      reconcileCustomer(
        input({
          contracts: [{ ...MONTHLY, endDate: '2026-10-20' }],
          lines: [
            line({
              unitPrice: new Decimal('31.00'),
              pushed: [{ effectiveDate: '2026-01-01', unitChange: 3 }],
            }),
          ],
          units: [row('2026-10-01', '2026-10-20', 3)],
          billed: [item('2026-10-01', '60.00')],
        }),
      ),
    );
    expect(l).toMatchObject({
      periodStart: '2026-10-01',
      expected: '60.00',
      billed: '60.00',
      reason: 'matches',
    });
  });

  it('calls a cent off over split rows proration', () => {
    // pushed: 1 unit since January, +1 from Oct 16, at 7.00. Autotask splits October into two
    // rows and rounds each: 7.00 × 1 × 15 ÷ 31 = 3.387… → 3.39 and 7.00 × 2 × 16 ÷ 31 = 7.225…
    // → 7.23, billed 10.62. The history rounds once: 7.00 × 47 ÷ 31 = 10.612… → 10.61.
    const pushed = [
      { effectiveDate: '2026-01-01', unitChange: 1 },
      { effectiveDate: '2026-10-16', unitChange: 1 },
    ];
    const l = only(
      reconcileCustomer(
        input({
          lines: [line({ unitPrice: new Decimal('7.00'), pushed })],
          units: [row('2026-10-01', '2026-10-15', 1), row('2026-10-16', '2026-10-31', 2)],
          billed: [item('2026-10-01', '3.39'), item('2026-10-16', '7.23')],
        }),
      ),
    );
    expect(l).toMatchObject({ expected: '10.61', billed: '10.62', variance: '0.01', reason: 'proration' });
    expect(l.detail).toContain('2 rows');
  });

  it('does not call a cent off on a single, unsplit row proration', () => {
    // one row cannot be rounded differently from the history: 220.01 against 220.00 is the price
    const l = only(reconcileCustomer(input({ billed: [item('2026-10-01', '220.01')] })));
    expect(l).toMatchObject({ variance: '0.01', reason: 'price-differs' });
  });

  it('does not call more than a cent a split row proration', () => {
    // the split example above, billed 0.03 more than expected over 2 rows (at most 0.02 is rounding)
    const pushed = [
      { effectiveDate: '2026-01-01', unitChange: 1 },
      { effectiveDate: '2026-10-16', unitChange: 1 },
    ];
    const l = only(
      reconcileCustomer(
        input({
          lines: [line({ unitPrice: new Decimal('7.00'), pushed })],
          units: [row('2026-10-01', '2026-10-15', 1), row('2026-10-16', '2026-10-31', 2)],
          billed: [item('2026-10-01', '3.40'), item('2026-10-16', '7.24')],
        }),
      ),
    );
    expect(l).toMatchObject({
      expected: '10.61',
      billed: '10.64',
      variance: '0.03',
      reason: 'price-differs',
    });
  });

  it('calls agreeing units billed at another price price-differs, with the price Autotask used', () => {
    // 10 units agree; billed 230.00 = 10 × 23.00 for the full month against 10 × 22.00
    const l = only(reconcileCustomer(input({ billed: [item('2026-10-01', '230.00')] })));
    expect(l).toMatchObject({
      expected: '220.00',
      billed: '230.00',
      variance: '10.00',
      reason: 'price-differs',
    });
    expect(l.detail).toContain('about 23.00 a unit');
    expect(l.detail).toContain('the source history says 22.00');
  });

  it('counts only the billed items of the period and of the contract line', () => {
    const l = only(
      reconcileCustomer(
        input({
          billed: [
            item('2026-10-01', '220.00'),
            item('2026-09-01', '220.00'), // September's period
            item('2026-11-01', '220.00'), // November's period
            { ...item('2026-10-01', '50.00'), serviceID: 8 }, // another service
            { ...item('2026-10-01', '50.00'), contractID: 101 }, // another contract
          ],
        }),
      ),
    );
    expect(l).toMatchObject({ billed: '220.00', reason: 'matches' });
  });

  it('reconciles two lines of one contract line as one, amounts summed and names joined', () => {
    // a price change on Oct 16: line A 10 units at 20.00 until Oct 15 → 20 × 10 × 15 ÷ 31 =
    // 96.774… → 96.77; line B 10 units at 22.00 from Oct 16 → 22 × 10 × 16 ÷ 31 = 113.548… →
    // 113.55; expected 96.77 + 113.55 = 210.32
    const a = line({
      lineKey: 'sub-1@20',
      productName: 'Microsoft 365 E3',
      unitPrice: new Decimal('20.00'),
      pushed: [
        { effectiveDate: '2026-01-01', unitChange: 10 },
        { effectiveDate: '2026-10-16', unitChange: -10 },
      ],
    });
    const b = line({
      lineKey: 'sub-1@22',
      productName: 'Microsoft 365 E3 (new price)',
      unitPrice: new Decimal('22.00'),
      contractServiceId: 5002,
      pushed: [{ effectiveDate: '2026-10-16', unitChange: 10 }],
    });
    const l = only(
      reconcileCustomer(
        input({
          lines: [a, b],
          units: [row('2026-10-01', '2026-10-15', 10), row('2026-10-16', '2026-10-31', 10, true, 5002)],
          billed: [item('2026-10-01', '96.77'), item('2026-10-16', '113.55')],
        }),
      ),
    );
    expect(l).toMatchObject({
      productName: 'Microsoft 365 E3 / Microsoft 365 E3 (new price)',
      expected: '210.32',
      billed: '210.32',
      reason: 'matches',
    });
  });

  it('skips a contract whose period type is unknown, saying so', () => {
    const result = reconcileCustomer(input({ contracts: [{ ...MONTHLY, periodMonths: null }] }));
    expect(result.lines).toEqual([]);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]).toMatchObject({
      customerName: 'Contoso Ltd',
      productName: 'Microsoft 365 Business Premium',
    });
    expect(result.skipped[0]!.reason).toContain('Contoso Cloud (100)');
    expect(result.skipped[0]!.reason).toContain('period type this bot does not know');
  });

  it('skips a line whose contract is not found', () => {
    const result = reconcileCustomer(input({ contracts: [] }));
    expect(result.lines).toEqual([]);
    expect(result.skipped).toEqual([
      {
        customerName: 'Contoso Ltd',
        productName: 'Microsoft 365 Business Premium',
        reason: 'contract 100 was not found in Autotask',
      },
    ]);
  });

  describe('an annual contract starting in March', () => {
    const ANNUAL: ReconcileContract = {
      id: 100,
      contractName: 'Contoso Annual',
      startDate: '2026-03-01',
      endDate: '2028-02-29',
      periodMonths: 12,
    };
    const annualLine = line({
      unitPrice: new Decimal('120.00'),
      pushed: [{ effectiveDate: '2026-03-01', unitChange: 2 }],
    });

    it('has no line in October, where no period starts', () => {
      const result = reconcileCustomer(
        input({
          contracts: [ANNUAL],
          lines: [annualLine],
          units: [row('2026-03-01', '2027-02-28', 2)],
          billed: [item('2026-03-01', '240.00')],
        }),
      );
      expect(result).toEqual({ lines: [], skipped: [] });
    });

    it('has one line for the year in March', () => {
      // 2 units × 120.00 for the whole 12-month period = 240.00
      const l = only(
        reconcileCustomer(
          input({
            month: billingMonth('2026-03'),
            contracts: [ANNUAL],
            lines: [annualLine],
            units: [row('2026-03-01', '2027-02-28', 2)],
            billed: [item('2026-03-01', '240.00')],
          }),
        ),
      );
      expect(l).toMatchObject({
        contractName: 'Contoso Annual',
        periodStart: '2026-03-01',
        periodEnd: '2027-02-28',
        expected: '240.00',
        billed: '240.00',
        reason: 'matches',
      });
    });
  });
});
