// The Autotask behaviours the bot assumes that no public source confirms (docs/tenant-verification.md):
// the sandbox implements one reading of each, and `verify-tenant --write-probe` observes them on a
// real tenant. `reliedOn` says whether the upload engine depends on the behaviour — a tenant whose
// facts contradict one of those is refused before anything is written; the others are recorded.

export type TenantBehaviourKey =
  | 'adjustmentAnswer'
  | 'repeatServicePost'
  | 'postedPeriodRefusal'
  | 'noUnitsBeforeFirstAdjustment'
  | 'splitRowEnd'
  | 'duplicateAdjustmentText'
  | 'outsideContractText';

export interface TenantBehaviour {
  key: TenantBehaviourKey;
  /** what the bot assumes, in a partner's words */
  expected: string;
  reliedOn: boolean;
  /** why it is (or is not) relied on */
  why: string;
}

export const TENANT_BEHAVIOURS: readonly TenantBehaviour[] = [
  {
    key: 'adjustmentAnswer',
    expected: 'an adjustment POST answers { itemId: null }',
    reliedOn: false,
    why: 'the client accepts an id or null; the units timeline, not the answer, proves an adjustment',
  },
  {
    key: 'repeatServicePost',
    expected: 'a second POST of the same service onto a contract is refused',
    reliedOn: true,
    why: 'a line creation sent again after an unknown outcome must not make a second line',
  },
  {
    key: 'postedPeriodRefusal',
    expected: 'an adjustment dated in an approved & posted period is refused',
    reliedOn: false,
    why: 'validate refuses posted periods itself before planning; the probe never writes into one',
  },
  {
    key: 'noUnitsBeforeFirstAdjustment',
    expected: 'a new line has no ContractServiceUnits rows before its first adjustment',
    reliedOn: true,
    why: 'the engine names the repeat lines it opened by a timeline starting on the opening date',
  },
  {
    key: 'splitRowEnd',
    expected: 'a units row split by an adjustment ends the day before the adjustment date',
    reliedOn: true,
    why: 'whether an unknown outcome arrived is read as the units in force on the effective date',
  },
  {
    key: 'duplicateAdjustmentText',
    expected:
      'a second adjustment of one line on one date is refused with "Attempt to insert duplicate data"',
    reliedOn: false,
    why: 'any refusal with an errors array is a business-rule failure; the wording is only shown',
  },
  {
    key: 'outsideContractText',
    expected:
      'an adjustment dated outside the contract is refused with "effectiveDate must be between the start date and end date"',
    reliedOn: false,
    why: 'validate refuses such dates before planning; the wording is only shown',
  },
];

export const tenantBehaviour = (key: TenantBehaviourKey): TenantBehaviour =>
  TENANT_BEHAVIOURS.find((b) => b.key === key)!;
