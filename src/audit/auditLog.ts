// The append-only audit log. Writers pass the transaction client of the change they record so
// the record and the change commit together; the table itself refuses UPDATE and DELETE, the
// bot's database role may only INSERT and SELECT it, and every row is hash-chained to the one
// before (src/audit/auditChain.ts).
import type { Db } from '../db/prismaClient.js';
import type { Actor } from './actor.js';
import { processSecrets } from '../observability/secretScrubber.js';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  actor: Actor;
  /** dotted verb, e.g. "settings.changed", "mapping.confirmed", "upload.started" */
  action: string;
  customerId?: string | undefined;
  runId?: string | undefined;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

export interface AuditRecordView {
  id: string;
  at: Date;
  actorId: string;
  actorName: string | null;
  action: string;
  customerId: string | null;
  runId: string | null;
  outcome: string;
  details: unknown;
}

const SECRET_KEY = /secret|password|token|api[-_]?key|authorization/i;

/** Drops secret-looking keys at any depth: secrets never reach the audit log. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !SECRET_KEY.test(key))
        .map(([key, v]) => [key, withoutSecrets(v)]),
    );
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditRecord.create({
    data: {
      actorId: entry.actor.id,
      actorName: entry.actor.name ? processSecrets.scrubText(entry.actor.name) : null,
      action: entry.action,
      customerId: entry.customerId ?? null,
      runId: entry.runId ?? null,
      outcome: entry.outcome ?? 'ok',
      // secret-named keys dropped, and any secret value inside an error message replaced
      details: processSecrets.scrubValue(withoutSecrets(entry.details ?? {})) as object,
    },
  });
}

export interface AuditQuery {
  customerId?: string;
  runId?: string;
  action?: string;
  since?: Date;
  limit?: number;
}

export async function listAudit(db: Db, query: AuditQuery = {}): Promise<AuditRecordView[]> {
  const rows = await db.auditRecord.findMany({
    where: {
      customerId: query.customerId,
      runId: query.runId,
      action: query.action,
      at: query.since ? { gte: query.since } : undefined,
    },
    orderBy: { id: 'desc' },
    take: Math.min(query.limit ?? 50, 1000),
  });
  // the chain columns are for `audit verify`, not for people reading records
  return rows.map(({ prevHash: _prev, hash: _hash, ...r }) => ({ ...r, id: r.id.toString() }));
}
