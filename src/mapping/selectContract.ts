// Which Autotask contract a customer's subscriptions of one billing cycle go to
// (docs/billing-semantics.md §3): only active Recurring Service contracts whose period matches the cycle
// (monthly → monthly, annual → yearly) and that have not ended; exactly one such contract, or the
// one marked default for the customer and cycle. Picklist numbers come from the tenant.
import type { AutotaskPicklists, Contract } from '../autotask/entities.js';
import type { BillingCycle } from '../core/billingCycle.js';
import { finding, type MappingFinding } from './mappingFinding.js';
import { picklistPeriod, type PicklistPeriod } from './picklistPeriod.js';

/** The contract period a cycle needs, as stored in mapping_customer_contract.contract_period. */
export function periodFor(cycle: BillingCycle): 'monthly' | 'yearly' {
  return cycle === 'monthly' ? 'monthly' : 'yearly';
}

const CONTRACT_PERIOD_LABELS: Record<PicklistPeriod, string> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  semiAnnual: 'semi-annual',
  yearly: 'yearly',
};

export function periodLabel(contract: Contract, picklists: AutotaskPicklists): string {
  const period = picklistPeriod(contract.contractPeriodType, picklists.contractPeriodType);
  return period ? CONTRACT_PERIOD_LABELS[period] : `period type ${contract.contractPeriodType ?? 'unset'}`;
}

export interface ContractContext {
  customerId?: string;
  customerName: string;
  cycle: BillingCycle;
  picklists: AutotaskPicklists;
  /** YYYY-MM-DD: contracts that ended before it are never offered */
  today: string;
}

/** Why a contract cannot take this cycle's subscriptions, or null when it can. */
export function contractProblem(contract: Contract, ctx: ContractContext): MappingFinding | null {
  const about = { customerId: ctx.customerId, billingCycle: ctx.cycle };
  const name = `contract ${contract.id} "${contract.contractName}"`;
  if (contract.contractType !== ctx.picklists.contractType.recurringService)
    return finding(
      'CONTRACT_NOT_RECURRING',
      `${name} is not a Recurring Service contract`,
      `map ${ctx.customerName} to a Recurring Service contract with a ${periodFor(ctx.cycle)} period`,
      about,
    );
  const period = periodLabel(contract, ctx.picklists);
  if (period !== periodFor(ctx.cycle))
    return finding(
      'CONTRACT_PERIOD_UNSUPPORTED',
      `${name} has a ${period} period; ${ctx.cycle} subscriptions need a ${periodFor(ctx.cycle)} contract`,
      `use a ${periodFor(ctx.cycle)} Recurring Service contract (quarterly and semi-annual contracts are not supported)`,
      about,
    );
  if (contract.status !== ctx.picklists.contractStatus.active)
    return finding(
      'CONTRACT_INACTIVE',
      `${name} is not active`,
      `activate it in Autotask or map another ${periodFor(ctx.cycle)} contract`,
      about,
    );
  if (contract.endDate < ctx.today)
    return finding(
      'CONTRACT_EXPIRED',
      `${name} ended on ${contract.endDate}`,
      `extend the contract end date in Autotask or map a current ${periodFor(ctx.cycle)} contract`,
      about,
    );
  return null;
}

export type ContractVia = 'default' | 'only-candidate' | 'autotask-default';

export type ContractSelection =
  | { ok: true; contract: Contract; via: ContractVia }
  | { ok: false; finding: MappingFinding; candidates: Contract[] };

/**
 * `contracts` are the mapped company's contracts; `defaultContractId` the default a person stored
 * for this customer and cycle (or null). Order: that default; else the only eligible contract;
 * else, among several eligible ones, the one the partner marked default in Autotask
 * (isDefaultContract, one per company) — a choice a person made in Autotask, so it breaks the tie;
 * else CONTRACT_AMBIGUOUS.
 */
export function selectContract(
  contracts: readonly Contract[],
  defaultContractId: number | null,
  ctx: ContractContext,
): ContractSelection {
  const about = { customerId: ctx.customerId, billingCycle: ctx.cycle };
  const candidates = contracts.filter((c) => contractProblem(c, ctx) === null);
  if (defaultContractId !== null) {
    const chosen = contracts.find((c) => c.id === defaultContractId);
    if (!chosen)
      return {
        ok: false,
        candidates,
        finding: finding(
          'CONTRACT_MISSING',
          `the default ${ctx.cycle} contract ${defaultContractId} of ${ctx.customerName} is not among the company's contracts in Autotask`,
          `map another: map ${ctx.customerName} contract ${ctx.cycle} <id> default`,
          about,
        ),
      };
    const problem = contractProblem(chosen, ctx);
    return problem
      ? { ok: false, finding: problem, candidates }
      : { ok: true, contract: chosen, via: 'default' };
  }
  if (candidates.length === 1) return { ok: true, contract: candidates[0]!, via: 'only-candidate' };
  if (candidates.length === 0)
    return {
      ok: false,
      candidates,
      finding: finding(
        'CONTRACT_MISSING',
        `${ctx.customerName} has no active Recurring Service contract with a ${periodFor(ctx.cycle)} period for its ${ctx.cycle} subscriptions`,
        `create one in Autotask, then map it: map ${ctx.customerName} contract ${ctx.cycle} <id>`,
        about,
      ),
    };
  const markedInAutotask = candidates.filter((c) => c.isDefaultContract === true);
  if (markedInAutotask.length === 1)
    return { ok: true, contract: markedInAutotask[0]!, via: 'autotask-default' };
  const list = candidates.map((c) => `${c.id} "${c.contractName}"`).join(', ');
  return {
    ok: false,
    candidates,
    finding: finding(
      'CONTRACT_AMBIGUOUS',
      `${ctx.customerName} has ${candidates.length} ${periodFor(ctx.cycle)} Recurring Service contracts (${list}) and none is the default`,
      // a command the person can paste, with the ids they choose between
      `choose one of ${candidates.map((c) => c.id).join(', ')}: map ${ctx.customerName} contract ${ctx.cycle} ${candidates[0]!.id} default`,
      about,
    ),
  };
}
