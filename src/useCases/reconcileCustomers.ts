// `reconcile <customer>|all [YYYY-MM]`: what Autotask billed for the billing periods starting in a
// month against what the source history says it should have (docs/reconciliation.md). Reads
// the same state a validation reads (history, ledger, mapping, contracts and units timeline)
// plus the posted BillingItems of the mapped contracts in one batched query; changes nothing.
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { isAutotaskError } from '../autotask/autotaskError.js';
import { BillingItemSchema } from '../autotask/entities.js';
import { addMonthsClamped, utcDateOf } from '../core/calendarDate.js';
import { problem, type Problem } from '../core/problem.js';
import { picklistPeriod, type PicklistPeriod } from '../mapping/picklistPeriod.js';
import { chooseBillingMonth } from '../reconciliation/billingMonth.js';
import {
  reconcileCustomer,
  type BilledItem,
  type ReconciledLine,
  type ReconcileLineInput,
  type SkippedLine,
} from '../reconciliation/reconcileCustomer.js';
import {
  buildReconciliationReport,
  type ReconciliationReport,
} from '../reconciliation/reconciliationReport.js';
import type { CustomerValidation, CustomerValidationInput } from '../sync/validateCustomer.js';
import { computePlan, type ValidateDependencies } from '../sync/validateRun.js';

export interface ReconcileDependencies {
  planning: ValidateDependencies;
  client: AutotaskClient;
  now?: () => Date;
}

export type ReconcileOutcome = { ok: true; report: ReconciliationReport } | { ok: false; problem: Problem };

const PERIOD_MONTHS: Record<PicklistPeriod, number> = { monthly: 1, quarterly: 3, semiAnnual: 6, yearly: 12 };

export async function reconcileCustomers(
  deps: ReconcileDependencies,
  request: { scope: string; scopeLabel: string; month: string | null },
): Promise<ReconcileOutcome> {
  const today = utcDateOf((deps.now ?? (() => new Date()))());
  const chosen = chooseBillingMonth(request.month, today);
  if (!chosen.ok) return chosen;
  const month = chosen.month;
  const computed = await computePlan(deps.planning, request.scope);
  if (!computed.ok)
    return { ok: false, problem: problem('CUSTOMER_UNKNOWN', computed.message, 'see `customers`') };

  const skipped: SkippedLine[] = [];
  const readable = computed.inputs.filter((input) => {
    if (input.autotask.connectivity.ok) return true;
    skipped.push({
      customerName: input.customer.name,
      productName: '(all)',
      reason: `Autotask could not be read: ${input.autotask.connectivity.message}`,
    });
    return false;
  });
  const contractIds = [...new Set(readable.flatMap((i) => i.autotask.contracts.map((c) => c.id)))];
  let billed: BilledItem[];
  try {
    billed = await readBilled(deps.client, contractIds, month.first, addMonthsClamped(month.last, 12));
  } catch (error) {
    if (!isAutotaskError(error)) throw error;
    return {
      ok: false,
      problem: problem(
        'AUTOTASK_UNREACHABLE',
        `Autotask's billing items could not be read: ${error.describe()}`,
        'run `test`, then reconcile again',
      ),
    };
  }

  const lines: ReconciledLine[] = [];
  for (const input of readable) {
    const validation = computed.validations.find((v) => v.customerId === input.customer.id)!;
    const lineInputs = reconcileLines(input, validation);
    if (lineInputs.length === 0) {
      if (input.subscriptions.length > 0)
        skipped.push({
          customerName: input.customer.name,
          productName: '(all)',
          reason: 'nothing of it is mapped to Autotask yet: see `map`',
        });
      continue;
    }
    const { picklists } = input.autotask;
    const reconciled = reconcileCustomer({
      customer: { id: input.customer.id, name: input.customer.name },
      month,
      contracts: input.autotask.contracts.map((c) => {
        const period = picklistPeriod(c.contractPeriodType, picklists.contractPeriodType);
        return {
          id: c.id,
          contractName: c.contractName,
          startDate: c.startDate,
          endDate: c.endDate,
          periodMonths: period ? PERIOD_MONTHS[period] : null,
        };
      }),
      lines: lineInputs,
      units: input.autotask.units,
      billed: billed.filter((b) => input.autotask.contracts.some((c) => c.id === b.contractID)),
    });
    lines.push(...reconciled.lines);
    skipped.push(...reconciled.skipped);
  }
  return {
    ok: true,
    report: buildReconciliationReport({
      month,
      scopeLabel: request.scopeLabel,
      // the customers with a reconciled line (the rest are listed as skipped)
      customers: new Set(lines.map((l) => l.customerId)).size,
      lines,
      skipped,
    }),
  };
}

/** The logical lines of a customer's history, with what was sent and what is still to send. */
function reconcileLines(
  input: CustomerValidationInput,
  validation: CustomerValidation,
): ReconcileLineInput[] {
  const productOf = new Map(input.subscriptions.map((s) => [s.id, s.productName]));
  return validation.encoded.lines.map((line) => ({
    lineKey: line.lineKey,
    productName: productOf.get(line.subscriptionId) ?? line.subscriptionId,
    contractId: line.contractId,
    serviceId: line.serviceId,
    unitPrice: line.unitPrice,
    contractServiceId:
      input.ledger.knownLines.find((k) => k.lineKey === line.lineKey)?.contractServiceId ?? null,
    pushed: input.ledger.pushed
      .filter((p) => p.kind === 'adjust' && p.lineKey === line.lineKey)
      .map((p) => ({ effectiveDate: p.effectiveDate, unitChange: p.unitChange })),
    pending: validation.encoded.operations.flatMap((o) =>
      o.kind === 'adjust' && o.lineKey === line.lineKey
        ? [{ effectiveDate: o.effectiveDate, unitChange: o.unitChange }]
        : [],
    ),
  }));
}

async function readBilled(
  client: AutotaskClient,
  contractIds: number[],
  from: string,
  to: string,
): Promise<BilledItem[]> {
  if (contractIds.length === 0) return [];
  const items = await client.queryIn('BillingItems', BillingItemSchema, 'contractID', contractIds, [
    { op: 'gte', field: 'itemDate', value: from },
    { op: 'lte', field: 'itemDate', value: to },
  ]);
  return items.flatMap((i) =>
    i.contractID !== null && i.serviceID !== null && i.extendedPrice !== null
      ? [{ contractID: i.contractID, serviceID: i.serviceID, itemDate: i.itemDate, amount: i.extendedPrice }]
      : [],
  );
}
