// What a mapping use case answers: the change made, or a coded refusal.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { MappingRefusal } from './mappingFinding.js';
import { refusalFromDatabase, type CheckRefusal, type EndLineInstruction } from './uploadLock.js';

export interface MappingChanged {
  ok: true;
  /** false when the mapping already was exactly this */
  changed: boolean;
  message: string;
  /** forced changes only: the Autotask lines to end so the customer is not billed twice */
  endLines: EndLineInstruction[];
}

export type MappingChange = MappingChanged | MappingRefusal;

/** Refusals that protect billing are audited as denied, so attempts are visible later. */
export async function auditRefusal(
  prisma: PrismaClient,
  actor: Actor,
  action: string,
  customerId: string | undefined,
  answer: MappingRefusal,
  details: Record<string, unknown>,
): Promise<MappingRefusal> {
  await recordAudit(prisma, {
    actor,
    action,
    customerId,
    outcome: 'denied',
    details: { ...details, code: answer.code, message: answer.message },
  });
  return answer;
}

/**
 * Runs a write; a constraint or trigger refusal from the database comes back as a coded refusal.
 * `check` says what a check violation means for the table the write changes.
 */
export async function writeOrRefuse(
  work: () => Promise<MappingChange>,
  check?: CheckRefusal,
): Promise<MappingChange> {
  try {
    return await work();
  } catch (error) {
    const answer = refusalFromDatabase(error, check);
    if (answer) return answer;
    throw error;
  }
}
