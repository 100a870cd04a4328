// What the ledger says a line carries (PURE): the done adjustments on it, plus the hand edits a
// correction adopted (docs/drift-watch.md) — the changes every drift check compares Autotask with.
import type { PushedOperation } from './syncInputs.js';
import type { DatedChange } from './unitsTimeline.js';

export function lineChanges(pushed: readonly PushedOperation[], lineKey: string): DatedChange[] {
  return pushed
    .filter((p) => p.kind === 'adjust' && p.lineKey === lineKey)
    .flatMap((p) => [{ effectiveDate: p.effectiveDate, unitChange: p.unitChange }, ...(p.adopts ?? [])]);
}
