// The two notices of the watches — the monthly reconciliation and a customer's drift: the schema
// the outbox checks them with, the console's line for each, and which Notifier method gets each.
import { ConsoleNotifier, describeNotice } from '../../../src/jobs/consoleNotifier.js';
import {
  NoticeSchema,
  deliverNotice,
  type DriftNotice,
  type Notice,
  type Notifier,
  type ReconciliationNotice,
} from '../../../src/jobs/notifier.js';
import type { ReconciliationSummary } from '../../../src/reconciliation/reconciliationSummary.js';

// 2 of 3 lines differ: 220.00 − 0.00 not posted (−220.00) and 250.00 − 220.00 by hand (+30.00);
// variance −220 + 30 + 0 = −190.00, expected 220 + 220 + 100 = 540.00, billed 0 + 250 + 100 = 350.00
const SUMMARY: ReconciliationSummary = {
  month: '2026-10',
  scopeLabel: 'all customers',
  customers: 2,
  lineCount: 3,
  differing: 2,
  totals: { expected: '540.00', billed: '350.00', variance: '-190.00' },
  reasons: { 'not-posted': 1, 'hand-edit': 1, matches: 1 },
  largest: [
    {
      customerName: 'Charlie',
      productName: 'Microsoft 365 E3',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      expected: '220.00',
      billed: '0.00',
      variance: '-220.00',
      reason: 'not-posted',
      detail: 'the period is not posted yet',
    },
    {
      customerName: 'Bravo',
      productName: 'Exchange Online (Plan 1)',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      expected: '220.00',
      billed: '250.00',
      variance: '30.00',
      reason: 'hand-edit',
      detail: 'units changed by hand',
    },
  ],
  skipped: [],
  skippedCount: 0,
  csv: { url: 'https://bot.example.com/files/r-2026-10.csv?sig=1', problem: null },
};

const RECONCILIATION: ReconciliationNotice = { kind: 'reconciliation', summary: SUMMARY };

const DRIFT: DriftNotice = {
  kind: 'drift',
  customerId: 'c-acme',
  customerName: 'Acme Corp',
  lines: [
    {
      productName: 'Exchange Online (Plan 1)',
      billingCycle: 'monthly',
      contractServiceId: 502,
      since: '2026-01-05',
      detail: 'on 2026-01-05 Autotask has 6 units, this system pushed 4',
    },
    {
      productName: 'Microsoft 365 Business Premium',
      billingCycle: 'annual',
      contractServiceId: 501,
      since: '2026-03-05',
      detail: 'on 2026-03-05 Autotask has 10 units, this system pushed 8',
    },
  ],
  correctionCommand: 'validate c-acme',
};

describe('describeNotice for the watches', () => {
  it('says a reconciliation in one line: month, scope, how many differ, the amounts and the CSV', () => {
    expect(describeNotice(RECONCILIATION)).toBe(
      '📒 reconciliation 2026-10 of all customers: 2 of 3 lines differ, variance -190.00 (expected 540.00, billed 350.00) — CSV https://bot.example.com/files/r-2026-10.csv?sig=1',
    );
  });

  it('leaves the CSV out when there is none', () => {
    const noCsv: Notice = {
      kind: 'reconciliation',
      summary: {
        ...SUMMARY,
        csv: { url: null, problem: { code: 'ARTIFACTS_UNAVAILABLE', message: 'no store', hint: '' } },
      },
    };
    const line = describeNotice(noCsv);
    expect(line.endsWith('(expected 540.00, billed 350.00)')).toBe(true);
    expect(line).not.toContain('CSV');
  });

  it('says a drift with every line and the correction command', () => {
    expect(describeNotice(DRIFT)).toBe(
      '⚠️ DRIFT at Acme Corp: ' +
        'Exchange Online (Plan 1) (line 502) on 2026-01-05 Autotask has 6 units, this system pushed 4; ' +
        'Microsoft 365 Business Premium (line 501) on 2026-03-05 Autotask has 10 units, this system pushed 8' +
        ' — `validate c-acme` to plan a correction',
    );
  });

  it('the console notifier writes them as text or JSON, control characters escaped', async () => {
    const lines: string[] = [];
    const text = new ConsoleNotifier((l) => lines.push(l));
    await text.drift({ ...DRIFT, customerName: 'Acme\u001b[2J Corp' });
    await text.reconciliation(RECONCILIATION);
    expect(lines[0]).toContain('DRIFT at Acme\\u001b[2J Corp:');
    expect(lines[0]).not.toContain('\u001b');
    expect(lines[1]).toBe(describeNotice(RECONCILIATION));

    const json: string[] = [];
    await new ConsoleNotifier((l) => json.push(l), 'json').drift(DRIFT);
    expect(JSON.parse(json[0]!)).toEqual({ notice: DRIFT });
  });
});

describe('NoticeSchema for the watches', () => {
  it('accepts both kinds, also after a JSON round trip (the outbox stores JSON)', () => {
    for (const notice of [RECONCILIATION, DRIFT]) {
      expect(NoticeSchema.parse(notice)).toEqual(notice);
      expect(NoticeSchema.parse(JSON.parse(JSON.stringify(notice)))).toEqual(notice);
    }
  });

  it('refuses a drift notice without its correction command', () => {
    const { correctionCommand: _dropped, ...withoutCommand } = DRIFT;
    const parsed = NoticeSchema.safeParse(withoutCommand);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('correctionCommand');
  });

  it('refuses a drift line without a numeric line id, and a reconciliation with a malformed summary', () => {
    const badLine = { ...DRIFT, lines: [{ ...DRIFT.lines[0]!, contractServiceId: '502' }] };
    expect(NoticeSchema.safeParse(badLine).success).toBe(false);
    const badMonth = { kind: 'reconciliation', summary: { ...SUMMARY, month: '2026-10-01' } };
    expect(NoticeSchema.safeParse(badMonth).success).toBe(false);
    const badMoney = {
      kind: 'reconciliation',
      summary: { ...SUMMARY, totals: { ...SUMMARY.totals, billed: '350' } },
    };
    expect(NoticeSchema.safeParse(badMoney).success).toBe(false);
  });
});

describe('deliverNotice for the watches', () => {
  /** A notifier that records which method was called with what. */
  function recorder() {
    const calls: [keyof Notifier, Notice][] = [];
    const method =
      (name: keyof Notifier) =>
      async (n: Notice): Promise<void> => {
        calls.push([name, n]);
      };
    const notifier: Notifier = {
      validationFinished: method('validationFinished'),
      approvalRequested: method('approvalRequested'),
      progress: method('progress'),
      outcome: method('outcome'),
      failure: method('failure'),
      reconciliation: method('reconciliation'),
      drift: method('drift'),
    };
    return { calls, notifier };
  }

  it('routes a reconciliation notice to reconciliation() and a drift notice to drift()', async () => {
    const { calls, notifier } = recorder();
    await deliverNotice(notifier, RECONCILIATION);
    await deliverNotice(notifier, DRIFT);
    expect(calls).toEqual([
      ['reconciliation', RECONCILIATION],
      ['drift', DRIFT],
    ]);
  });

  it('a notifier that fails makes the delivery fail (so the outbox retries it)', async () => {
    const { notifier } = recorder();
    notifier.drift = async () => {
      throw new Error('NOTIFIER_UNREACHABLE: Slack did not answer');
    };
    await expect(deliverNotice(notifier, DRIFT)).rejects.toThrow('NOTIFIER_UNREACHABLE');
    await expect(deliverNotice(notifier, RECONCILIATION)).resolves.toBeUndefined();
  });
});
