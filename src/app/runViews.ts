// Sync runs as chat shows them: the sync part's run rows, plan and ledger turned into the
// RunSummary / RunDetail / ValidationResult shapes of the ChatServices port.
import { Decimal } from 'decimal.js';
import type {
  CustomerValidationSummary,
  RunDetail,
  RunOperationView,
  ChatRunState,
  RunSummary,
  ValidationIssue,
  ValidationResult,
  ExplainableProduct,
} from '../chat/chatServices.js';
import type { Db } from '../db/prismaClient.js';
import { storedProblem } from '../sync/operationLedger.js';
import type { CustomerPlanSummary } from '../sync/planUpload.js';
import type { Finding } from '../sync/validationFinding.js';

const CHAT_STATE: Record<string, ChatRunState> = {
  validating: 'validated',
  validated_clean: 'validated',
  validated_with_errors: 'validated',
  upload_requested: 'awaiting_approval',
  approved: 'approved',
  rejected: 'rejected',
  // chat has no "expired": it reads as a decision nobody made in time
  expired: 'rejected',
  uploading: 'uploading',
  succeeded: 'succeeded',
  partially_failed: 'partially_failed',
  failed: 'failed',
};

interface StoredPlan {
  customers: CustomerPlanSummary[];
}

export function planOf(plan: unknown): StoredPlan {
  const customers = (plan as { customers?: unknown } | null)?.customers;
  return { customers: Array.isArray(customers) ? (customers as CustomerPlanSummary[]) : [] };
}

export function issuesOf(customers: readonly CustomerPlanSummary[]): ValidationIssue[] {
  return customers.flatMap((c) =>
    c.findings
      .filter((f): f is Finding & { severity: 'error' | 'warning' } => f.severity !== 'info')
      .map((f) => ({
        customerName: c.customerName,
        subscription: f.subscriptionId ?? null,
        severity: f.severity,
        error: { code: f.code, message: f.message, hint: f.hint },
      })),
  );
}

function changesOf(customers: readonly CustomerPlanSummary[]): string[] {
  return customers
    .filter((c) => !c.blocked && c.linesToCreate + c.adjustments > 0)
    .map(
      (c) =>
        `${c.customerName}: ${c.linesToCreate} new lines, ${c.adjustments} adjustments, net ${c.netUnitChange >= 0 ? '+' : ''}${c.netUnitChange} units, monthly ${new Decimal(c.mrrChange).gte(0) ? '+' : ''}${c.mrrChange}`,
    );
}

export async function runSummary(db: Db, runId: string): Promise<RunSummary | null> {
  const row = await db.syncRun.findUnique({
    where: { id: runId },
    include: { decisions: { orderBy: { at: 'desc' }, take: 1 } },
  });
  if (!row) return null;
  const counts = await db.syncOperationRecord.groupBy({
    by: ['status'],
    where: { runId },
    _count: { _all: true },
  });
  const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
  const total = counts.reduce((sum, c) => sum + c._count._all, 0);
  const finished = count('done') + count('skipped') + count('failed');
  const plan = planOf(row.plan);
  const customers = plan.customers;
  const state = CHAT_STATE[row.state] ?? 'failed';
  const uploaded = ['uploading', 'succeeded', 'partially_failed', 'failed'].includes(row.state);
  const ended = ['succeeded', 'partially_failed', 'failed'].includes(row.state);
  return {
    runId: row.id,
    customerIds: row.scope === 'all' ? customers.map((c) => c.customerId) : [row.scope],
    customerNames: customers.map((c) => c.customerName),
    state,
    operations: total,
    changes: changesOf(customers),
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    validatedAt: row.createdAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    rejectReason:
      row.state === 'expired' ? 'expired before it was decided' : (row.decisions[0]?.reason ?? null),
    progress: uploaded ? { done: finished, total } : null,
    outcome: ended ? { succeeded: count('done') + count('skipped'), failed: count('failed') } : null,
  };
}

const OPERATION_STATE: Record<string, RunOperationView['state']> = {
  planned: 'pending',
  sending: 'pending',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

/** The subscriptions a run touches or reports on, issues first (where a person looks first). */
async function explainableOf(
  db: Db,
  runId: string,
  issues: readonly ValidationIssue[],
): Promise<ExplainableProduct[]> {
  const touched = await db.syncOperationRecord.findMany({
    where: { runId },
    distinct: ['subscriptionId'],
    select: { subscriptionId: true },
  });
  const ids = [
    // the lines the run sent first: the Explain buttons are few, and those are the ones asked about
    ...new Set([
      ...touched.map((t) => t.subscriptionId),
      ...issues.map((i) => i.subscription).filter((id): id is string => id !== null),
    ]),
  ];
  const subscriptions = await db.subscription.findMany({
    where: { id: { in: ids } },
    select: { id: true, productName: true, billingCycle: true, customer: { select: { name: true } } },
  });
  // two subscriptions of one product and cycle are one `explain` command: one button
  const seen = new Set<string>();
  return ids.flatMap((id) => {
    const s = subscriptions.find((x) => x.id === id);
    const key = s && JSON.stringify([s.customer.name, s.productName, s.billingCycle]);
    if (!s || !key || seen.has(key)) return [];
    seen.add(key);
    return [{ customerName: s.customer.name, productName: s.productName, billingCycle: s.billingCycle }];
  });
}

export async function runDetail(db: Db, runId: string): Promise<RunDetail | null> {
  const run = await runSummary(db, runId);
  if (!run) return null;
  const row = await db.syncRun.findUniqueOrThrow({ where: { id: runId }, select: { plan: true } });
  const customers = planOf(row.plan).customers;
  const names = new Map(customers.map((c) => [c.customerId, c.customerName]));
  const operations = await db.syncOperationRecord.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
  const issues = issuesOf(customers);
  return {
    run,
    issues,
    explainable: await explainableOf(db, runId, issues),
    operations: operations.map((op) => ({
      customerName: names.get(op.customerId) ?? op.customerId,
      effectiveDate: op.effectiveDate,
      unitChange: op.kind === 'create_line' ? null : op.unitChange,
      description:
        op.kind === 'create_line'
          ? `new line: ${op.productName} (service ${op.serviceId}) on contract ${op.contractId} from ${op.effectiveDate}`
          : `${op.unitChange >= 0 ? '+' : ''}${op.unitChange} units of ${op.productName} (service ${op.serviceId}, contract ${op.contractId}) on ${op.effectiveDate} → ${op.unitsAfter}`,
      state: OPERATION_STATE[op.status] ?? 'pending',
      error: op.status === 'failed' ? storedProblem(op.problem) : null,
    })),
  };
}

export async function validationResult(
  db: Db,
  runId: string,
  customers: readonly CustomerPlanSummary[],
  validatedAt: Date,
): Promise<ValidationResult> {
  const subscriptions = await db.subscription.findMany({
    where: { customerId: { in: customers.map((c) => c.customerId) } },
    select: { customerId: true, currency: true },
  });
  const summaries: CustomerValidationSummary[] = customers.map((c) => {
    const own = subscriptions.filter((s) => s.customerId === c.customerId);
    return {
      customerId: c.customerId,
      customerName: c.customerName,
      subscriptions: own.length,
      operations: c.linesToCreate + c.adjustments,
      netUnits: c.netUnitChange,
      monthlyRevenueChange: new Decimal(c.mrrChange),
      currency: own[0]?.currency ?? 'USD',
      apiCalls: c.estimatedApiCalls,
      estimatedSeconds: c.estimatedSeconds,
      errors: c.findings.filter((f) => f.severity === 'error').length,
    };
  });
  const issues = issuesOf(customers);
  return {
    runId,
    ok: !customers.some((c) => c.blocked),
    customers: summaries,
    issues,
    validatedAt,
    explainable: await explainableOf(db, runId, issues),
  };
}
