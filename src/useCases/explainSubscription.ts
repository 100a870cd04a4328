// `explain <customer> "<product>" [monthly|annual]`: one subscription's story after the upload.
// Reads the history and the ledger from the database and the units in force on its Autotask
// lines (two batched queries); Autotask not answering leaves the Autotask series out and says
// why, it never hides the history (docs/explain.md).
import { z } from 'zod';
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { isAutotaskError } from '../autotask/autotaskError.js';
import { ContractServiceSchema, ContractServiceUnitSchema } from '../autotask/entities.js';
import { utcDateOf } from '../core/calendarDate.js';
import { problem } from '../core/problem.js';
import type { Db } from '../db/prismaClient.js';
import { buildLineStory, type StoryLine } from '../explain/lineStory.js';
import type { ExplainOutcome, ExplainRequest } from '../explain/explainView.js';

export type { ExplainOutcome, ExplainRequest, ExplainView } from '../explain/explainView.js';
import { attributeRepeatLines } from '../sync/repeatLineAttribution.js';
import { attributeUnitsToLines, unitsRowOf } from '../sync/unitsTimeline.js';

export interface ExplainDependencies {
  prisma: Db;
  /** null: no Autotask configured; the story shows the history and the ledger only */
  client: AutotaskClient | null;
  now?: () => Date;
}

const SOURCE_LABEL: Record<string, string> = { pax8: 'Pax8', 'partner-center': 'Partner Center' };

const OperationDetails = z.looseObject({ key: z.string().optional() });

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export async function explainSubscription(
  deps: ExplainDependencies,
  request: ExplainRequest,
): Promise<ExplainOutcome> {
  const { prisma } = deps;
  const customer = await prisma.customer.findUnique({ where: { id: request.customerId } });
  if (!customer)
    return {
      ok: false,
      problem: problem('CUSTOMER_UNKNOWN', `No customer ${request.customerId}`, 'see `customers`'),
    };
  const subscriptions = await prisma.subscription.findMany({
    where: { customerId: customer.id },
    include: { events: { orderBy: [{ effectiveDate: 'asc' }, { seq: 'asc' }] } },
    orderBy: { id: 'asc' },
  });
  const named = subscriptions.filter((s) => sameName(s.productName, request.product));
  if (named.length === 0) {
    const products = [...new Set(subscriptions.map((s) => s.productName))].sort().slice(0, 8);
    return {
      ok: false,
      problem: problem(
        'EXPLAIN_PRODUCT_UNKNOWN',
        `${customer.name} has no subscription to "${request.product}"`,
        products.length
          ? `name one of: ${products.map((p) => `"${p}"`).join(', ')}`
          : 'import or pull its subscriptions first (`sources`)',
      ),
    };
  }
  // a subscription that moved cycle answers to both names
  const inCycle = request.billingCycle
    ? named.filter(
        (s) =>
          s.billingCycle === request.billingCycle ||
          s.events.some(
            (e) =>
              e.billingCycleBefore === request.billingCycle || e.billingCycleAfter === request.billingCycle,
          ),
      )
    : named;
  if (inCycle.length === 0)
    return {
      ok: false,
      problem: problem(
        'EXPLAIN_PRODUCT_UNKNOWN',
        `${customer.name} has no ${request.billingCycle} subscription to "${named[0]!.productName}"`,
        `its ${named[0]!.productName} is billed ${[...new Set(named.map((s) => s.billingCycle))].join(' and ')}`,
      ),
    };
  if (inCycle.length > 1) {
    const cycles = [...new Set(inCycle.map((s) => s.billingCycle))];
    return {
      ok: false,
      problem: problem(
        'EXPLAIN_AMBIGUOUS',
        `${customer.name} has ${inCycle.length} subscriptions to "${named[0]!.productName}"${cycles.length > 1 ? ` (${cycles.join(', ')})` : ''}`,
        cycles.length > 1
          ? `add the billing cycle: monthly or annual`
          : `they are ${inCycle.map((s) => s.id).join(', ')}; see \`validate ${customer.name}\``,
      ),
    };
  }
  const subscription = inCycle[0]!;

  const [operations, knownLines] = await Promise.all([
    prisma.syncOperationRecord.findMany({
      where: { subscriptionId: subscription.id, status: { in: ['done', 'sending', 'failed', 'planned'] } },
      orderBy: [{ effectiveDate: 'asc' }, { id: 'asc' }],
    }),
    prisma.syncLine.findMany({ where: { subscriptionId: subscription.id }, orderBy: { recordedAt: 'asc' } }),
  ]);
  // planned operations of runs never approved are plans, not history: only what was approved
  const runIds = [...new Set(operations.map((o) => o.runId))];
  const [decisions, audit] = await Promise.all([
    prisma.syncDecision.findMany({ where: { runId: { in: runIds } } }),
    prisma.auditRecord.findMany({
      where: {
        runId: { in: runIds },
        action: { in: ['upload.approved', 'operation.done', 'operation.failed'] },
      },
      orderBy: { id: 'asc' },
    }),
  ]);
  const approved = new Set(decisions.filter((d) => d.decision === 'approved').map((d) => d.runId));
  const shown = operations.filter((o) => o.status !== 'planned' || approved.has(o.runId));

  // a repeat line (a price change) answers no id when it is opened: the next upload learns it;
  // until then it is the unclaimed line on the contract and service that carries what was pushed
  const unrecordedKeys = [
    ...new Set(shown.filter((o) => o.kind === 'adjust' && o.status === 'done').map((o) => o.lineKey)),
  ].filter((key) => !knownLines.some((l) => l.lineKey === key));
  const firstOf = (key: string) => shown.find((o) => o.lineKey === key)!;
  const read = await readLineUnits(deps.client, [
    ...knownLines,
    ...unrecordedKeys.map((key) => ({ ...firstOf(key), contractServiceId: 0 })),
  ]);
  const learned = new Map<string, number>();
  if (unrecordedKeys.length > 0 && read.autotaskProblem === null) {
    const claimed = await prisma.syncLine.findMany({
      where: { contractId: { in: read.lines.map((l) => l.contractID) } },
      select: { contractServiceId: true },
    });
    const found = attributeRepeatLines(
      unrecordedKeys.map((lineKey, order) => ({
        lineKey,
        contractId: firstOf(lineKey).contractId,
        serviceId: firstOf(lineKey).serviceId,
        changes: shown
          .filter((o) => o.lineKey === lineKey && o.kind === 'adjust' && o.status === 'done')
          .map((o) => ({ effectiveDate: o.effectiveDate, unitChange: o.unitChange })),
        order,
      })),
      read.lines.map((l) => ({ contractServiceId: l.id, contractId: l.contractID, serviceId: l.serviceID })),
      read.rows.map(unitsRowOf),
      new Set(claimed.map((c) => c.contractServiceId)),
    );
    for (const [key, id] of found) learned.set(key, id);
  }
  const autotaskProblem = read.autotaskProblem;
  const lines: StoryLine[] = [
    ...knownLines.map((l) => ({ lineKey: l.lineKey, contractServiceId: l.contractServiceId })),
    ...[...learned].map(([lineKey, contractServiceId]) => ({ lineKey, contractServiceId })),
  ].map((l) => ({
    contractServiceId: l.contractServiceId,
    lineKey: l.lineKey,
    unitPrice: l.lineKey.split('|')[3] ?? null,
    rows: read.rows.filter((r) => r.contractServiceID === l.contractServiceId),
  }));

  const today = utcDateOf((deps.now ?? (() => new Date()))());
  const story = buildLineStory({
    title: `${subscription.productName} (${subscription.billingCycle}) — ${customer.name}`,
    sourceLabel: SOURCE_LABEL[subscription.origin ?? ''] ?? 'source history',
    today,
    events: subscription.events.map((e) => ({
      effectiveDate: e.effectiveDate,
      kind: e.kind,
      quantityAfter: e.quantityAfter,
      statusAfter: e.statusAfter,
      priceBefore: e.priceBefore?.toFixed() ?? null,
      priceAfter: e.priceAfter?.toFixed() ?? null,
      billingCycleBefore: e.billingCycleBefore,
      billingCycleAfter: e.billingCycleAfter,
    })),
    operations: shown.map((o) => ({
      key: o.key,
      runId: o.runId,
      kind: o.kind === 'create_line' ? 'create_line' : 'adjust',
      lineKey: o.lineKey,
      effectiveDate: o.effectiveDate,
      unitChange: o.unitChange,
      unitsAfter: o.unitsAfter,
      unitPrice: o.unitPrice.toFixed(),
      status: o.status,
      contractServiceId: o.contractServiceId,
      finishedAt: o.finishedAt,
    })),
    runs: runIds.map((id) => {
      const d = decisions.find((x) => x.runId === id && x.decision === 'approved');
      return { id, approvedBy: d ? (d.actorName ?? d.actorId) : null, approvedAt: d?.at ?? null };
    }),
    audit: audit.map((a) => {
      const details = OperationDetails.safeParse(a.details);
      return {
        id: a.id.toString(),
        runId: a.runId,
        action: a.action,
        operationKey: details.success ? (details.data.key ?? null) : null,
      };
    }),
    lines,
  });
  return {
    ok: true,
    view: {
      customerId: customer.id,
      customerName: customer.name,
      subscriptionId: subscription.id,
      productName: subscription.productName,
      billingCycle: subscription.billingCycle,
      story,
      autotaskProblem,
    },
  };
}

async function readLineUnits(
  client: AutotaskClient | null,
  known: readonly { contractId: number; serviceId: number; contractServiceId: number }[],
) {
  if (known.length === 0) return { rows: [], lines: [], autotaskProblem: null };
  if (!client)
    return {
      rows: [],
      lines: [],
      autotaskProblem: problem(
        'AUTOTASK_NOT_CONFIGURED',
        'No Autotask is configured, so the units on its lines are not shown',
        'set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE',
      ),
    };
  const contractIds = [...new Set(known.map((l) => l.contractId))];
  const serviceIds = [...new Set(known.map((l) => l.serviceId))];
  try {
    const [lines, units] = await Promise.all([
      client.queryIn('ContractServices', ContractServiceSchema, 'contractID', contractIds, [
        { op: 'in', field: 'serviceID', value: serviceIds },
      ]),
      client.queryIn('ContractServiceUnits', ContractServiceUnitSchema, 'contractID', contractIds, [
        { op: 'in', field: 'serviceID', value: serviceIds },
      ]),
    ]);
    return { rows: attributeUnitsToLines(units, lines), lines, autotaskProblem: null };
  } catch (error) {
    if (!isAutotaskError(error)) throw error;
    return {
      rows: [],
      lines: [],
      autotaskProblem: problem(
        'AUTOTASK_UNREACHABLE',
        `Autotask's units could not be read: ${error.describe()}`,
        'run `test`, then explain again',
      ),
    };
  }
}
