// The upload plan (PURE): the ordered operations of every customer that validated without
// errors, and a summary per customer — lines to create, adjustments, net unit change, change in
// monthly recurring revenue at sell price, estimated Autotask calls and time at the API budget.
import { Decimal } from 'decimal.js';
import type { SyncOperation } from './syncOperation.js';
import type { CustomerValidation } from './validateCustomer.js';
import type { Finding } from './validationFinding.js';

/** What the upload may use of Autotask: the partner's share of the hourly budget and concurrency. */
export interface ApiBudget {
  requestsPerHour: number;
  /** requests the executor keeps in flight */
  inFlight: number;
  /** typical round trip of one call */
  secondsPerCall: number;
}

export const PAGE_SIZE = 500;

export interface CustomerPlanSummary {
  customerId: string;
  customerName: string;
  blocked: boolean;
  linesToCreate: number;
  adjustments: number;
  netUnitChange: number;
  /** decimal string, 2 places, at sell price (annual price ÷ 12) */
  mrrChange: string;
  estimatedApiCalls: number;
  estimatedSeconds: number;
  findings: Finding[];
  skipped: { subscriptionId: string; reason: string }[];
}

export interface UploadPlan {
  planHash: string;
  operations: SyncOperation[];
  customers: CustomerPlanSummary[];
  estimatedApiCalls: number;
  estimatedSeconds: number;
}

/**
 * Calls an upload of `operations` makes: one per line creation and per adjustment, the batched
 * reads of lines and units (500 a page, `in` lists of up to 500), and one more read of both when
 * a change must address a repeat line opened by the same upload.
 */
export function estimateApiCalls(operations: readonly SyncOperation[], unitRows: number): number {
  if (operations.length === 0) return 0;
  const writes = operations.length;
  const contracts = new Set(operations.map((o) => o.contractId)).size;
  const lineReads = Math.ceil(contracts / PAGE_SIZE);
  const unitReads = Math.max(1, Math.ceil(unitRows / PAGE_SIZE));
  // a change on a repeat line opened in the same upload waits for one more batched read of
  // lines and units (one round covers every such line)
  const needsDiscovery = operations.some(
    (o) => o.kind === 'adjust' && o.line.mode === 'repeat' && !o.line.opens,
  )
    ? 2
    : 0;
  return writes + lineReads + unitReads + needsDiscovery;
}

export function estimateSeconds(calls: number, budget: ApiBudget): number {
  if (calls === 0) return 0;
  const byLatency = (calls * budget.secondsPerCall) / Math.max(1, budget.inFlight);
  const byBudget = (calls / Math.max(1, budget.requestsPerHour)) * 3600;
  return Math.ceil(Math.max(byLatency, byBudget));
}

export function monthlyValue(op: SyncOperation): Decimal {
  if (op.kind !== 'adjust') return new Decimal(0);
  const monthlyPrice = op.billingCycle === 'annual' ? op.unitPrice.div(12) : op.unitPrice;
  return monthlyPrice.mul(op.unitChange);
}

export function planUpload(
  validations: readonly CustomerValidation[],
  options: { planHash: string; budget: ApiBudget; unitRowsByCustomer?: ReadonlyMap<string, number> },
): UploadPlan {
  const customers: CustomerPlanSummary[] = [];
  const operations: SyncOperation[] = [];
  for (const v of validations) {
    const ops = v.blocked ? [] : v.encoded.operations;
    operations.push(...ops);
    const adjusts = ops.filter((o) => o.kind === 'adjust');
    const calls = estimateApiCalls(ops, options.unitRowsByCustomer?.get(v.customerId) ?? 0);
    customers.push({
      customerId: v.customerId,
      customerName: v.customerName,
      blocked: v.blocked,
      linesToCreate:
        ops.filter((o) => o.kind === 'create_line').length +
        adjusts.filter((o) => o.line.mode === 'repeat' && o.line.opens).length,
      adjustments: adjusts.length,
      netUnitChange: adjusts.reduce((sum, o) => sum + o.unitChange, 0),
      mrrChange: ops.reduce((sum, o) => sum.add(monthlyValue(o)), new Decimal(0)).toFixed(2),
      estimatedApiCalls: calls,
      estimatedSeconds: estimateSeconds(calls, options.budget),
      findings: v.findings,
      skipped: v.encoded.skipped,
    });
  }
  const totalRows = [...(options.unitRowsByCustomer?.values() ?? [])].reduce((a, b) => a + b, 0);
  const estimatedApiCalls = estimateApiCalls(operations, totalRows);
  return {
    planHash: options.planHash,
    operations,
    customers,
    estimatedApiCalls,
    estimatedSeconds: estimateSeconds(estimatedApiCalls, options.budget),
  };
}
