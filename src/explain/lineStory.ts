// The story of one subscription after the upload (PURE): what the source history says its units
// were, what its Autotask line(s) carry, and which uploaded operation encoded which change, sent
// when, approved by whom. `explain` draws the chart from `chart` and writes the words from
// `changes` (docs/explain.md).
import { addDays } from '../core/calendarDate.js';
import type { ChartMarker, ChartPoint, ChartSeries, QuantityChartData } from '../charts/quantityChartData.js';

export interface StoryEvent {
  effectiveDate: string;
  kind: string;
  quantityAfter: number | null;
  statusAfter: string | null;
  priceBefore: string | null;
  priceAfter: string | null;
  billingCycleBefore: string | null;
  billingCycleAfter: string | null;
}

export interface StoryOperation {
  key: string;
  runId: string;
  kind: 'create_line' | 'adjust';
  lineKey: string;
  effectiveDate: string;
  unitChange: number;
  unitsAfter: number;
  unitPrice: string;
  status: string;
  contractServiceId: number | null;
  finishedAt: Date | null;
}

export interface StoryRun {
  id: string;
  approvedBy: string | null;
  approvedAt: Date | null;
}

export interface StoryAuditRecord {
  id: string;
  runId: string | null;
  action: string;
  /** the ledger key the record is about (operation.* records), when it names one */
  operationKey: string | null;
}

export interface StoryLine {
  contractServiceId: number;
  lineKey: string;
  /** the unit price the line was created for (from its lineKey) */
  unitPrice: string | null;
  rows: { startDate: string; endDate: string; units: number }[];
}

export interface StoryInput {
  title: string;
  /** the source's name for the series label, e.g. `Pax8` or `source history` */
  sourceLabel: string;
  events: readonly StoryEvent[];
  operations: readonly StoryOperation[];
  runs: readonly StoryRun[];
  audit: readonly StoryAuditRecord[];
  lines: readonly StoryLine[];
  today: string;
}

export interface StoryOperationView {
  runId: string;
  what: string;
  status: string;
  sentAt: Date | null;
  approvedBy: string | null;
  auditIds: string[];
}

export interface StoryChange {
  date: string;
  what: string;
  operations: StoryOperationView[];
}

export interface LineStory {
  chart: QuantityChartData;
  changes: StoryChange[];
  /** operations dated on a day the history has no change (a correction, or history edited since) */
  unmatchedOperations: (StoryOperationView & { date: string })[];
}

/** Billable units: a suspended or cancelled subscription bills none (docs/billing-semantics.md). */
function sourcePoints(events: readonly StoryEvent[]): ChartPoint[] {
  let quantity = 0;
  let status = 'active';
  const byDate = new Map<string, number>();
  for (const e of events) {
    if (e.quantityAfter !== null) quantity = e.quantityAfter;
    if (e.statusAfter !== null) status = e.statusAfter;
    byDate.set(e.effectiveDate, status === 'active' ? quantity : 0);
  }
  return compress([...byDate].map(([date, units]) => ({ date, units })));
}

/** Units rows as steps: each row's units from its start; 0 after a gap or after the last row. */
function linePoints(rows: StoryLine['rows']): ChartPoint[] {
  const sorted = [...rows].sort((a, b) => a.startDate.localeCompare(b.startDate));
  const points: ChartPoint[] = [];
  sorted.forEach((row, i) => {
    points.push({ date: row.startDate, units: row.units });
    const next = sorted[i + 1];
    const after = addDays(row.endDate, 1);
    if (!next || next.startDate > after) points.push({ date: after, units: 0 });
  });
  return compress(points);
}

/** Drops points that repeat the value before them (the chart is a step line). */
function compress(points: readonly ChartPoint[]): ChartPoint[] {
  return points.filter((p, i) => i === 0 || p.units !== points[i - 1]!.units);
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function describeEvent(e: StoryEvent): string {
  switch (e.kind) {
    case 'created':
      return `created with ${e.quantityAfter ?? 0} units at ${e.priceAfter ?? '?'}`;
    case 'quantity_changed':
      return `quantity changed to ${e.quantityAfter ?? '?'}`;
    case 'suspended':
      return 'suspended (bills 0 units)';
    case 'reactivated':
      return 'reactivated';
    case 'cancelled':
      return 'cancelled (bills 0 units)';
    case 'price_changed':
      return `price changed ${e.priceBefore ?? '?'} → ${e.priceAfter ?? '?'} (a new Autotask line)`;
    case 'billing_cycle_changed':
      return `billing cycle ${e.billingCycleBefore ?? '?'} → ${e.billingCycleAfter ?? '?'} (moves to the other contract)`;
    default:
      return e.kind;
  }
}

export function buildLineStory(input: StoryInput): LineStory {
  const runOf = new Map(input.runs.map((r) => [r.id, r]));
  const lineOf = new Map(input.lines.map((l) => [l.lineKey, l]));
  const lineName = (op: StoryOperation) => {
    const id = op.contractServiceId ?? lineOf.get(op.lineKey)?.contractServiceId;
    return id ? `line ${id}` : `a new line at ${op.unitPrice}`;
  };
  const view = (op: StoryOperation): StoryOperationView => ({
    runId: op.runId,
    what:
      op.kind === 'create_line'
        ? `created ${lineName(op)} at ${op.unitPrice}`
        : `${signed(op.unitChange)} on ${lineName(op)} (then ${op.unitsAfter})`,
    status: op.status,
    sentAt: op.finishedAt,
    approvedBy: runOf.get(op.runId)?.approvedBy ?? null,
    auditIds: input.audit
      .filter((a) => a.operationKey === op.key || (a.runId === op.runId && a.action === 'upload.approved'))
      .map((a) => a.id),
  });

  const eventDates = [...new Set(input.events.map((e) => e.effectiveDate))].sort();
  const changes: StoryChange[] = eventDates.map((date) => ({
    date,
    what: input.events
      .filter((e) => e.effectiveDate === date)
      .map(describeEvent)
      .join('; '),
    operations: input.operations.filter((o) => o.effectiveDate === date).map(view),
  }));
  const unmatchedOperations = input.operations
    .filter((o) => !eventDates.includes(o.effectiveDate))
    .map((o) => ({ ...view(o), date: o.effectiveDate }));

  const series: ChartSeries[] = [
    {
      id: 'source',
      label: `Subscription (${input.sourceLabel})`,
      kind: 'source',
      points: sourcePoints(input.events),
    },
    ...input.lines.map((l): ChartSeries => ({
      id: `line:${l.contractServiceId}`,
      label: `Autotask line ${l.contractServiceId}${l.unitPrice ? ` @ ${l.unitPrice}` : ''}`,
      kind: 'autotask',
      points: linePoints(l.rows),
    })),
  ];

  const done = input.operations.filter((o) => o.kind === 'adjust' && o.status === 'done');
  const uploadDates = [...new Set(done.map((o) => o.effectiveDate))].sort();
  const markers: ChartMarker[] = [
    ...uploadDates.map((date) => {
      const ops = done.filter((o) => o.effectiveDate === date);
      const runs = [...new Set(ops.map((o) => o.runId))];
      return {
        date,
        kind: 'upload' as const,
        label: `${ops.map((o) => signed(o.unitChange)).join(' ')} (${runs.join(', ')})`,
      };
    }),
    ...input.events
      .filter((e) => e.kind === 'price_changed')
      .map((e) => ({
        date: e.effectiveDate,
        kind: 'price' as const,
        label: `${e.priceBefore} → ${e.priceAfter}`,
      })),
    ...input.events
      .filter((e) => e.kind === 'billing_cycle_changed')
      .map((e) => ({
        date: e.effectiveDate,
        kind: 'cycle' as const,
        label: `${e.billingCycleBefore} → ${e.billingCycleAfter}`,
      })),
  ].sort((a, b) => a.date.localeCompare(b.date));

  const dates = [
    ...eventDates,
    ...input.operations.map((o) => o.effectiveDate),
    ...series.flatMap((s) => s.points.map((p) => p.date)),
  ].sort();
  const from = dates[0] ?? input.today;
  const lastKnown = [...eventDates, ...uploadDates].sort().at(-1) ?? from;
  // the axis runs to today (or the last dated change, if later), plus a week to show what holds
  const to = addDays(lastKnown > input.today ? lastKnown : input.today, 7);
  const clipped = series.map((s) => ({ ...s, points: s.points.filter((p) => p.date <= to) }));

  return {
    chart: { title: input.title, from, to, series: clipped, markers },
    changes,
    unmatchedOperations,
  };
}
