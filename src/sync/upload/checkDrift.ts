// Phase 2: drift. Each known line of a subscription about to be touched must carry what the
// ledger says was pushed; where it does not, nothing is sent for that subscription and an audit
// record says what differs. The hand edits a pending correction of this run adopts count as
// pushed: the correction is what undoes them (docs/drift-watch.md).
import { recordAudit } from '../../audit/auditLog.js';
import { formatProblem } from '../../core/problem.js';
import { loadPushed, type LedgerOperation } from '../operationLedger.js';
import { operationProblem } from '../operationProblem.js';
import { lineChanges } from '../ledgerChanges.js';
import { describeDrift, findDrift } from '../unitsTimeline.js';
import type { UploadSession } from './uploadSession.js';

export async function checkDrift(session: UploadSession, pending: readonly LedgerOperation[]): Promise<void> {
  const { pushed } = await loadPushed(session.prisma, session.customerIds);
  const touched = new Set(pending.filter((o) => o.status !== 'done').map((o) => o.subscriptionId));
  for (const subscriptionId of touched) {
    const differences: {
      lineKey: string;
      contractServiceId: number;
      points: ReturnType<typeof findDrift>;
    }[] = [];
    for (const [lineKey, contractServiceId] of session.lineIdByKey) {
      if (!lineKey.startsWith(`${subscriptionId}|`)) continue;
      const rows = session.view.rows.filter((r) => r.contractServiceId === contractServiceId);
      const adopting = pending.filter((o) => o.status !== 'done' && o.lineKey === lineKey);
      const changes = [...lineChanges(pushed, lineKey), ...adopting.flatMap((o) => o.adopts ?? [])];
      const points = findDrift(rows, changes);
      if (points.length > 0) differences.push({ lineKey, contractServiceId, points });
    }
    if (differences.length === 0) continue;
    const drift = operationProblem(
      'DRIFT',
      `Autotask's units for subscription ${subscriptionId} differ from what this system pushed: ${differences
        .map((d) => `line ${d.contractServiceId}: ${describeDrift(d.points)}`)
        .join('; ')}; nothing is sent for it`,
    );
    const message = formatProblem(drift);
    session.blocked.set(subscriptionId, drift);
    session.drift.push({ subscriptionId, message });
    await recordAudit(session.prisma, {
      actor: session.actor,
      action: 'drift.detected',
      runId: session.runId,
      customerId: pending.find((o) => o.subscriptionId === subscriptionId)!.customerId,
      outcome: 'failed',
      details: { subscriptionId, message, differences },
    });
  }
}
