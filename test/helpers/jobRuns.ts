// Runs brought to `approved` (validated, requested, approved by another person) the way the chat
// flow does, for the job tests; test/helpers/syncRuns.ts goes one step further, to `uploading`.
import type { PrismaClient } from '../../src/db/prismaClient.js';
import { encodeHistory } from '../../src/sync/encodeHistory.js';
import { planUpload } from '../../src/sync/planUpload.js';
import { approveRun, recordValidation, requestUpload, startValidation } from '../../src/sync/runStore.js';
import { TARGETS } from './syncFixtures.js';
import { APPROVER, FRESH, REQUESTER, type RunSpec } from './syncRuns.js';

export async function approvedRun(prisma: PrismaClient, spec: RunSpec): Promise<{ runId: string }> {
  const encoded = encodeHistory({
    customerId: spec.customerId,
    cutoverDate: spec.cutoverDate ?? null,
    asOf: '2026-11-25',
    subscriptions: spec.subscriptions,
    events: spec.events,
    targets: spec.targets ?? TARGETS,
    pushed: [],
    knownLines: [],
    existingLines: spec.existingLines,
  });
  const plan = planUpload(
    [{ customerId: spec.customerId, customerName: spec.customerId, findings: [], blocked: false, encoded }],
    { planHash: 'h', budget: { requestsPerHour: 5000, inFlight: 1, secondsPerCall: 0.1 } },
  );
  const run = await startValidation(prisma, REQUESTER, spec.customerId);
  await recordValidation(prisma, run.id, plan, REQUESTER);
  const requested = await requestUpload(prisma, run.id, REQUESTER, FRESH);
  if (!requested.ok) throw new Error(requested.message);
  const approved = await approveRun(prisma, run.id, APPROVER, FRESH);
  if (!approved.ok) throw new Error(approved.message);
  return { runId: run.id };
}
