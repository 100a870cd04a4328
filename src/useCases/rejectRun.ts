// `reject <run> [reason]`: the decision is stored and audited; nothing is uploaded.
import type { Actor } from '../audit/actor.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { rejectRun as rejectStoredRun, type RunOutcome } from '../sync/runStore.js';

export function rejectRun(
  deps: { prisma: PrismaClient; now?: () => Date },
  actor: Actor,
  runId: string,
  reason?: string,
): Promise<RunOutcome> {
  return rejectStoredRun(deps.prisma, runId, actor, { now: deps.now?.() ?? new Date(), reason });
}
