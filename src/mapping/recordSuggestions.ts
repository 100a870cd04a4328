// Stores the candidates matching produced as pending suggestions (one per candidate, no
// duplicates), supersedes pending ones that are no longer candidates, and audits it — all in the
// caller's transaction.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Db } from '../db/prismaClient.js';
import type { MatchCandidate } from './matchOutcome.js';

export type SuggestionSubject =
  | { kind: 'company'; customerId: string }
  | { kind: 'service'; productName: string; productSku: string; billingCycle?: string };

function subjectWhere(subject: SuggestionSubject) {
  return subject.kind === 'company'
    ? { kind: 'company', customerId: subject.customerId }
    : {
        kind: 'service',
        customerId: null,
        productName: subject.productName,
        productSku: subject.productSku,
        billingCycle: subject.billingCycle ?? 'any',
      };
}

/** Returns the ids of the pending suggestions for these candidates. */
export async function recordSuggestions(
  db: Db,
  subject: SuggestionSubject,
  candidates: MatchCandidate[],
  ambiguous: boolean,
  actor: Actor,
  /** why the candidates are offered rather than applied */
  note: string | null = null,
): Promise<string[]> {
  const where = { ...subjectWhere(subject), status: 'pending' };
  const now = new Date();
  const superseded = await db.mappingSuggestion.updateMany({
    where: { ...where, candidateId: { notIn: candidates.map((c) => c.id) } },
    data: { status: 'superseded', decidedBy: actor.id, decidedAt: now },
  });
  const ids: string[] = [];
  const created: MatchCandidate[] = [];
  // a candidate a person rejected for this subject is not offered again
  const rejected = new Set(
    (
      await db.mappingSuggestion.findMany({
        where: { ...subjectWhere(subject), status: 'rejected' },
        select: { candidateId: true },
      })
    ).map((r) => r.candidateId),
  );
  for (const c of candidates) {
    if (rejected.has(c.id)) continue;
    const pending = await db.mappingSuggestion.findFirst({ where: { ...where, candidateId: c.id } });
    if (pending) {
      ids.push(pending.id);
      continue;
    }
    const row = await db.mappingSuggestion.create({
      data: {
        ...subjectWhere(subject),
        candidateId: c.id,
        candidateName: c.name,
        confidence: c.confidence.toFixed(3),
        reason: ambiguous ? 'ambiguous' : c.reason,
        note,
        createdBy: actor.id,
      },
    });
    ids.push(row.id);
    created.push(c);
  }
  if (created.length > 0 || superseded.count > 0)
    await recordAudit(db, {
      actor,
      action: 'mapping.suggested',
      customerId: subject.kind === 'company' ? subject.customerId : undefined,
      details: {
        subject,
        ambiguous,
        ...(note ? { note } : {}),
        superseded: superseded.count,
        candidates: created.map((c) => ({
          id: c.id,
          name: c.name,
          confidence: c.confidence,
          reason: c.reason,
        })),
      },
    });
  return ids;
}
