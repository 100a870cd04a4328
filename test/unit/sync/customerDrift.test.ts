// The drift watch's comparison: Autotask's units rows of each known line against the units the
// ledger's done adjustments put in force, and the fingerprint that changes only when the drift does.
import { Decimal } from 'decimal.js';
import { DEFAULT_PICKLISTS } from '../../../src/autotask/entities.js';
import type { AutotaskSnapshot, SnapshotUnitsRow } from '../../../src/sync/autotaskSnapshot.js';
import { customerDrift, driftFingerprint, type DriftedLine } from '../../../src/sync/customerDrift.js';
import type { EncodedHistory, PlannedLine } from '../../../src/sync/encodeHistory.js';
import type { KnownLine, PushedOperation } from '../../../src/sync/syncInputs.js';
import { adjustKey, lineKeyOf } from '../../../src/sync/syncOperation.js';
import { validateCustomer, type CustomerValidationInput } from '../../../src/sync/validateCustomer.js';
import {
  CUSTOMER,
  MONTHLY_CONTRACT,
  PREMIUM_MONTHLY_SERVICE,
  TARGETS,
  created,
  quantity,
  subscription,
} from '../../helpers/syncFixtures.js';

const PREMIUM = 'Microsoft 365 Business Premium';
const EXCHANGE = 'Exchange Online (Plan 1)';
const EXCHANGE_SERVICE = 21;
const PREMIUM_LINE = 501;
const EXCHANGE_LINE = 502;

const PREMIUM_KEY = lineKeyOf('sub-1', MONTHLY_CONTRACT, PREMIUM_MONTHLY_SERVICE, new Decimal('22'));
const EXCHANGE_KEY = lineKeyOf('sub-2', MONTHLY_CONTRACT, EXCHANGE_SERVICE, new Decimal('4'));

const adjust = (lineKey: string, subscriptionId: string, effectiveDate: string, unitChange: number) =>
  ({
    key: adjustKey(lineKey, effectiveDate),
    subscriptionId,
    lineKey,
    kind: 'adjust',
    effectiveDate,
    unitChange,
  }) satisfies PushedOperation;

const createLine = (lineKey: string, subscriptionId: string, effectiveDate: string): PushedOperation => ({
  key: `create:${lineKey}`,
  subscriptionId,
  lineKey,
  kind: 'create_line',
  effectiveDate,
  unitChange: 0,
});

// Premium: +5 on 2026-01-05, +3 on 2026-02-10 → the ledger says 5 from 01-05, 8 from 02-10.
const PREMIUM_PUSHED = [
  createLine(PREMIUM_KEY, 'sub-1', '2026-01-05'),
  adjust(PREMIUM_KEY, 'sub-1', '2026-01-05', 5),
  adjust(PREMIUM_KEY, 'sub-1', '2026-02-10', 3),
];
// Exchange: +4 on 2026-01-05 → 4 from then on.
const EXCHANGE_PUSHED = [
  createLine(EXCHANGE_KEY, 'sub-2', '2026-01-05'),
  adjust(EXCHANGE_KEY, 'sub-2', '2026-01-05', 4),
];

const row = (
  contractServiceId: number,
  startDate: string,
  endDate: string,
  units: number,
  serviceID = PREMIUM_MONTHLY_SERVICE,
): SnapshotUnitsRow => ({
  contractServiceId,
  contractID: MONTHLY_CONTRACT,
  serviceID,
  startDate,
  endDate,
  units,
});

type Five = [number, number, number, number, number];
/**
 * Premium's timeline as Autotask keeps it: monthly billing periods from the 5th, the February one
 * split at the 02-10 adjustment. The ledger's units on each start: 5, 5, 8, 8, 8.
 */
const premiumRows = (units: Five = [5, 5, 8, 8, 8]) => [
  row(PREMIUM_LINE, '2026-01-05', '2026-02-04', units[0]),
  row(PREMIUM_LINE, '2026-02-05', '2026-02-09', units[1]),
  row(PREMIUM_LINE, '2026-02-10', '2026-03-04', units[2]),
  row(PREMIUM_LINE, '2026-03-05', '2026-04-04', units[3]),
  row(PREMIUM_LINE, '2026-04-05', '2026-05-04', units[4]),
];
const exchangeRows = (units = 4) => [
  row(EXCHANGE_LINE, '2026-01-05', '2026-02-04', units, EXCHANGE_SERVICE),
  row(EXCHANGE_LINE, '2026-02-05', '2026-03-04', units, EXCHANGE_SERVICE),
];

function snapshot(units: SnapshotUnitsRow[]): AutotaskSnapshot {
  return {
    connectivity: { ok: true },
    picklists: DEFAULT_PICKLISTS,
    companies: [{ id: 1, companyName: 'Acme Corporation', isActive: true }],
    contracts: [
      {
        id: MONTHLY_CONTRACT,
        companyID: 1,
        contractName: 'Acme monthly',
        contractType: 7,
        contractPeriodType: 2,
        status: 1,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
      },
    ],
    services: [
      { id: PREMIUM_MONTHLY_SERVICE, name: 'M365 Business Premium (monthly)', isActive: true },
      { id: EXCHANGE_SERVICE, name: 'Exchange Online (monthly)', isActive: true },
    ],
    contractServices: [
      { id: PREMIUM_LINE, contractID: MONTHLY_CONTRACT, serviceID: PREMIUM_MONTHLY_SERVICE },
      { id: EXCHANGE_LINE, contractID: MONTHLY_CONTRACT, serviceID: EXCHANGE_SERVICE },
    ],
    units,
  };
}

function input(
  units: SnapshotUnitsRow[],
  ledger: { pushed: PushedOperation[]; knownLines: KnownLine[] } = {
    pushed: PREMIUM_PUSHED,
    knownLines: [{ lineKey: PREMIUM_KEY, contractServiceId: PREMIUM_LINE }],
  },
): CustomerValidationInput {
  return {
    customer: { id: CUSTOMER, name: 'Acme Corp', cutoverDate: null },
    asOf: '2026-05-01',
    subscriptions: [
      subscription({ quantity: 8 }),
      subscription({ id: 'sub-2', productName: EXCHANGE, quantity: 4, unitPrice: new Decimal('4') }),
    ],
    events: [created('2026-01-05', 5), quantity('2026-02-10', 5, 8), created('2026-01-05', 4, 'sub-2', '4')],
    mapping: {
      targets: {
        ...TARGETS,
        services: [
          ...TARGETS.services,
          { productName: EXCHANGE, billingCycle: 'monthly', serviceId: EXCHANGE_SERVICE },
        ],
      },
      findings: [],
    },
    autotask: snapshot(units),
    ledger,
  };
}

const planned = (lineKey: string, subscriptionId: string, serviceId: number, price: string): PlannedLine => ({
  lineKey,
  subscriptionId,
  contractId: MONTHLY_CONTRACT,
  serviceId,
  unitPrice: new Decimal(price),
  billingCycle: 'monthly',
});
const encoded = (...lines: PlannedLine[]): { encoded: EncodedHistory } => ({
  encoded: { operations: [], findings: [], skipped: [], lines },
});
const PREMIUM_PLANNED = planned(PREMIUM_KEY, 'sub-1', PREMIUM_MONTHLY_SERVICE, '22');
const EXCHANGE_PLANNED = planned(EXCHANGE_KEY, 'sub-2', EXCHANGE_SERVICE, '4');
const BOTH = encoded(PREMIUM_PLANNED, EXCHANGE_PLANNED);

const BOTH_KNOWN = {
  pushed: [...PREMIUM_PUSHED, ...EXCHANGE_PUSHED],
  knownLines: [
    { lineKey: PREMIUM_KEY, contractServiceId: PREMIUM_LINE },
    { lineKey: EXCHANGE_KEY, contractServiceId: EXCHANGE_LINE },
  ],
};

describe('customerDrift', () => {
  it('finds nothing when every units row carries what the ledger put in force on its start', () => {
    // 01-05: 5 = 5; 02-05: 5 (only +5 so far) = 5; 02-10: 5+3 = 8; 03-05 and 04-05: 8 = 8
    expect(customerDrift(input(premiumRows()), BOTH)).toEqual([]);
    expect(customerDrift(input([...premiumRows(), ...exchangeRows()], BOTH_KNOWN), BOTH)).toEqual([]);
  });

  it('the encoding validateCustomer makes reaches the known line (the keys agree)', () => {
    const clean = input(premiumRows());
    const validation = validateCustomer(clean);
    expect(validation.encoded.lines.map((l) => l.lineKey)).toContain(PREMIUM_KEY);
    expect(customerDrift(clean, validation)).toEqual([]);
    // someone set 10 from 2026-03-05: the real encoding judges it too
    const edited = input(premiumRows([5, 5, 8, 10, 10]));
    expect(customerDrift(edited, validateCustomer(edited)).map((l) => l.since)).toEqual(['2026-03-05']);
  });

  it('a hand edit of +2 from 2026-03-05 is one drifted line since that date, naming both counts', () => {
    // the ledger says 8 from 02-10; Autotask has 8 + 2 = 10 on the 03-05 and 04-05 periods
    const drift = customerDrift(input(premiumRows([5, 5, 8, 10, 10])), BOTH);
    expect(drift).toEqual([
      {
        lineKey: PREMIUM_KEY,
        contractServiceId: PREMIUM_LINE,
        productName: PREMIUM,
        billingCycle: 'monthly',
        since: '2026-03-05',
        detail:
          'on 2026-03-05 Autotask has 10 units, this system pushed 8; on 2026-04-05 Autotask has 10 units, this system pushed 8',
        points: [
          { date: '2026-03-05', autotask: 10, ledger: 8 },
          { date: '2026-04-05', autotask: 10, ledger: 8 },
        ],
      },
    ]);
  });

  it('does not judge a known line the ledger sent no adjustment for', () => {
    // Exchange: only its create_line is done, so no units were ever sent; Autotask's 4 is no verdict
    const ledger = {
      pushed: [...PREMIUM_PUSHED, createLine(EXCHANGE_KEY, 'sub-2', '2026-01-05')],
      knownLines: BOTH_KNOWN.knownLines,
    };
    expect(customerDrift(input([...premiumRows(), ...exchangeRows(4)], ledger), BOTH)).toEqual([]);
    // the same rows with the +4 adjustment done would match too, and with +3 done they drift
    const threeSent = {
      pushed: [...PREMIUM_PUSHED, adjust(EXCHANGE_KEY, 'sub-2', '2026-01-05', 3)],
      knownLines: BOTH_KNOWN.knownLines,
    };
    expect(
      customerDrift(input([...premiumRows(), ...exchangeRows(4)], threeSent), BOTH).map((l) => l.lineKey),
    ).toEqual([EXCHANGE_KEY]);
  });

  it('skips a known line the current encoding does not have', () => {
    // Exchange drifts (5 in Autotask, 4 sent) but the encoding has only Premium: not read, no verdict
    const units = [...premiumRows(), ...exchangeRows(5)];
    expect(customerDrift(input(units, BOTH_KNOWN), encoded(PREMIUM_PLANNED))).toEqual([]);
    expect(customerDrift(input(units, BOTH_KNOWN), BOTH).map((l) => l.contractServiceId)).toEqual([
      EXCHANGE_LINE,
    ]);
  });

  it('sorts the drifted lines by product name, whatever order the ledger knows them in', () => {
    // knownLines list Premium first; "Exchange…" < "Microsoft…"
    const drift = customerDrift(
      input([...premiumRows([5, 5, 8, 9, 9]), ...exchangeRows(6)], BOTH_KNOWN),
      BOTH,
    );
    expect(drift.map((l) => [l.productName, l.since])).toEqual([
      [EXCHANGE, '2026-01-05'],
      [PREMIUM, '2026-03-05'],
    ]);
    expect(drift[0]!.points[0]).toEqual({ date: '2026-01-05', autotask: 6, ledger: 4 });
  });

  it('names the line by its key when the subscription is gone', () => {
    const i = input(premiumRows([5, 5, 8, 10, 10]));
    const drift = customerDrift({ ...i, subscriptions: [] }, BOTH);
    expect(drift.map((l) => l.productName)).toEqual([PREMIUM_KEY]);
  });
});

describe('driftFingerprint', () => {
  const drifted = (units: Five) => customerDrift(input(premiumRows(units)), BOTH);
  const fingerprint = (units: Five) => driftFingerprint(drifted(units));

  it('is the same for the same drift, and a short hex name', () => {
    expect(fingerprint([5, 5, 8, 10, 10])).toBe(fingerprint([5, 5, 8, 10, 10]));
    expect(fingerprint([5, 5, 8, 10, 10])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not change when a later billing period carries the same difference', () => {
    // +2 from 03-05 only (04-05 not billed yet) against +2 on both: the steps are "03-05:+2" each time
    const before = customerDrift(input(premiumRows([5, 5, 8, 10, 10]).slice(0, 4)), BOTH);
    expect(before.map((l) => l.points.length)).toEqual([1]);
    const after = drifted([5, 5, 8, 10, 10]);
    expect(after.map((l) => l.points.length)).toEqual([2]);
    expect(driftFingerprint(after)).toBe(driftFingerprint(before));
  });

  it('changes when the difference changes on a later period', () => {
    // 03-05: 10 − 8 = +2, then 04-05: 11 − 8 = +3 — a new step
    expect(fingerprint([5, 5, 8, 10, 11])).not.toBe(fingerprint([5, 5, 8, 10, 10]));
  });

  it('changes when the same difference starts on another date', () => {
    // +2 from 02-10 (10 vs 8 on 02-10, 03-05 and 04-05) against +2 from 03-05
    const earlier = drifted([5, 5, 10, 10, 10]);
    expect(earlier[0]!.since).toBe('2026-02-10');
    expect(driftFingerprint(earlier)).not.toBe(fingerprint([5, 5, 8, 10, 10]));
  });

  it('changes when the same difference is on another line', () => {
    const line = drifted([5, 5, 8, 10, 10]);
    const moved: DriftedLine[] = line.map((l) => ({ ...l, contractServiceId: 999 }));
    expect(driftFingerprint(moved)).not.toBe(driftFingerprint(line));
  });

  it('does not depend on the order of the lines or their points', () => {
    const lines = customerDrift(
      input([...premiumRows([5, 5, 8, 9, 9]), ...exchangeRows(6)], BOTH_KNOWN),
      BOTH,
    );
    expect(lines).toHaveLength(2);
    const shuffled = [...lines].reverse().map((l) => ({ ...l, points: [...l.points].reverse() }));
    expect(driftFingerprint(shuffled)).toBe(driftFingerprint(lines));
    // no drift at all has one name too, unlike any drift
    expect(driftFingerprint([])).not.toBe(driftFingerprint(lines));
  });
});
