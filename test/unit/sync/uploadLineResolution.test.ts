import type { LedgerOperation } from '../../../src/sync/operationLedger.js';
import { operationProblem, type OperationProblemCode } from '../../../src/sync/operationProblem.js';
import {
  appliedInAutotask,
  knownLineId,
  needsUnknownRepeatLine,
  opensBeforeBaseLine,
} from '../../../src/sync/upload/lineResolution.js';

const op = (over: Partial<LedgerOperation>): LedgerOperation => ({
  id: 1n,
  runId: 'r',
  seq: 0,
  key: 'k',
  kind: 'adjust',
  customerId: 'c',
  subscriptionId: 's',
  productName: 'p',
  lineKey: 's|100|11|22',
  contractId: 100,
  serviceId: 11,
  effectiveDate: '2026-02-01',
  unitChange: 2,
  unitsAfter: 5,
  unitPrice: '22',
  billingCycle: 'monthly',
  line: { mode: 'base', contractServiceId: null },
  status: 'sending',
  attempts: 1,
  problem: null,
  contractServiceId: null,
  ...over,
});
const lines = [
  { contractServiceId: 7, contractId: 100, serviceId: 11 },
  { contractServiceId: 9, contractId: 100, serviceId: 11 },
];
const row = (contractServiceId: number, startDate: string, units: number, endDate = '2026-12-31') => ({
  contractServiceId,
  contractId: 100,
  serviceId: 11,
  startDate,
  endDate,
  units,
  approveAndPostDate: null,
});

describe('which line an operation addresses', () => {
  it('a base line is the oldest line of the service; a known or recorded line wins', () => {
    expect(knownLineId(op({}), lines, new Map())).toBe(7);
    expect(knownLineId(op({ line: { mode: 'known', contractServiceId: 9 } }), lines, new Map())).toBe(9);
    expect(knownLineId(op({}), lines, new Map([['s|100|11|22', 9]]))).toBe(9);
    expect(knownLineId(op({ line: { mode: 'repeat', opens: false } }), lines, new Map())).toBeNull();
  });

  it('holds back a repeat line whose id is unknown, or one opened before the base line', () => {
    const onRepeat = op({ line: { mode: 'repeat', opens: false } });
    expect(needsUnknownRepeatLine(onRepeat, new Map())).toBe(true);
    expect(needsUnknownRepeatLine(onRepeat, new Map([['s|100|11|22', 9]]))).toBe(false);
    const opening = op({ line: { mode: 'repeat', opens: true } });
    expect(opensBeforeBaseLine(opening, [])).toBe(true);
    expect(opensBeforeBaseLine(opening, lines)).toBe(false);
  });
});

describe('appliedInAutotask', () => {
  it('is applied when the units in force on the date are the target', () => {
    const view = { lines, rows: [row(7, '2026-01-01', 3, '2026-01-31'), row(7, '2026-02-01', 5)] };
    expect(appliedInAutotask(op({}), view, new Map(), new Set())).toEqual({
      applied: true,
      contractServiceId: 7,
    });
    expect(appliedInAutotask(op({ unitsAfter: 6 }), view, new Map(), new Set())).toEqual({ applied: false });
  });

  it('finds the repeat line an opening adjustment made: unclaimed, starting with its change', () => {
    const view = { lines, rows: [row(7, '2026-01-01', 3), row(9, '2026-02-01', 2)] };
    const opening = op({ line: { mode: 'repeat', opens: true }, lineKey: 's|100|11|21' });
    expect(appliedInAutotask(opening, view, new Map(), new Set([7]))).toEqual({
      applied: true,
      contractServiceId: 9,
    });
    expect(appliedInAutotask(opening, view, new Map(), new Set([7, 9]))).toEqual({ applied: false });
  });
});

describe('operation problems', () => {
  it('always carry a hint', () => {
    const codes: OperationProblemCode[] = ['DRIFT', 'OUTCOME_UNKNOWN', 'BASE_LINE_MISSING', 'LEDGER_MOVED'];
    for (const code of codes) expect(operationProblem(code, 'm').hint).not.toBe('');
  });
});
