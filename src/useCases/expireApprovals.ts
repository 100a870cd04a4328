// Approval expiry: requests nobody decided and approvals nobody uploaded go to `expired` once
// their time is up (default 24 h, sync.approval_ttl_hours), so a stale plan can never be
// uploaded. Each expiry is audited in the same transaction as the change.
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { EXPIRY_ACTOR } from '../audit/systemActors.js';

export interface ExpiredRun {
  runId: string;
  from: string;
  expiresAt: Date;
}

export async function expireStaleApprovals(prisma: PrismaClient, now: Date): Promise<ExpiredRun[]> {
  const due = await prisma.syncRun.findMany({
    where: { state: { in: ['upload_requested', 'approved'] }, expiresAt: { lt: now } },
    select: { id: true, state: true, expiresAt: true, scope: true },
    take: 500,
  });
  const expired: ExpiredRun[] = [];
  for (const run of due) {
    const moved = await prisma.$transaction(async (tx) => {
      const changed = await tx.syncRun.updateMany({
        where: { id: run.id, state: run.state, expiresAt: { lt: now } },
        data: { state: 'expired' },
      });
      if (changed.count !== 1) return false;
      await recordAudit(tx, {
        actor: EXPIRY_ACTOR,
        action: 'upload.expired',
        runId: run.id,
        customerId: run.scope === 'all' ? undefined : run.scope,
        details: { from: run.state, to: 'expired', expiresAt: run.expiresAt!.toISOString() },
      });
      return true;
    });
    if (moved) expired.push({ runId: run.id, from: run.state, expiresAt: run.expiresAt! });
  }
  return expired;
}
