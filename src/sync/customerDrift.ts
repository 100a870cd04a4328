// What the drift watch compares (PURE): every line the ledger recorded for a customer, Autotask's
// units timeline of it against the changes the ledger says were sent (findDrift, the same check
// an upload makes before it sends). A fingerprint names the drift so the watch tells people once
// per change of it, not once per day or per new billing period (docs/drift-watch.md).
import { createHash } from 'node:crypto';
import type { CustomerValidation, CustomerValidationInput } from './validateCustomer.js';
import { lineChanges } from './ledgerChanges.js';
import { describeDrift, findDrift, type DriftPoint } from './unitsTimeline.js';

export interface DriftedLine {
  lineKey: string;
  contractServiceId: number;
  productName: string;
  billingCycle: string;
  /** the first date Autotask's units differ */
  since: string;
  detail: string;
  points: DriftPoint[];
}

export function customerDrift(
  input: CustomerValidationInput,
  validation: Pick<CustomerValidation, 'encoded'>,
): DriftedLine[] {
  const drifted: DriftedLine[] = [];
  for (const known of input.ledger.knownLines) {
    // a line the current mapping does not reach was not read from Autotask: no verdict on it
    const line = validation.encoded.lines.find((l) => l.lineKey === known.lineKey);
    if (!line) continue;
    const changes = lineChanges(input.ledger.pushed, known.lineKey);
    if (changes.length === 0) continue;
    const rows = input.autotask.units.filter((u) => u.contractServiceId === known.contractServiceId);
    const points = findDrift(rows, changes);
    if (points.length === 0) continue;
    const subscription = input.subscriptions.find((s) => s.id === line.subscriptionId);
    drifted.push({
      lineKey: known.lineKey,
      contractServiceId: known.contractServiceId,
      productName: subscription?.productName ?? known.lineKey,
      billingCycle: line.billingCycle,
      since: points[0]!.date,
      detail: describeDrift(points),
      points,
    });
  }
  return drifted.sort(
    (a, b) => a.productName.localeCompare(b.productName) || a.contractServiceId - b.contractServiceId,
  );
}

/**
 * The drift as it changes: per line, each date the difference (Autotask − ledger) takes a new
 * value. A new billing period carrying the same wrong units adds a row but not a change.
 */
export function driftFingerprint(lines: readonly DriftedLine[]): string {
  const shape = [...lines]
    .sort((a, b) => a.contractServiceId - b.contractServiceId)
    .map((l) => {
      const steps: string[] = [];
      let last: number | undefined;
      for (const p of [...l.points].sort((x, y) => x.date.localeCompare(y.date))) {
        const diff = p.autotask - p.ledger;
        if (diff !== last) steps.push(`${p.date}:${diff}`);
        last = diff;
      }
      return `${l.contractServiceId}=${steps.join(',')}`;
    })
    .join('|');
  return createHash('sha256').update(shape).digest('hex').slice(0, 16);
}
