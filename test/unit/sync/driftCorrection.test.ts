// The correction of a hand edit (PURE, docs/drift-watch.md): the date rule (after the last hand
// edit, skipping dates the line has an adjustment on), the adopted edits, the encoder and the
// drift check accepting the line once the correction is done, and the coded refusals.
import { Decimal } from 'decimal.js';
import { DEFAULT_PICKLISTS } from '../../../src/autotask/entities.js';
import type { SnapshotUnitsRow } from '../../../src/sync/autotaskSnapshot.js';
import { customerDrift } from '../../../src/sync/customerDrift.js';
import { CORRECTION_CODES, correctDrift } from '../../../src/sync/driftCorrection.js';
import type { PushedOperation, SubscriptionEventInput } from '../../../src/sync/syncInputs.js';
import { adjustKey, lineKeyOf, type AdjustOperation } from '../../../src/sync/syncOperation.js';
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

const LINE = 501;
const KEY = lineKeyOf('sub-1', MONTHLY_CONTRACT, PREMIUM_MONTHLY_SERVICE, new Decimal('22'));
const adjust = (effectiveDate: string, unitChange: number, more: Partial<PushedOperation> = {}) =>
  ({
    key: adjustKey(KEY, effectiveDate),
    subscriptionId: 'sub-1',
    lineKey: KEY,
    kind: 'adjust',
    effectiveDate,
    unitChange,
    ...more,
  }) satisfies PushedOperation;
// the ledger: 5 from 01-05, 8 from 02-10 (the history below)
const PUSHED = [adjust('2026-01-05', 5), adjust('2026-02-10', 3)];
const HISTORY = [created('2026-01-05', 5), quantity('2026-02-10', 5, 8)];

const row = (startDate: string, endDate: string, units: number, posted = false): SnapshotUnitsRow => ({
  contractServiceId: LINE,
  contractID: MONTHLY_CONTRACT,
  serviceID: PREMIUM_MONTHLY_SERVICE,
  startDate,
  endDate,
  units,
  approveAndPostDate: posted ? '2026-03-06' : null,
});

function input(
  units: SnapshotUnitsRow[],
  pushed: PushedOperation[] = PUSHED,
  events: SubscriptionEventInput[] = HISTORY,
): CustomerValidationInput {
  return {
    customer: { id: CUSTOMER, name: 'Acme Corp', cutoverDate: null },
    asOf: '2026-05-01',
    subscriptions: [subscription({ quantity: 8 })],
    events,
    mapping: {
      targets: { ...TARGETS, contracts: { monthly: MONTHLY_CONTRACT, annual: null } },
      findings: [],
    },
    autotask: {
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
      services: [{ id: PREMIUM_MONTHLY_SERVICE, name: 'M365 Business Premium (monthly)', isActive: true }],
      contractServices: [{ id: LINE, contractID: MONTHLY_CONTRACT, serviceID: PREMIUM_MONTHLY_SERVICE }],
      units,
    },
    ledger: { pushed, knownLines: [{ lineKey: KEY, contractServiceId: LINE }] },
  };
}
const corrected = (i: CustomerValidationInput) => correctDrift(i, validateCustomer(i));
const codes = (i: CustomerValidationInput) => corrected(i).findings.map((f) => f.code);

describe('correctDrift', () => {
  // someone set the line to 10 from the 03-05 period on (+2)
  const edited = [
    row('2026-01-05', '2026-02-04', 5),
    row('2026-02-05', '2026-02-09', 5),
    row('2026-02-10', '2026-03-04', 8),
    row('2026-03-05', '2026-04-04', 10),
    row('2026-04-05', '2026-05-04', 10),
  ];

  it('plans one adjustment the day after the hand edit, back to the history, adopting the edit', () => {
    const plain = validateCustomer(input(edited));
    expect(plain.blocked).toBe(true);
    const result = corrected(input(edited));
    expect(result.blocked).toBe(false);
    expect(result.findings.map((f) => f.code)).toEqual(['DRIFT_CORRECTION']);
    expect(result.findings[0]!.message).toContain('on 2026-03-05 it has 10 units, the source history says 8');
    expect(result.encoded.operations).toEqual([
      expect.objectContaining({
        key: adjustKey(KEY, '2026-03-06'),
        effectiveDate: '2026-03-06',
        unitChange: -2,
        unitsAfter: 8,
        line: { mode: 'known', contractServiceId: LINE },
        adopts: [{ effectiveDate: '2026-03-05', unitChange: 2 }],
      }),
    ]);
  });

  it('once done, the drift check and the encoder accept the line: nothing to upload, no drift', () => {
    const op = corrected(input(edited)).encoded.operations[0] as AdjustOperation;
    const after = input(
      [
        ...edited.slice(0, 3),
        row('2026-03-05', '2026-03-05', 10),
        row('2026-03-06', '2026-04-04', 8),
        row('2026-04-05', '2026-05-04', 8),
      ],
      [...PUSHED, adjust(op.effectiveDate, op.unitChange, { adopts: op.adopts! })],
    );
    const validation = validateCustomer(after);
    expect(customerDrift(after, validation)).toEqual([]);
    expect(validation.findings.map((f) => f.code)).toEqual(['NOTHING_TO_UPLOAD']);
    // a later change of the history is planned as usual on top
    const grown = input(
      after.autotask.units as SnapshotUnitsRow[],
      after.ledger.pushed as PushedOperation[],
      [...HISTORY, quantity('2026-04-20', 8, 9)],
    );
    expect(validateCustomer(grown).encoded.operations).toEqual([
      expect.objectContaining({ effectiveDate: '2026-04-20', unitChange: 1, unitsAfter: 9 }),
    ]);
  });

  it('skips a date the line already has an adjustment on', () => {
    // +1 by hand on 02-09: the next day, 02-10, carries the ledger's own adjustment
    const units = [
      row('2026-01-05', '2026-02-04', 5),
      row('2026-02-05', '2026-02-08', 5),
      row('2026-02-09', '2026-02-09', 6),
      row('2026-02-10', '2026-03-04', 9),
      row('2026-03-05', '2026-04-04', 9),
    ];
    expect(corrected(input(units)).encoded.operations).toEqual([
      expect.objectContaining({ effectiveDate: '2026-02-11', unitChange: -1, unitsAfter: 8 }),
    ]);
  });

  it('a hand edit in a posted period: CORRECTION_PERIOD_POSTED, no operation', () => {
    const units = edited.map((r) => ({
      ...r,
      approveAndPostDate: r.startDate <= '2026-03-05' ? '2026-04-06' : null,
    }));
    const result = corrected(input(units));
    expect(result.blocked).toBe(true);
    expect(result.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['DRIFT', 'CORRECTION_PERIOD_POSTED']),
    );
    expect(result.encoded.operations).toEqual([]);
  });

  it('a history changed after its upload: CORRECTION_HISTORY_UNCLEAR', () => {
    expect(codes(input(edited, PUSHED, [created('2026-01-05', 6), quantity('2026-02-10', 6, 8)]))).toEqual(
      expect.arrayContaining(['HISTORY_INCONSISTENT', 'CORRECTION_HISTORY_UNCLEAR']),
    );
  });

  it('a line emptied in Autotask: CORRECTION_NOT_POSSIBLE', () => {
    expect(codes(input([]))).toContain('CORRECTION_NOT_POSSIBLE');
  });

  it('has a case for every code it reports', () => {
    expect([...CORRECTION_CODES].sort()).toEqual([
      'CORRECTION_HISTORY_UNCLEAR',
      'CORRECTION_NOT_POSSIBLE',
      'CORRECTION_PERIOD_POSTED',
      'DRIFT_CORRECTION',
    ]);
  });
});
