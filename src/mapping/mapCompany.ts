// Manual company mapping: `map <customer> company <id or name>`. One customer ↔ one company.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Company } from '../autotask/entities.js';
import type { Db } from '../db/prismaClient.js';
import { loadSnapshot } from './directorySnapshot.js';
import { endLinesFor } from './endLines.js';
import { findCompany } from './findTarget.js';
import { auditRefusal, writeOrRefuse, type MappingChange } from './mappingChange.js';
import { todayOf, type MappingDeps } from './mappingDeps.js';
import {
  MAP_COMPANY_USAGE,
  MapCompanyInputSchema,
  parseInput,
  type MapCompanyInput,
} from './mappingInputs.js';
import { refusal } from './mappingFinding.js';
import { loadMappingRows } from './resolveMappingForSync.js';
import { allowForcedChange, lockedRefusal, type ForceOption } from './uploadLock.js';

export async function mapCompany(
  deps: MappingDeps,
  raw: MapCompanyInput,
  actor: Actor,
): Promise<MappingChange> {
  const parsed = parseInput(MapCompanyInputSchema, raw, MAP_COMPANY_USAGE);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const rows = await loadMappingRows(deps.prisma, input.customerId);
  if (!rows)
    return refusal('CUSTOMER_NOT_FOUND', `there is no customer ${input.customerId}`, 'see: customers');
  const snapshot = await loadSnapshot(deps.directory, rows.company ? [rows.company.companyId] : []);
  const found = findCompany(input.company, snapshot.companies.values());
  if (!found.ok) return found;
  return applyCompany(deps, rows.customer, found.company, 'manual', actor, input.force);
}

/** Shared by manual mapping, confirmation and automatic mode. */
export async function applyCompany(
  deps: MappingDeps,
  customer: { id: string; name: string },
  company: Company,
  source: 'manual' | 'suggestion' | 'automatic',
  actor: Actor,
  force?: ForceOption,
  tx?: (db: Db) => Promise<void>,
): Promise<MappingChange> {
  const { prisma } = deps;
  const label = `Autotask company ${company.id} "${company.companyName}"`;
  if (!company.isActive)
    return refusal(
      'COMPANY_INACTIVE',
      `${label} is inactive`,
      'reactivate it in Autotask or choose another company',
    );
  const taken = await prisma.customerCompanyMapping.findUnique({ where: { companyId: company.id } });
  if (taken && taken.customerId !== customer.id) {
    const other = await prisma.customer.findUnique({ where: { id: taken.customerId } });
    return refusal(
      'COMPANY_TAKEN',
      `${label} is already mapped to customer "${other?.name ?? taken.customerId}"; one customer ↔ one company`,
      `if that mapping is wrong, map "${other?.name ?? taken.customerId}" to its own company first`,
    );
  }
  const rows = (await loadMappingRows(prisma, customer.id))!;
  const current = rows.company;
  if (current?.companyId === company.id) {
    if (tx) await prisma.$transaction(tx);
    return { ok: true, changed: false, message: `${customer.name} already is ${label}`, endLines: [] };
  }
  const uploaded = [current?.firstUploadedAt, ...rows.contracts.map((c) => c.firstUploadedAt)].find(Boolean);
  if (current && uploaded && !force)
    return auditRefusal(
      prisma,
      actor,
      'mapping.company.refused',
      customer.id,
      lockedRefusal(
        `${customer.name} → Autotask company ${current.companyId} "${current.companyName}"`,
        uploaded,
      ),
      { from: current.companyId, to: company.id },
    );
  const from = force?.effectiveFrom ?? todayOf(deps);
  const endLines = current ? endLinesFor(rows, {}, from) : [];
  return writeOrRefuse(async () => {
    await prisma.$transaction(async (db) => {
      if (force) await allowForcedChange(db, force.reason);
      if (current) {
        // The old company's contracts cannot serve the new company: pins and contract rows go.
        await db.customerProductOverride.updateMany({
          where: { customerId: customer.id, contractId: { not: null } },
          data: { contractId: null },
        });
        await db.customerContractMapping.deleteMany({ where: { customerId: customer.id } });
        await db.customerCompanyMapping.delete({ where: { customerId: customer.id } });
      }
      await db.customerCompanyMapping.create({
        data: {
          customerId: customer.id,
          companyId: company.id,
          companyName: company.companyName,
          source,
          decidedBy: actor.id,
        },
      });
      await db.mappingSuggestion.updateMany({
        where: {
          kind: 'company',
          customerId: customer.id,
          status: 'pending',
          candidateId: { not: company.id },
        },
        data: { status: 'superseded', decidedBy: actor.id, decidedAt: new Date() },
      });
      if (tx) await tx(db);
      await recordAudit(db, {
        actor,
        action: current ? 'mapping.company.changed' : 'mapping.company.mapped',
        customerId: customer.id,
        details: {
          source,
          from: current ? { id: current.companyId, name: current.companyName } : null,
          to: { id: company.id, name: company.companyName },
          removedContracts: current ? rows.contracts.map((c) => c.contractId) : [],
          ...(force ? { forced: true, reason: force.reason, endLines } : {}),
        },
      });
    });
    return {
      ok: true,
      changed: true,
      message: `${customer.name} → ${label}${current ? ` (was ${current.companyId} "${current.companyName}")` : ''}`,
      endLines,
    };
  });
}
