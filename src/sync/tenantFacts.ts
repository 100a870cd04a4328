// What `verify-tenant` learned about an Autotask database, kept per database key: one fact per
// check or behaviour (expected, observed, holds). Every store is audited with the facts. The upload
// reads them before it writes: a contradicted behaviour it relies on (tenantBehaviours.ts) stops
// it. A tenant never verified is not refused — the sandbox and the demo run unverified.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import { TENANT_BEHAVIOURS } from '../autotask/tenantBehaviours.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { operationProblem, type OperationProblem } from './operationProblem.js';

export type FactSource = 'read-only' | 'write-probe';

export interface TenantFactInput {
  /** a behaviour key (tenantBehaviours.ts) or a read-only check id ("permissions.Contracts") */
  behaviour: string;
  expected: string;
  observed: string;
  /** null: not checked */
  holds: boolean | null;
}

export interface TenantFact extends TenantFactInput {
  source: FactSource;
  checkedAt: Date;
  checkedBy: string;
  /** the upload refuses the tenant when this one does not hold */
  reliedOn: boolean;
}

const RELIED_ON = new Set(TENANT_BEHAVIOURS.filter((b) => b.reliedOn).map((b) => b.key as string));

/** Stores (replaces) these facts of the database in one audited transaction. */
export async function storeTenantFacts(
  prisma: PrismaClient,
  input: { databaseKey: string; source: FactSource; facts: TenantFactInput[]; actor: Actor; now: Date },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    for (const fact of input.facts) {
      const row = {
        expected: fact.expected.slice(0, 1000),
        observed: fact.observed.slice(0, 1000),
        holds: fact.holds,
        source: input.source,
        checkedAt: input.now,
        checkedBy: input.actor.id,
      };
      await tx.tenantFact.upsert({
        where: { databaseKey_behaviour: { databaseKey: input.databaseKey, behaviour: fact.behaviour } },
        create: { databaseKey: input.databaseKey, behaviour: fact.behaviour, ...row },
        update: row,
      });
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'tenant.verified',
      outcome: input.facts.some((f) => f.holds === false) ? 'failed' : 'ok',
      details: {
        databaseKey: input.databaseKey,
        source: input.source,
        facts: input.facts.map((f) => ({ behaviour: f.behaviour, holds: f.holds, observed: f.observed })),
      },
    });
  });
}

export async function loadTenantFacts(db: Db, databaseKey: string): Promise<TenantFact[]> {
  const rows = await db.tenantFact.findMany({ where: { databaseKey }, orderBy: { behaviour: 'asc' } });
  return rows.map((r) => ({
    behaviour: r.behaviour,
    expected: r.expected,
    observed: r.observed,
    holds: r.holds,
    source: r.source === 'write-probe' ? 'write-probe' : 'read-only',
    checkedAt: r.checkedAt,
    checkedBy: r.checkedBy,
    reliedOn: RELIED_ON.has(r.behaviour),
  }));
}

/** Every database with facts, for `status` on a host that does not know its tenant's key. */
export async function listVerifiedDatabases(db: Db): Promise<string[]> {
  const rows = await db.tenantFact.findMany({ distinct: ['databaseKey'], select: { databaseKey: true } });
  return rows.map((r) => r.databaseKey).sort();
}

/** Why the upload may not write to this database: a relied-on behaviour its facts contradict. */
export async function tenantContradiction(db: Db, databaseKey: string): Promise<OperationProblem | null> {
  const contradicted = (await loadTenantFacts(db, databaseKey)).filter(
    (f) => f.reliedOn && f.holds === false,
  );
  if (contradicted.length === 0) return null;
  return operationProblem(
    'TENANT_BEHAVIOUR_CONTRADICTED',
    contradicted
      .map(
        (f) =>
          `this Autotask tenant contradicts ${f.behaviour} (the bot relies on: ${f.expected}; observed: ${f.observed})`,
      )
      .join('; '),
  );
}
