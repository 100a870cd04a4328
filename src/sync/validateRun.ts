// The validate use case: loads each customer's subscriptions and history, the mapping part's
// resolution, the Autotask state (read in batches for all customers at once) and the ledger;
// validates, plans and hashes; and records the run. The same computation, repeated later, gives
// the current plan hash that approval and upload compare against (stale plan detection).
import type { Actor } from '../audit/actor.js';
import { groupBy } from '../collections/groupBy.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { AutotaskSnapshot } from './autotaskSnapshot.js';
import { loadPushed } from './operationLedger.js';
import { planHash } from './planHash.js';
import { planUpload, type ApiBudget, type UploadPlan } from './planUpload.js';
import { recordValidation, runRefusal, startValidation, type RunOutcome } from './runStore.js';
import {
  SubscriptionEventInputSchema,
  SubscriptionInputSchema,
  type CustomerTargets,
  type SubscriptionEventInput,
  type SubscriptionInput,
} from './syncInputs.js';
import {
  validateCustomer,
  type CustomerValidation,
  type CustomerValidationInput,
} from './validateCustomer.js';
import type { Finding } from './validationFinding.js';
import { correctDrift } from './driftCorrection.js';
import { utcDateOf } from '../core/calendarDate.js';
import type { OnProgress } from '../core/progress.js';

export interface CustomerMapping {
  targets: CustomerTargets;
  findings: Finding[];
}

export interface ValidateDependencies {
  prisma: PrismaClient;
  /** the mapping part: where each customer goes in Autotask, and what it found */
  resolveMapping(customerIds: readonly string[]): Promise<Map<string, CustomerMapping>>;
  /** batched Autotask reads for all customers at once (readAutotaskSnapshots over the client) */
  readAutotask(
    requests: { customerId: string; targets: CustomerTargets }[],
  ): Promise<Map<string, AutotaskSnapshot>>;
  budget: ApiBudget;
  /**
   * HISTORY_INCONSISTENT findings per customer from the subscriptions part, over the rows just
   * read (events in stored order); they block like mapping findings
   */
  checkHistory?(
    loaded: { subscriptions: readonly SubscriptionInput[]; events: readonly SubscriptionEventInput[] },
    asOf: string,
  ): Map<string, Finding[]>;
  now?: () => Date;
}

export type PlanComputation =
  | {
      ok: true;
      plan: UploadPlan;
      validations: CustomerValidation[];
      /** what each validation read (reconciliation reads the same state) */
      inputs: CustomerValidationInput[];
    }
  | { ok: false; code: 'CUSTOMER_NOT_FOUND'; message: string };

/** What a validation plans besides the history: `correct` plans corrections of hand edits. */
export interface PlanOptions {
  correct?: boolean;
}

/**
 * Only the columns a schema reads (it drops the others anyway): 10,000 events come back without
 * their idempotency keys, sources and timestamps.
 */
const columnsOf = <Shape extends Record<string, unknown>>(schema: { shape: Shape }) =>
  Object.fromEntries(Object.keys(schema.shape).map((k) => [k, true])) as { [K in keyof Shape]: true };

/** onProgress: customers validated of all in scope (0 of n while their state is read) */
export async function computePlan(
  deps: ValidateDependencies,
  scope: string,
  onProgress?: OnProgress,
  options: PlanOptions = {},
): Promise<PlanComputation> {
  const { prisma } = deps;
  const asOf = utcDateOf(deps.now?.() ?? new Date());
  const customers = await prisma.customer.findMany({
    where: scope === 'all' ? {} : { OR: [{ id: scope }, { externalId: scope }] },
    orderBy: { name: 'asc' },
  });
  if (customers.length === 0 && scope !== 'all')
    return {
      ok: false,
      code: 'CUSTOMER_NOT_FOUND',
      message: `there is no customer ${scope} — list them with \`customers\`, or import subscriptions first`,
    };
  const ids = customers.map((c) => c.id);
  onProgress?.({ done: 0, total: ids.length });
  const unmapped: CustomerMapping = {
    targets: { companyId: null, contracts: { monthly: null, annual: null }, services: [] },
    findings: [],
  };
  // the Autotask reads need only the targets (history findings add findings, never targets): they
  // start once the mapping is resolved, while the events are still being read and checked
  const mappedAndRead = deps.resolveMapping(ids).then(async (mappings) => {
    const snapshots = await deps.readAutotask(
      ids.map((customerId) => ({ customerId, targets: (mappings.get(customerId) ?? unmapped).targets })),
    );
    return { mappings, snapshots };
  });
  const [subscriptionRows, eventRows, { mappings, snapshots }, ledger] = await Promise.all([
    prisma.subscription.findMany({
      where: { customerId: { in: ids } },
      orderBy: { id: 'asc' },
      select: columnsOf(SubscriptionInputSchema),
    }),
    prisma.subscriptionEvent.findMany({
      where: { subscription: { customerId: { in: ids } } },
      select: columnsOf(SubscriptionEventInputSchema),
      orderBy: [{ subscriptionId: 'asc' }, { effectiveDate: 'asc' }, { seq: 'asc' }],
    }),
    mappedAndRead,
    loadPushed(prisma, ids),
  ]);
  const subscriptions: SubscriptionInput[] = subscriptionRows.map((s) => SubscriptionInputSchema.parse(s));
  const customerOf = new Map(subscriptions.map((s) => [s.id, s.customerId]));
  const events: SubscriptionEventInput[] = eventRows.map((e) => SubscriptionEventInputSchema.parse(e));
  const history = deps.checkHistory?.({ subscriptions, events }, asOf) ?? new Map<string, Finding[]>();
  const mappingOf = (id: string): CustomerMapping => {
    const mapping = mappings.get(id) ?? unmapped;
    const inconsistent = history.get(id) ?? [];
    return inconsistent.length ? { ...mapping, findings: [...mapping.findings, ...inconsistent] } : mapping;
  };

  // grouped once (in their read order), not filtered per customer: 200 customers × 10,000 events
  const subscriptionsOf = groupBy(subscriptions, (s) => s.customerId);
  const eventsOf = groupBy(events, (e) => customerOf.get(e.subscriptionId));
  const pushedOf = groupBy(ledger.pushed, (p) => customerOf.get(p.subscriptionId));
  const knownLinesOf = groupBy(ledger.knownLines, (l) => l.customerId);
  const own = <T>(groups: Map<string, T[]>, customerId: string) => groups.get(customerId) ?? [];
  const inputs: CustomerValidationInput[] = customers.map((c) => ({
    customer: { id: c.id, name: c.name, cutoverDate: c.cutoverDate },
    asOf,
    subscriptions: own(subscriptionsOf, c.id),
    events: own(eventsOf, c.id),
    mapping: mappingOf(c.id),
    autotask: snapshots.get(c.id)!,
    ledger: { pushed: own(pushedOf, c.id), knownLines: own(knownLinesOf, c.id) },
  }));
  const validations = inputs.map((input, i) => {
    const validated = validateCustomer(input);
    // the plan hash is of the inputs alone, so a correction's plan stays fresh (docs/drift-watch.md)
    const validation = options.correct ? correctDrift(input, validated) : validated;
    onProgress?.({ done: i + 1, total: inputs.length });
    return validation;
  });
  const hash = planHash({ asOf, customers: inputs });
  const unitRowsByCustomer = new Map(inputs.map((i) => [i.customer.id, i.autotask.units.length]));
  return {
    ok: true,
    plan: planUpload(validations, { planHash: hash, budget: deps.budget, unitRowsByCustomer }),
    validations,
    inputs,
  };
}

/** `validate <customer>|all`: a new run, validated, with its plan stored. */
export async function validateRun(
  deps: ValidateDependencies,
  actor: Actor,
  scope: string,
  onProgress?: OnProgress,
  options: PlanOptions = {},
): Promise<{ outcome: RunOutcome; plan: UploadPlan | null }> {
  const computed = await computePlan(deps, scope, onProgress, options);
  if (!computed.ok) return { outcome: runRefusal('CUSTOMER_NOT_FOUND', computed.message), plan: null };
  const run = await startValidation(deps.prisma, actor, scope);
  const outcome = await recordValidation(deps.prisma, run.id, computed.plan, actor);
  return { outcome, plan: computed.plan };
}
