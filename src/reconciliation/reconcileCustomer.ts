// One customer's reconciliation for a month (PURE): per contract line (contract + service) and
// billing period starting in the month, what the source history says should have been billed,
// what Autotask's posted BillingItems say was billed, the variance, and the reason for it
// (docs/reconciliation.md §Reasons). Reasons are tried in order; the first that holds is given.
import { Decimal } from 'decimal.js';
import { billingPeriods, type BillingPeriod } from '../core/billingPeriods.js';
import { daysInclusive } from '../core/calendarDate.js';
import { groupBy } from '../collections/groupBy.js';
import { describeDrift, findDrift, type UnitsRow } from '../sync/unitsTimeline.js';
import type { BillingMonth } from './billingMonth.js';
import { expectedAmount, unitSegments, type DatedUnitChange } from './expectedBilling.js';

export const VARIANCE_REASONS = [
  'matches',
  'not-posted',
  'not-uploaded',
  'hand-edit',
  'proration',
  'price-differs',
] as const;
export type VarianceReason = (typeof VARIANCE_REASONS)[number];

/** One logical line of the source history (a subscription at one price on one contract line). */
export interface ReconcileLineInput {
  lineKey: string;
  productName: string;
  contractId: number;
  serviceId: number;
  unitPrice: Decimal;
  /** the Autotask line the ledger recorded for it, if any */
  contractServiceId: number | null;
  /** changes the ledger says were sent */
  pushed: readonly DatedUnitChange[];
  /** changes the source history has that were not sent yet */
  pending: readonly DatedUnitChange[];
}

export interface ReconcileContract {
  id: number;
  contractName: string;
  startDate: string;
  endDate: string;
  /** null: a period type the bot does not know; its lines are listed as skipped */
  periodMonths: number | null;
}

export interface ReconcileUnitsRow extends UnitsRow {
  contractID: number;
  serviceID: number;
}

/** A posted BillingItem of a contract line. */
export interface BilledItem {
  contractID: number;
  serviceID: number;
  /** YYYY-MM-DD: the start of the units row it bills */
  itemDate: string;
  amount: Decimal;
}

export interface ReconcileCustomerInput {
  customer: { id: string; name: string };
  month: BillingMonth;
  contracts: readonly ReconcileContract[];
  lines: readonly ReconcileLineInput[];
  units: readonly ReconcileUnitsRow[];
  billed: readonly BilledItem[];
}

export interface ReconciledLine {
  customerId: string;
  customerName: string;
  contractId: number;
  contractName: string;
  serviceId: number;
  productName: string;
  periodStart: string;
  periodEnd: string;
  expected: Decimal;
  billed: Decimal;
  /** billed − expected: positive means Autotask billed more */
  variance: Decimal;
  reason: VarianceReason;
  detail: string;
}

export interface SkippedLine {
  customerName: string;
  productName: string;
  reason: string;
}

export function reconcileCustomer(input: ReconcileCustomerInput): {
  lines: ReconciledLine[];
  skipped: SkippedLine[];
} {
  const { customer, month } = input;
  const lines: ReconciledLine[] = [];
  const skipped: SkippedLine[] = [];
  const groups = groupBy(input.lines, (l) => `${l.contractId}|${l.serviceId}`);
  for (const group of groups.values()) {
    const { contractId, serviceId } = group[0]!;
    const productName = [...new Set(group.map((l) => l.productName))].join(' / ');
    const contract = input.contracts.find((c) => c.id === contractId);
    if (!contract || contract.periodMonths === null) {
      skipped.push({
        customerName: customer.name,
        productName,
        reason: contract
          ? `contract ${contract.contractName} (${contractId}) has a period type this bot does not know`
          : `contract ${contractId} was not found in Autotask`,
      });
      continue;
    }
    const periods = billingPeriods({ ...contract, periodMonths: contract.periodMonths }).filter(
      (p) => p.start >= month.first && p.start <= month.last,
    );
    for (const period of periods) {
      const rows = input.units.filter(
        (u) =>
          u.contractID === contractId &&
          u.serviceID === serviceId &&
          u.startDate <= period.end &&
          u.endDate >= period.start,
      );
      const expected = group.reduce(
        (sum, l) =>
          sum.plus(expectedAmount([...l.pushed, ...l.pending], l.unitPrice, period, contract.endDate)),
        new Decimal(0),
      );
      const billed = input.billed
        .filter(
          (b) =>
            b.contractID === contractId &&
            b.serviceID === serviceId &&
            b.itemDate >= period.start &&
            b.itemDate <= period.end,
        )
        .reduce((sum, b) => sum.plus(b.amount), new Decimal(0));
      // a period before the line had units (or after it ended): nothing expected, nothing billed
      if (expected.isZero() && billed.isZero() && rows.every((r) => r.units === 0)) continue;
      const variance = billed.minus(expected);
      const { reason, detail } = explainVariance({
        group,
        rows,
        period,
        contract,
        expected,
        billed,
        variance,
      });
      lines.push({
        customerId: customer.id,
        customerName: customer.name,
        contractId,
        contractName: contract.contractName,
        serviceId,
        productName,
        periodStart: period.start,
        periodEnd: period.end,
        expected,
        billed,
        variance,
        reason,
        detail,
      });
    }
  }
  return { lines, skipped };
}

interface VarianceContext {
  group: readonly ReconcileLineInput[];
  rows: readonly ReconcileUnitsRow[];
  period: BillingPeriod;
  contract: ReconcileContract;
  expected: Decimal;
  billed: Decimal;
  variance: Decimal;
}

const money = (d: Decimal) => d.toFixed(2);

function explainVariance(ctx: VarianceContext): { reason: VarianceReason; detail: string } {
  const { group, rows, period, variance } = ctx;
  const span = `${period.start} to ${period.end}`;
  if (variance.isZero()) return { reason: 'matches', detail: '' };

  if (rows.length > 0 && rows.every((r) => !r.approveAndPostDate))
    return {
      reason: 'not-posted',
      detail: `the period ${span} is not posted in Autotask yet: nothing of it is billed`,
    };
  const unposted = rows.filter((r) => !r.approveAndPostDate);
  if (unposted.length > 0)
    return {
      reason: 'not-posted',
      detail: `part of the period ${span} is not posted in Autotask yet (from ${unposted[0]!.startDate}): only the posted part is billed`,
    };

  const pending = group
    .flatMap((l) => l.pending)
    .filter((c) => c.effectiveDate <= period.end)
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
  if (pending.length > 0) {
    // a posted period refuses adjustments: "upload it" cannot mend this one (PERIOD_POSTED)
    const posted = rows.length > 0 && rows.every((r) => r.approveAndPostDate);
    return {
      reason: 'not-uploaded',
      detail: `${pending.length} change${pending.length === 1 ? '' : 's'} of the source history not uploaded yet (the first dated ${pending[0]!.effectiveDate}): ${
        posted
          ? `the period ${span} is posted, so Autotask refuses adjustments in it — bill or credit the difference by hand, or reverse the posting in Autotask and upload`
          : 'validate and upload'
      }`,
    };
  }

  const known = new Set(group.map((l) => l.contractServiceId).filter((id): id is number => id !== null));
  const drifted = group.flatMap((l) => {
    if (l.contractServiceId === null) return [];
    const points = findDrift(
      rows.filter((r) => r.contractServiceId === l.contractServiceId),
      l.pushed,
    );
    return points.length ? [`line ${l.contractServiceId}: ${describeDrift(points)}`] : [];
  });
  const foreign = rows.filter((r) => !known.has(r.contractServiceId) && r.units !== 0);
  // a line not yet recorded (a repeat line the next upload learns) would look foreign: only judge
  // rows on lines nobody claims when every line of the group is known
  if (foreign.length > 0 && group.every((l) => l.contractServiceId !== null))
    drifted.push(
      `line ${foreign[0]!.contractServiceId} carries ${foreign[0]!.units} units from ${foreign[0]!.startDate} that this system never sent`,
    );
  if (drifted.length > 0)
    return { reason: 'hand-edit', detail: `changed in Autotask by hand: ${drifted.join('; ')}` };

  // units agree with the ledger: what is left is money per unit
  const splitRows = rows.filter((r) => r.approveAndPostDate).length;
  if (variance.abs().lte(new Decimal('0.01').times(Math.max(1, splitRows))) && splitRows > 1)
    return {
      reason: 'proration',
      detail: `Autotask rounds each of the period's ${splitRows} rows to the cent; the history is rounded once`,
    };

  const to = period.end < ctx.contract.endDate ? period.end : ctx.contract.endDate;
  const unitDays = group.reduce(
    (sum, l) =>
      sum +
      unitSegments([...l.pushed, ...l.pending], period.start, to).reduce(
        (s, seg) => s + seg.units * daysInclusive(seg.start, seg.end),
        0,
      ),
    0,
  );
  const periodDays = daysInclusive(period.start, period.end);
  const effective =
    unitDays === 0
      ? null
      : ctx.billed.times(periodDays).div(unitDays).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const prices = [...new Set(group.map((l) => money(l.unitPrice)))].join(' / ');
  return {
    reason: 'price-differs',
    detail: `the units agree but Autotask billed ${effective ? `about ${money(effective)}` : money(ctx.billed)} a unit where the source history says ${prices}: check the line's price in Autotask`,
  };
}
