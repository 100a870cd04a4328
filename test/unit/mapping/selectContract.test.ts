// Contract rules (issue 4, "must show" 2; docs/billing-semantics.md §3). Picklist numbers are read from the
// tenant, so the tests use numbers unlike the usual defaults to prove nothing is hard-coded.
import type { AutotaskPicklists, Contract } from '../../../src/autotask/entities.js';
import { selectContract, type ContractContext } from '../../../src/mapping/selectContract.js';

const picklists: AutotaskPicklists = {
  contractType: { recurringService: 70 },
  contractPeriodType: { monthly: 20, quarterly: 30, semiAnnual: 40, yearly: 50 },
  contractStatus: { active: 10 },
  servicePeriodType: { monthly: 21, quarterly: 31, semiAnnual: 41, yearly: 51 },
};

let nextId = 100;
function contract(overrides: Partial<Contract> = {}): Contract {
  return {
    id: nextId++,
    companyID: 1,
    contractName: `Contract ${nextId}`,
    contractType: 70,
    contractPeriodType: 20,
    status: 10,
    startDate: '2026-01-01',
    endDate: '2027-12-31',
    ...overrides,
  };
}

const monthly: ContractContext = { customerName: 'Acme', cycle: 'monthly', picklists, today: '2026-11-25' };
const annual: ContractContext = { ...monthly, cycle: 'annual' };

describe('selectContract', () => {
  it('chooses the one monthly Recurring Service contract', () => {
    const only = contract();
    const result = selectContract([only, contract({ contractPeriodType: 50 })], null, monthly);
    expect(result).toEqual({ ok: true, contract: only, via: 'only-candidate' });
  });

  it('chooses the one yearly contract for annual subscriptions', () => {
    const yearly = contract({ contractPeriodType: 50 });
    expect(selectContract([contract(), yearly], null, annual)).toMatchObject({ ok: true, contract: yearly });
  });

  it('two monthly contracts without a default → CONTRACT_AMBIGUOUS with what to do', () => {
    const a = contract();
    const b = contract();
    const result = selectContract([a, b], null, monthly);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.finding.code).toBe('CONTRACT_AMBIGUOUS');
    expect(result.finding.message).toContain(String(a.id));
    expect(result.finding.message).toContain(String(b.id));
    expect(result.finding.hint).toBe(
      `choose one of ${a.id}, ${b.id}: map Acme contract monthly ${a.id} default`,
    );
  });

  it('without our default, the one marked default in Autotask breaks a tie; two marked stay ambiguous', () => {
    const a = contract();
    const b = contract({ isDefaultContract: true });
    expect(selectContract([a, b], null, monthly)).toEqual({ ok: true, contract: b, via: 'autotask-default' });
    const c = contract({ isDefaultContract: true });
    expect(selectContract([a, b, c], null, monthly)).toMatchObject({
      ok: false,
      finding: { code: 'CONTRACT_AMBIGUOUS' },
    });
    // a quarterly contract marked default in Autotask is still never offered
    const q = contract({ contractPeriodType: 30, isDefaultContract: true });
    expect(selectContract([a, q], null, monthly)).toEqual({ ok: true, contract: a, via: 'only-candidate' });
  });

  it('the default wins when several are eligible', () => {
    const a = contract();
    const b = contract();
    expect(selectContract([a, b], b.id, monthly)).toEqual({ ok: true, contract: b, via: 'default' });
  });

  it('never offers quarterly, semi-annual, expired, inactive or non-recurring contracts', () => {
    const never = [
      contract({ contractPeriodType: 30 }),
      contract({ contractPeriodType: 40 }),
      contract({ endDate: '2026-11-24' }),
      contract({ status: 11 }),
      contract({ contractType: 1 }),
      contract({ contractPeriodType: null }),
    ];
    const result = selectContract(never, null, monthly);
    expect(result).toMatchObject({ ok: false, candidates: [], finding: { code: 'CONTRACT_MISSING' } });
    // and for annual subscriptions the monthly ones are not offered either
    expect(selectContract([contract()], null, annual)).toMatchObject({
      ok: false,
      finding: { code: 'CONTRACT_MISSING' },
    });
  });

  it('a default that became unusable is reported with its own code, not silently replaced', () => {
    const cases: Array<[Partial<Contract>, string]> = [
      [{ contractPeriodType: 30 }, 'CONTRACT_PERIOD_UNSUPPORTED'],
      [{ contractType: 1 }, 'CONTRACT_NOT_RECURRING'],
      [{ endDate: '2026-01-31' }, 'CONTRACT_EXPIRED'],
      [{ status: 11 }, 'CONTRACT_INACTIVE'],
    ];
    for (const [change, code] of cases) {
      const broken = contract(change);
      const result = selectContract([broken, contract()], broken.id, monthly);
      expect(result).toMatchObject({ ok: false, finding: { code } });
    }
    expect(selectContract([contract()], 999_999, monthly)).toMatchObject({
      ok: false,
      finding: { code: 'CONTRACT_MISSING' },
    });
  });

  it('a contract ending today is still current', () => {
    const endsToday = contract({ endDate: '2026-11-25' });
    expect(selectContract([endsToday], null, monthly)).toMatchObject({ ok: true, contract: endsToday });
  });
});
