// The correction of hand edits (PURE, docs/drift-watch.md): for each line the ledger recorded whose
// units someone changed in Autotask, one adjustment on the first date after the hand edits that
// Autotask accepts, bringing the line back to what the source history says; it adopts the hand
// edits into the ledger, so that once done the line matches the ledger again. A hand edit in a
// posted period, a history that is unclear, or a line with no date left gets a finding instead.
import { addDays } from '../core/calendarDate.js';
import { customerDrift, type DriftedLine } from './customerDrift.js';
import { orderOperations } from './encodeHistory.js';
import { lineChanges } from './ledgerChanges.js';
import type { HandEdit } from './syncInputs.js';
import { adjustKey, type AdjustOperation, type SyncOperation } from './syncOperation.js';
import { unitsFromLedger } from './unitsTimeline.js';
import type { CustomerValidation, CustomerValidationInput } from './validateCustomer.js';
import { finding, hasErrors, type Finding } from './validationFinding.js';

/** The findings only a correction reports (the rest come from validateCustomer). */
export const CORRECTION_CODES = [
  'DRIFT_CORRECTION',
  'CORRECTION_PERIOD_POSTED',
  'CORRECTION_HISTORY_UNCLEAR',
  'CORRECTION_NOT_POSSIBLE',
] as const;
type Refusal = Exclude<(typeof CORRECTION_CODES)[number], 'DRIFT_CORRECTION'>;

type Planned = { ok: true; operation: AdjustOperation; replaces: string | null; finding: Finding };

/** The validation with a correction planned for every drifted line that can be corrected. */
export function correctDrift(
  input: CustomerValidationInput,
  validation: CustomerValidation,
): CustomerValidation {
  if (!input.autotask.connectivity.ok) return validation;
  const drifted = customerDrift(input, validation);
  if (drifted.length === 0) return validation;
  const outcomes = drifted.map((line) => ({ line, planned: planCorrection(input, validation, line) }));
  const corrected = outcomes.filter((o): o is { line: DriftedLine; planned: Planned } => o.planned.ok);
  const uncorrected = new Set(
    outcomes.filter((o) => !o.planned.ok).map((o) => subscriptionOf(validation, o.line)),
  );
  const correctedSubscriptions = new Set(corrected.map((o) => o.planned.operation.subscriptionId));
  const replaced = new Set(corrected.map((o) => o.planned.replaces));
  const findings = [
    // a subscription whose every drifted line is corrected no longer blocks on DRIFT
    ...validation.findings.filter(
      (f) =>
        !(
          f.code === 'DRIFT' &&
          f.subscriptionId !== undefined &&
          correctedSubscriptions.has(f.subscriptionId) &&
          !uncorrected.has(f.subscriptionId)
        ) && !(f.code === 'NOTHING_TO_UPLOAD' && corrected.length > 0),
    ),
    ...outcomes.map((o) => o.planned.finding),
  ];
  const operations: SyncOperation[] = orderOperations([
    ...validation.encoded.operations.filter((op) => !replaced.has(op.key)),
    ...corrected.map((o) => o.planned.operation),
  ]);
  return {
    ...validation,
    findings,
    blocked: hasErrors(findings),
    encoded: { ...validation.encoded, operations },
  };
}

const subscriptionOf = (validation: CustomerValidation, line: DriftedLine): string =>
  validation.encoded.lines.find((l) => l.lineKey === line.lineKey)!.subscriptionId;

function planCorrection(
  input: CustomerValidationInput,
  validation: CustomerValidation,
  drifted: DriftedLine,
): Planned | { ok: false; finding: Finding } {
  const line = validation.encoded.lines.find((l) => l.lineKey === drifted.lineKey)!;
  const customerId = input.customer.id;
  const about = { customerId, subscriptionId: line.subscriptionId, productName: drifted.productName };
  const named = `line ${drifted.contractServiceId} (${drifted.productName}, ${drifted.billingCycle})`;
  const refuse = (code: Refusal, message: string, hint: string) => ({
    ok: false as const,
    finding: finding(code, about, message, hint),
  });
  const byHand = 'bill or credit the difference by hand in Autotask';

  const unclear =
    validation.encoded.skipped.find((s) => s.subscriptionId === line.subscriptionId)?.reason ??
    (validation.findings.some(
      (f) => f.code === 'HISTORY_INCONSISTENT' && f.subscriptionId === line.subscriptionId,
    )
      ? 'its history changed after it was uploaded'
      : null);
  if (unclear)
    return refuse(
      'CORRECTION_HISTORY_UNCLEAR',
      `${named} was changed in Autotask (${drifted.detail}), but the source history of ${line.subscriptionId} is unclear (${unclear}), so there are no units to correct it to`,
      `fix the history first (see its other findings), or ${byHand}`,
    );

  const rows = input.autotask.units
    .filter((u) => u.contractServiceId === drifted.contractServiceId)
    .sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
  if (rows.length === 0)
    return refuse(
      'CORRECTION_NOT_POSSIBLE',
      `${named} has no units in Autotask any more, while this system pushed units to it`,
      `find out who removed the units in Autotask; ${byHand}`,
    );
  const changes = lineChanges(input.ledger.pushed, drifted.lineKey);
  const diffs = rows.map((r) => ({ row: r, diff: r.units - unitsFromLedger(changes, r.startDate) }));
  const postedWrong = diffs.find((d) => d.diff !== 0 && d.row.approveAndPostDate);
  if (postedWrong)
    return refuse(
      'CORRECTION_PERIOD_POSTED',
      `${named} was changed in Autotask in the period ${postedWrong.row.startDate}–${postedWrong.row.endDate}, already approved and posted: Autotask has ${postedWrong.row.units} units there, this system pushed ${postedWrong.row.units - postedWrong.diff}, and Autotask refuses adjustments in a posted period`,
      `${byHand} for the posted period, undo the hand edit in Autotask from the next open period, then validate again`,
    );

  // the hand edits: each date the difference (Autotask − ledger) takes a new value
  const handEdits: HandEdit[] = [];
  let last = 0;
  for (const d of diffs) {
    if (d.diff !== last) handEdits.push({ effectiveDate: d.row.startDate, unitChange: d.diff - last });
    last = d.diff;
  }
  const date = correctionDate(input, line.contractId, rows, changes, handEdits);
  const contract = input.autotask.contracts.find((c) => c.id === line.contractId);
  if (!contract || date < contract.startDate || date > contract.endDate)
    return refuse(
      'CORRECTION_NOT_POSSIBLE',
      `${named} was changed in Autotask (${drifted.detail}); the first date a correction could have, ${date}, is outside contract ${line.contractId}${contract ? ` (${contract.startDate}–${contract.endDate})` : ''}`,
      `extend the contract in Autotask and validate again, or ${byHand}`,
    );
  const covering =
    diffs.find((d) => d.row.startDate <= date && date <= d.row.endDate) ?? diffs[diffs.length - 1]!;
  const handUnits = covering.diff;
  const onLine = validation.encoded.operations.filter(
    (o): o is AdjustOperation => o.kind === 'adjust' && o.lineKey === drifted.lineKey,
  );
  const key = adjustKey(drifted.lineKey, date);
  const sameDay = onLine.find((o) => o.key === key);
  const unitChange = (sameDay?.unitChange ?? 0) - handUnits;
  const unitsAfter =
    unitsFromLedger(changes, date) +
    onLine.filter((o) => o.effectiveDate <= date).reduce((sum, o) => sum + o.unitChange, 0);
  const first = drifted.points[0]!;
  if (unitChange === 0)
    return refuse(
      'CORRECTION_NOT_POSSIBLE',
      `${named} was changed in Autotask (${drifted.detail}), but from ${date} it carries what the source history says again: only the days before were billed differently`,
      `${byHand} for those days`,
    );
  const operation: AdjustOperation = {
    kind: 'adjust',
    key,
    customerId,
    subscriptionId: line.subscriptionId,
    productName: drifted.productName,
    lineKey: drifted.lineKey,
    contractId: line.contractId,
    serviceId: line.serviceId,
    effectiveDate: date,
    unitPrice: line.unitPrice,
    billingCycle: line.billingCycle,
    unitChange,
    unitsAfter,
    line: { mode: 'known', contractServiceId: drifted.contractServiceId },
    adopts: handEdits,
  };
  const kept = date === addDays(first.date, 1) ? first.date : `${first.date} to ${addDays(date, -1)}`;
  return {
    ok: true,
    operation,
    replaces: sameDay?.key ?? null,
    finding: finding(
      'DRIFT_CORRECTION',
      about,
      `${named} was changed by hand in Autotask: on ${first.date} it has ${first.autotask} units, the source history says ${first.ledger}. The correction: ${unitChange > 0 ? '+' : ''}${unitChange} units on ${date}, back to ${unitsAfter} from then on; ${kept} stays billed as Autotask has it (Autotask refuses a second adjustment on a date that has one)`,
      'an approver approves the upload to send it; find out who changed the line in Autotask',
    ),
  };
}

/**
 * The first date after every hand edit that Autotask accepts on the line: not in or before a
 * posted period of the contract, and not a date the line already has an adjustment on (the
 * ledger's, the hand edits', any date its units change).
 */
function correctionDate(
  input: CustomerValidationInput,
  contractId: number,
  rows: readonly { startDate: string; units: number }[],
  changes: readonly { effectiveDate: string }[],
  handEdits: readonly HandEdit[],
): string {
  const posted = input.autotask.units
    .filter((u) => u.contractID === contractId && u.approveAndPostDate)
    .map((u) => u.endDate)
    .sort();
  const taken = new Set([
    ...changes.map((c) => c.effectiveDate),
    ...handEdits.map((e) => e.effectiveDate),
    ...rows.filter((r, i) => i === 0 || r.units !== rows[i - 1]!.units).map((r) => r.startDate),
  ]);
  const after = [handEdits[handEdits.length - 1]?.effectiveDate, posted[posted.length - 1]].filter(
    (d): d is string => d !== undefined,
  );
  let date = addDays(after.sort()[after.length - 1]!, 1);
  while (taken.has(date)) date = addDays(date, 1);
  return date;
}
