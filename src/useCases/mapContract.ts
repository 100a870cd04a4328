// `map <customer> contract monthly|annual <contract id> [default]`: the id is checked before the
// mapping part looks the contract up in Autotask.
import type { Actor } from '../audit/actor.js';
import type { BillingCycle } from '../core/billingCycle.js';
import { mapContract as mapContractById } from '../mapping/mapContract.js';
import type { MappingChange } from '../mapping/mappingChange.js';
import type { MappingDeps } from '../mapping/mappingDeps.js';
import { refusal } from '../mapping/mappingFinding.js';

export async function mapContract(
  mapping: MappingDeps,
  input: { customerId: string; billingCycle: BillingCycle; contract: string; isDefault: boolean },
  actor: Actor,
): Promise<MappingChange> {
  const typed = input.contract.trim();
  if (!/^\d{1,9}$/.test(typed))
    return refusal(
      'INVALID_INPUT',
      `"${input.contract.slice(0, 60)}" is not a contract id`,
      `give the Autotask contract id, e.g. map <customer> contract ${input.billingCycle} 500 — the mapping card lists the candidates`,
    );
  const { customerId, billingCycle, isDefault } = input;
  return mapContractById(mapping, { customerId, billingCycle, contractId: Number(typed), isDefault }, actor);
}
