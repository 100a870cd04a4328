// Drives a customer's history through validation → request → approval → start, as the CLI and
// the chat will, so upload tests begin from a run in `uploading`.
import type { Actor } from '../../src/audit/actor.js';
import type { PrismaClient } from '../../src/db/prismaClient.js';
import { encodeHistory } from '../../src/sync/encodeHistory.js';
import { loadPushed } from '../../src/sync/operationLedger.js';
import { planUpload } from '../../src/sync/planUpload.js';
import { DEFAULT_RUN_POLICY } from '../../src/sync/runPolicy.js';
import {
  approveRun,
  recordValidation,
  requestUpload,
  startUpload,
  startValidation,
} from '../../src/sync/runStore.js';
import type {
  CustomerTargets,
  ExistingLine,
  SubscriptionEventInput,
  SubscriptionInput,
} from '../../src/sync/syncInputs.js';
import { TARGETS } from './syncFixtures.js';

export const REQUESTER: Actor = { id: 'cli:alice' };
export const APPROVER: Actor = { id: 'cli:bob' };
export const RUN_CLOCK = new Date('2026-11-25T09:00:00Z');
export const FRESH = { currentPlanHash: 'h', now: RUN_CLOCK, policy: DEFAULT_RUN_POLICY };

export interface RunSpec {
  customerId: string;
  subscriptions: SubscriptionInput[];
  events: SubscriptionEventInput[];
  existingLines: ExistingLine[];
  cutoverDate?: string | null;
  targets?: CustomerTargets;
  /** plan as if nothing had been pushed (a stale plan from before an earlier upload) */
  ignoreLedger?: boolean;
}

export async function uploadingRun(
  prisma: PrismaClient,
  spec: RunSpec,
): Promise<{ runId: string; operations: number }> {
  const ledger = spec.ignoreLedger
    ? { pushed: [], knownLines: [] }
    : await loadPushed(prisma, [spec.customerId]);
  const encoded = encodeHistory({
    customerId: spec.customerId,
    cutoverDate: spec.cutoverDate ?? null,
    asOf: '2026-11-25',
    subscriptions: spec.subscriptions,
    events: spec.events,
    targets: spec.targets ?? TARGETS,
    pushed: ledger.pushed,
    knownLines: ledger.knownLines,
    existingLines: spec.existingLines,
  });
  expect(encoded.findings).toEqual([]);
  const plan = planUpload(
    [{ customerId: spec.customerId, customerName: spec.customerId, findings: [], blocked: false, encoded }],
    { planHash: 'h', budget: { requestsPerHour: 5000, inFlight: 1, secondsPerCall: 0.1 } },
  );
  const run = await startValidation(prisma, REQUESTER, spec.customerId);
  await recordValidation(prisma, run.id, plan, REQUESTER);
  expect(await requestUpload(prisma, run.id, REQUESTER, FRESH)).toMatchObject({ ok: true });
  expect(await approveRun(prisma, run.id, APPROVER, FRESH)).toMatchObject({ ok: true });
  expect(await startUpload(prisma, run.id, APPROVER, FRESH)).toMatchObject({ ok: true });
  return { runId: run.id, operations: plan.operations.length };
}
