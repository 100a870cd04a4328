// Which Autotask line an operation addresses, and whether it already arrived there: judged from
// the lines and the units timeline the upload read.
import type { GatewayLine, GatewayUnitsRow } from '../autotaskGateway.js';
import type { LedgerOperation } from '../operationLedger.js';
import { firstUnclaimedLineCarrying } from '../repeatLineAttribution.js';
import { unitsInForce } from '../unitsTimeline.js';
import { baseLine } from './autotaskView.js';

type Lines = readonly GatewayLine[];

/**
 * The id of the line an adjustment goes to, when known: the one it names, the one recorded for
 * its line key, or (base line) the service's line on the contract. Null for a repeat line not
 * learned yet.
 */
export function knownLineId(
  op: LedgerOperation,
  lines: Lines,
  lineIdByKey: ReadonlyMap<string, number>,
): number | null {
  const line = op.line;
  if (line?.mode === 'known') return line.contractServiceId;
  const recorded = lineIdByKey.get(op.lineKey);
  if (recorded !== undefined) return recorded;
  if (line?.mode === 'base') return line.contractServiceId ?? baseLine(lines, op.contractId, op.serviceId);
  return null;
}

/** An adjustment that opens a new repeat line (Autotask makes it; its id is learned later). */
export const opensRepeatLine = (op: LedgerOperation): boolean =>
  op.kind === 'adjust' && op.line?.mode === 'repeat' && op.line.opens;

/** An adjustment on a repeat line opened earlier whose id is not known yet. */
export function needsUnknownRepeatLine(
  op: LedgerOperation,
  lineIdByKey: ReadonlyMap<string, number>,
): boolean {
  return op.kind === 'adjust' && op.line?.mode === 'repeat' && !op.line.opens && !lineIdByKey.has(op.lineKey);
}

/**
 * Opening a repeat line needs the service's base line on the contract first: otherwise the repeat
 * becomes the service's first line and the base line's creation is refused (serviceAlreadyOnContract).
 */
export function opensBeforeBaseLine(op: LedgerOperation, lines: Lines): boolean {
  return opensRepeatLine(op) && baseLine(lines, op.contractId, op.serviceId) === null;
}

/** Did this operation reach Autotask? Judged from the lines and the units timeline. */
export function appliedInAutotask(
  op: LedgerOperation,
  autotask: { lines: Lines; rows: readonly GatewayUnitsRow[] },
  lineIdByKey: ReadonlyMap<string, number>,
  claimedIds: ReadonlySet<number>,
): { applied: true; contractServiceId: number | null } | { applied: false } {
  if (op.kind === 'create_line') {
    const id = baseLine(autotask.lines, op.contractId, op.serviceId);
    return id === null ? { applied: false } : { applied: true, contractServiceId: id };
  }
  if (opensRepeatLine(op) && !lineIdByKey.has(op.lineKey)) {
    // the line it would have created: unclaimed, starting on this date with exactly this change
    const id = firstUnclaimedLineCarrying(
      autotask.lines,
      autotask.rows,
      op,
      [{ effectiveDate: op.effectiveDate, unitChange: op.unitChange }],
      claimedIds,
    );
    return id === undefined ? { applied: false } : { applied: true, contractServiceId: id };
  }
  const id = knownLineId(op, autotask.lines, lineIdByKey);
  if (id === null) return { applied: false };
  const rows = autotask.rows.filter((r) => r.contractServiceId === id);
  return (unitsInForce(rows, op.effectiveDate) ?? 0) === op.unitsAfter
    ? { applied: true, contractServiceId: id }
    : { applied: false };
}
