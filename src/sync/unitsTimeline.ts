// Reading ContractServiceUnits (PURE): the units in force on a date, what the ledger says should
// be in force, and where the two differ (drift: someone changed the line by hand).
import type { ContractServiceUnit } from '../autotask/entities.js';

/** One row of a line's timeline (a billing period, split at adjustment dates). */
export interface UnitsRow {
  contractServiceId: number;
  startDate: string;
  endDate: string;
  units: number;
  approveAndPostDate?: string | null | undefined;
}

/** A units row whose line is known (Autotask may leave contractServiceID empty). */
export type AttributedUnitsRow = ContractServiceUnit & { contractServiceID: number };

/** The timeline part of a row Autotask answers for ContractServiceUnits. */
export const unitsRowOf = (row: AttributedUnitsRow): UnitsRow => ({
  contractServiceId: row.contractServiceID,
  startDate: row.startDate,
  endDate: row.endDate,
  units: row.units,
  approveAndPostDate: row.approveAndPostDate ?? null,
});

/**
 * Gives each units row without contractServiceID the line it belongs to: the oldest line of its
 * service on its contract (repeat lines come later, as the upload's baseLine reads it). A row
 * with no such line is on no line the bot reads or writes, so it is left out.
 */
export function attributeUnitsToLines(
  units: readonly ContractServiceUnit[],
  lines: readonly { id: number; contractID: number; serviceID: number }[],
): AttributedUnitsRow[] {
  return units.flatMap((u) => {
    if (u.contractServiceID !== null) return [{ ...u, contractServiceID: u.contractServiceID }];
    const ids = lines
      .filter((l) => l.contractID === u.contractID && l.serviceID === u.serviceID)
      .map((l) => l.id);
    return ids.length ? [{ ...u, contractServiceID: Math.min(...ids) }] : [];
  });
}

/** Units in force on the line on `date`; null when no row covers the date. */
export function unitsInForce(rows: readonly UnitsRow[], date: string): number | null {
  const row = rows.find((r) => r.startDate <= date && date <= r.endDate);
  return row ? row.units : null;
}

export interface DatedChange {
  effectiveDate: string;
  unitChange: number;
}

/** What the ledger's done adjustments put in force on `date`. */
export function unitsFromLedger(changes: readonly DatedChange[], date: string): number {
  return changes.filter((c) => c.effectiveDate <= date).reduce((sum, c) => sum + c.unitChange, 0);
}

export interface DriftPoint {
  date: string;
  autotask: number;
  ledger: number;
}

/**
 * Every period start where Autotask's units differ from the ledger's. A line with no rows at all
 * while the ledger expects units counts as drift too (the line was emptied or never written).
 */
export function findDrift(rows: readonly UnitsRow[], changes: readonly DatedChange[]): DriftPoint[] {
  const drift: DriftPoint[] = [];
  for (const row of [...rows].sort((a, b) => (a.startDate < b.startDate ? -1 : 1))) {
    const ledger = unitsFromLedger(changes, row.startDate);
    if (row.units !== ledger) drift.push({ date: row.startDate, autotask: row.units, ledger });
  }
  if (rows.length === 0) {
    for (const c of changes) {
      const ledger = unitsFromLedger(changes, c.effectiveDate);
      if (ledger !== 0) {
        drift.push({ date: c.effectiveDate, autotask: 0, ledger });
        break;
      }
    }
  }
  return drift;
}

export const describeDrift = (points: readonly DriftPoint[]): string =>
  points
    .slice(0, 3)
    .map((p) => `on ${p.date} Autotask has ${p.autotask} units, this system pushed ${p.ledger}`)
    .join('; ') + (points.length > 3 ? ` (and ${points.length - 3} more)` : '');
