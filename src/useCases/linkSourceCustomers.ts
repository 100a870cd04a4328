// Which of our customers each customer of a source is (docs/sources.md "One customer across
// sources"): by the link a previous pull made, else by the Microsoft tenant id or our external
// id, else a new customer. Never duplicated, never merged silently: when the ids disagree the
// source's customer is held back as a SOURCE_CUSTOMER_CONFLICT finding and nothing of it is
// stored. Runs inside the pull's transaction, under the ingestion lock.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { Db } from '../db/prismaClient.js';
import type { SourceCustomer, SourceName } from '../sources/sourceConnector.js';
import type { SourceFinding } from '../sources/sourceFinding.js';

export interface LinkedCustomer {
  customerId: string;
  name: string;
  /** how the import path finds it: every customer a source links has one */
  externalId: string;
  created: boolean;
}

export interface CustomerLinking {
  /** by the source's customer id */
  linked: Map<string, LinkedCustomer>;
  /** source customer ids held back (a conflict) */
  held: Set<string>;
  findings: SourceFinding[];
  created: number;
}

interface CustomerRow {
  id: string;
  name: string;
  externalId: string | null;
  tenantId: string | null;
}

export async function linkSourceCustomers(
  tx: Db,
  source: SourceName,
  told: readonly SourceCustomer[],
  actor: Actor,
  now: Date,
): Promise<CustomerLinking> {
  // a GUID is one tenant however it is written
  const customers = told.map((c) => (c.tenantId ? { ...c, tenantId: c.tenantId.toLowerCase() } : c));
  const result: CustomerLinking = { linked: new Map(), held: new Set(), findings: [], created: 0 };
  const links = new Map(
    (
      await tx.customerSourceLink.findMany({
        where: { source, sourceCustomerId: { in: customers.map((c) => c.sourceId) } },
        include: { customer: { select: { id: true, name: true, externalId: true, tenantId: true } } },
      })
    ).map((l) => [l.sourceCustomerId, l]),
  );
  const tenantIds = customers.flatMap((c) => (c.tenantId ? [c.tenantId] : []));
  // external ids compared in lower case: a CSV may write a tenant GUID in capitals
  const externalIds = customers.flatMap((c) => [c.sourceId, ...(c.tenantId ? [c.tenantId] : [])].map(lower));
  const candidates = await tx.$queryRaw<CustomerRow[]>`
    SELECT id, name, external_id AS "externalId", tenant_id AS "tenantId" FROM customers
    WHERE tenant_id = ANY(${tenantIds}::text[]) OR lower(external_id) = ANY(${externalIds}::text[])`;
  const byTenant = new Map(candidates.flatMap((c) => (c.tenantId ? [[c.tenantId, c] as const] : [])));
  const byExternal = new Map(
    candidates.flatMap((c) => (c.externalId ? [[lower(c.externalId), c] as const] : [])),
  );
  // customers already linked to another customer of this source (two companies, one tenant)
  const linkedElsewhere = new Map(
    (
      await tx.customerSourceLink.findMany({
        where: { source, customerId: { in: candidates.map((c) => c.id) } },
        select: { customerId: true, sourceCustomerId: true },
      })
    ).map((l) => [l.customerId, l.sourceCustomerId]),
  );

  const hold = (c: SourceCustomer, message: string, hint: string) => {
    result.held.add(c.sourceId);
    result.findings.push({
      code: 'SOURCE_CUSTOMER_CONFLICT',
      message: `${source} customer "${c.name}" (${c.sourceId}): ${message}`,
      hint,
      sourceId: c.sourceId,
      entity: 'customer',
    });
  };

  for (const c of customers) {
    const link = links.get(c.sourceId);
    const tenantOwner = c.tenantId ? byTenant.get(c.tenantId) : undefined;
    if (link) {
      const ours = link.customer;
      if (c.tenantId && ours.tenantId && ours.tenantId !== c.tenantId) {
        hold(
          c,
          `it now names tenant ${c.tenantId}, but it is linked to "${ours.name}" of tenant ${ours.tenantId}`,
          `check the tenant on ${source}'s side; if the customer really moved, unlink it in the database and pull again`,
        );
        continue;
      }
      if (tenantOwner && tenantOwner.id !== ours.id) {
        hold(
          c,
          `it is linked to "${ours.name}", but its tenant ${c.tenantId} belongs to "${tenantOwner.name}"`,
          'two of our customers claim one Microsoft tenant: merge them by hand (re-map one onto the other) before pulling again',
        );
        continue;
      }
      if (c.tenantId && !ours.tenantId)
        await tx.customer.update({ where: { id: ours.id }, data: { tenantId: c.tenantId } });
      await tx.customerSourceLink.update({
        where: { source_sourceCustomerId: { source, sourceCustomerId: c.sourceId } },
        data: { lastSeenAt: now, sourceName: c.name, tenantId: c.tenantId ?? link.tenantId },
      });
      result.linked.set(c.sourceId, await identified(tx, ours, false));
      continue;
    }

    const found = distinct([
      tenantOwner,
      byExternal.get(lower(c.sourceId)),
      c.tenantId ? byExternal.get(lower(c.tenantId)) : undefined,
    ]);
    if (found.length > 1) {
      hold(
        c,
        `its ids match two of our customers (${found.map((f) => `"${f.name}"`).join(', ')})`,
        'merge the two customers (or correct the external id of one) before pulling again',
      );
      continue;
    }
    const existing = found[0];
    if (existing) {
      const other = linkedElsewhere.get(existing.id);
      if (other !== undefined && other !== c.sourceId) {
        hold(
          c,
          `"${existing.name}" is already linked to ${source} customer ${other}, which names the same tenant`,
          `${source} holds two customers for one tenant: merge them on ${source}'s side`,
        );
        continue;
      }
      if (c.tenantId && existing.tenantId && existing.tenantId !== c.tenantId) {
        hold(
          c,
          `it names tenant ${c.tenantId}, but "${existing.name}" (external id ${existing.externalId}) is of tenant ${existing.tenantId}`,
          'correct the external id or the tenant on one side before pulling again',
        );
        continue;
      }
      if (c.tenantId && !existing.tenantId)
        await tx.customer.update({ where: { id: existing.id }, data: { tenantId: c.tenantId } });
      await createLink(tx, source, c, existing.id, actor, now);
      linkedElsewhere.set(existing.id, c.sourceId);
      result.linked.set(c.sourceId, await identified(tx, existing, false));
      continue;
    }

    // a new customer: its external id is the tenant id when known, else the source's id
    const externalId = c.tenantId ?? c.sourceId;
    const created = await tx.customer.create({
      data: {
        id: randomUUID(),
        name: c.name,
        externalId,
        tenantId: c.tenantId ?? null,
        domain: c.domain ?? null,
      },
      select: { id: true, name: true, externalId: true, tenantId: true },
    });
    await createLink(tx, source, c, created.id, actor, now);
    byExternal.set(lower(externalId), created);
    if (c.tenantId) byTenant.set(c.tenantId, created);
    linkedElsewhere.set(created.id, c.sourceId);
    result.created++;
    result.linked.set(c.sourceId, { customerId: created.id, name: created.name, externalId, created: true });
  }
  return result;
}

const lower = (id: string) => id.toLowerCase();

function distinct(rows: (CustomerRow | undefined)[]): CustomerRow[] {
  const seen = new Map<string, CustomerRow>();
  for (const r of rows) if (r) seen.set(r.id, r);
  return [...seen.values()];
}

async function createLink(
  tx: Db,
  source: SourceName,
  c: SourceCustomer,
  customerId: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  await tx.customerSourceLink.create({
    data: {
      source,
      sourceCustomerId: c.sourceId,
      customerId,
      sourceName: c.name,
      tenantId: c.tenantId ?? null,
      linkedBy: actor.id,
      linkedAt: now,
      lastSeenAt: now,
    },
  });
}

/** A linked customer as the import path will look it up: by an external id, given one if it had none. */
async function identified(tx: Db, c: CustomerRow, created: boolean): Promise<LinkedCustomer> {
  let externalId = c.externalId;
  if (!externalId) {
    // a customer from a file, found by its tenant: it gets the tenant id as its external id,
    // unless another customer holds that one already (external ids are unique)
    const taken = c.tenantId
      ? await tx.customer.findFirst({ where: { externalId: c.tenantId }, select: { id: true } })
      : null;
    externalId = c.tenantId && !taken ? c.tenantId : `customer:${c.id}`;
    await tx.customer.update({ where: { id: c.id }, data: { externalId } });
  }
  return { customerId: c.id, name: c.name, externalId, created };
}
