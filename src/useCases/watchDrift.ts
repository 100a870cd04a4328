// The drift watch (docs/drift-watch.md): reads the units timeline of every line the ledger has
// pushed, compares it with the ledger, and tells people once per customer and per change of the
// drift — the last `drift.noticed` / `drift.cleared` audit record of a customer says what they
// were last told. The notice is stored (once, by key) before the audit record, so a crash in
// between tells nobody twice. Changes nothing in Autotask.
import { z } from 'zod';
import { recordAudit } from '../audit/auditLog.js';
import { WATCH_ACTOR } from '../audit/systemActors.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { customerDrift, driftFingerprint, type DriftedLine } from '../sync/customerDrift.js';
import { computePlan, type ValidateDependencies } from '../sync/validateRun.js';

export interface DriftWarningData {
  customerId: string;
  customerName: string;
  lines: {
    productName: string;
    billingCycle: string;
    contractServiceId: number;
    since: string;
    detail: string;
  }[];
  correctionCommand: string;
}

export interface DriftWatchSummary {
  /** customers with lines the ledger pushed */
  watched: number;
  drifted: number;
  /** cards sent this time (drift new or changed) */
  told: number;
  cleared: number;
  /** customers whose Autotask could not be read, with why */
  unreadable: { customerName: string; message: string }[];
}

const NOTICED = 'drift.noticed';
const CLEARED = 'drift.cleared';
const LastToldSchema = z.object({ fingerprint: z.string() });

export async function watchDrift(
  deps: { planning: ValidateDependencies; prisma: PrismaClient },
  tell: (key: string, warning: DriftWarningData) => Promise<void>,
): Promise<DriftWatchSummary> {
  const { prisma } = deps;
  const summary: DriftWatchSummary = { watched: 0, drifted: 0, told: 0, cleared: 0, unreadable: [] };
  const computed = await computePlan(deps.planning, 'all');
  if (!computed.ok) return summary;
  for (const input of computed.inputs) {
    if (input.ledger.knownLines.length === 0) continue;
    summary.watched += 1;
    if (!input.autotask.connectivity.ok) {
      summary.unreadable.push({
        customerName: input.customer.name,
        message: input.autotask.connectivity.message,
      });
      continue;
    }
    const validation = computed.validations.find((v) => v.customerId === input.customer.id)!;
    const lines = customerDrift(input, validation);
    const last = await prisma.auditRecord.findFirst({
      where: { customerId: input.customer.id, action: { in: [NOTICED, CLEARED] } },
      orderBy: { id: 'desc' },
      select: { id: true, action: true, details: true },
    });
    const lastFingerprint =
      last?.action === NOTICED ? LastToldSchema.safeParse(last.details).data?.fingerprint : undefined;
    if (lines.length === 0) {
      if (lastFingerprint !== undefined) {
        await recordAudit(prisma, {
          actor: WATCH_ACTOR,
          action: CLEARED,
          customerId: input.customer.id,
          details: { fingerprint: lastFingerprint },
        });
        summary.cleared += 1;
      }
      continue;
    }
    summary.drifted += 1;
    const fingerprint = driftFingerprint(lines);
    if (fingerprint === lastFingerprint) continue;
    await tell(`drift:${input.customer.id}:${fingerprint}:${last?.id ?? 0}`, {
      customerId: input.customer.id,
      customerName: input.customer.name,
      lines: lines.map(view),
      correctionCommand: `correct ${input.customer.id}`,
    });
    await recordAudit(prisma, {
      actor: WATCH_ACTOR,
      action: NOTICED,
      customerId: input.customer.id,
      details: { fingerprint, lines: lines.map(view) },
    });
    summary.told += 1;
  }
  return summary;
}

const view = (l: DriftedLine) => ({
  productName: l.productName,
  billingCycle: l.billingCycle,
  contractServiceId: l.contractServiceId,
  since: l.since,
  detail: l.detail,
});
