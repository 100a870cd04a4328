// A command after parsing: what the person asked for, with its arguments read but not yet
// resolved (customer names are resolved by the router, against the database).
import type { MappingMode } from '../mapping/mappingMode.js';
import type { BillingCycle, ProbeRequest } from './chatServices.js';
import type { Role } from './roles.js';
import type { SourceName } from '../sources/sourceConnector.js';

export type ParsedCommand =
  | { name: 'help'; topic: string | null }
  | { name: 'test' }
  | {
      name: 'verify tenant';
      writeProbe: ProbeRequest | null;
      /** the identity of the admin who asked: only they may confirm (the confirmation card's button) */
      confirmedFor: string | null;
    }
  | { name: 'status' }
  | { name: 'customers'; filter: string | null }
  | { name: 'map'; customer: string; page: number }
  | { name: 'map company'; customer: string; company: string }
  | {
      name: 'map contract';
      customer: string;
      billingCycle: BillingCycle;
      contract: string;
      isDefault: boolean;
    }
  | {
      name: 'map product';
      customer: string;
      product: string;
      /** null: every billing cycle the customer has the product in */
      billingCycle: BillingCycle | null;
      service: string;
    }
  | { name: 'confirm'; suggestionId: string }
  | { name: 'confirm all'; customer: string }
  | { name: 'unmapped'; customer: string | null }
  | { name: 'mode'; mode: MappingMode }
  | { name: 'validate'; customer: string | 'all' }
  /** a validation that also plans corrections of hand edits (docs/drift-watch.md) */
  | { name: 'correct'; customer: string }
  | { name: 'upload'; target: string }
  | { name: 'approve'; runId: string }
  | { name: 'reject'; runId: string; reason: string | null }
  | { name: 'retry'; runId: string }
  | { name: 'explain'; customer: string; product: string; billingCycle: BillingCycle | null }
  | { name: 'reconcile'; customer: string | 'all'; month: string | null }
  | { name: 'runs'; customer: string | null }
  | { name: 'run'; runId: string; page: number }
  | { name: 'schedule'; customer: string | 'all'; cadence: string }
  | { name: 'schedules' }
  | { name: 'unschedule'; id: string }
  | { name: 'audit'; customer: string | null; since: string | null }
  | { name: 'notify here' }
  | { name: 'roles' }
  | { name: 'grant'; user: string; role: Role }
  | { name: 'revoke'; user: string; role: Role }
  | { name: 'sources' }
  | { name: 'source add' | 'source remove' | 'source test'; source: SourceName }
  | { name: 'source sync'; source: SourceName; customer: string | null };

/** A parse that failed: what was wrong, shown above the usage line and an example. */
export interface ParseProblem {
  problem: string;
}
