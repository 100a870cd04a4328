// Which Autotask line is which repeat line (PURE). A repeat line is created by an adjustment that
// answers no line id, so the engine learns the id from the next batched read: the line on the
// same contract and service that nobody claimed yet, whose units timeline is exactly what the
// ledger pushed to that logical line (it starts on the opening date and never differs).
import type { GatewayLine } from './autotaskGateway.js';
import { findDrift, type DatedChange, type UnitsRow } from './unitsTimeline.js';

export interface UnrecordedLine {
  lineKey: string;
  contractId: number;
  serviceId: number;
  /** the adjustments this system made on it, in date order */
  changes: DatedChange[];
  /** send order of its opening: among identical timelines, the earlier opening got the lower id */
  order: number;
}

/** Does this line carry exactly these changes, from the first one on? */
export function lineCarries(rows: readonly UnitsRow[], changes: readonly DatedChange[]): boolean {
  if (rows.length === 0 || changes.length === 0) return false;
  const first = [...rows].sort((a, b) => (a.startDate < b.startDate ? -1 : 1))[0]!;
  const firstChange = [...changes].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1))[0]!;
  return first.startDate === firstChange.effectiveDate && findDrift(rows, changes).length === 0;
}

export function attributeRepeatLines(
  unrecorded: readonly UnrecordedLine[],
  lines: readonly GatewayLine[],
  rows: readonly UnitsRow[],
  claimedIds: ReadonlySet<number>,
): Map<string, number> {
  const used = new Set(claimedIds);
  const found = new Map<string, number>();
  for (const line of [...unrecorded].sort((a, b) => a.order - b.order)) {
    const match = firstUnclaimedLineCarrying(lines, rows, line, line.changes, used);
    if (match === undefined) continue;
    found.set(line.lineKey, match);
    used.add(match);
  }
  return found;
}

/** The oldest unclaimed line of this service on this contract that starts with exactly these changes. */
export function firstUnclaimedLineCarrying(
  lines: readonly GatewayLine[],
  rows: readonly UnitsRow[],
  of: { contractId: number; serviceId: number },
  changes: Parameters<typeof lineCarries>[1],
  claimedIds: ReadonlySet<number>,
): number | undefined {
  return lines
    .filter(
      (l) =>
        l.contractId === of.contractId &&
        l.serviceId === of.serviceId &&
        !claimedIds.has(l.contractServiceId),
    )
    .map((l) => l.contractServiceId)
    .sort((a, b) => a - b)
    .find((id) =>
      lineCarries(
        rows.filter((r) => r.contractServiceId === id),
        changes,
      ),
    );
}
