// Suggestions a person decides on: list, confirm one, confirm all of a customer, reject.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Db } from '../db/prismaClient.js';
import { listCustomerProducts } from './customerProducts.js';
import { loadSnapshot } from './directorySnapshot.js';
import { applyCompany } from './mapCompany.js';
import type { MappingChange } from './mappingChange.js';
import type { MappingDeps } from './mappingDeps.js';
import { refusal, type MappingRefusal } from './mappingFinding.js';
import { mapProductService } from './mapProductService.js';

export interface SuggestionView {
  id: string;
  kind: 'company' | 'service';
  customerId: string | null;
  productName: string | null;
  productSku: string | null;
  /** service suggestions: the billing cycle of the product they are for (any = every cycle) */
  billingCycle: string;
  candidateId: number;
  candidateName: string;
  confidence: number;
  reason: string;
  /** why it was offered instead of applied */
  note: string | null;
  status: string;
  createdAt: Date;
}

type Row = Awaited<ReturnType<Db['mappingSuggestion']['findFirstOrThrow']>>;

function view(r: Row): SuggestionView {
  return {
    id: r.id,
    kind: r.kind as SuggestionView['kind'],
    customerId: r.customerId,
    productName: r.productName,
    productSku: r.productSku,
    billingCycle: r.billingCycle,
    candidateId: r.candidateId,
    candidateName: r.candidateName,
    confidence: Number(r.confidence),
    reason: r.reason,
    note: r.note,
    status: r.status,
    createdAt: r.createdAt,
  };
}

/** Pending suggestions: a customer's company and the services of its products, or all of them. */
export async function listSuggestions(
  db: Db,
  filter: { customerId?: string } = {},
): Promise<SuggestionView[]> {
  if (!filter.customerId) {
    const rows = await db.mappingSuggestion.findMany({
      where: { status: 'pending' },
      orderBy: [{ kind: 'asc' }, { confidence: 'desc' }],
    });
    return rows.map(view);
  }
  const products = await listCustomerProducts(db, filter.customerId);
  const rows = await db.mappingSuggestion.findMany({
    where: {
      status: 'pending',
      OR: [
        { kind: 'company', customerId: filter.customerId },
        ...products.map((p) => ({ kind: 'service', productName: p.productName, productSku: p.productSku })),
      ],
    },
    orderBy: [{ kind: 'asc' }, { confidence: 'desc' }],
  });
  return rows.map(view);
}

function markDecided(id: string, status: 'confirmed' | 'rejected', actor: Actor, row: Row) {
  return async (db: Db) => {
    await db.mappingSuggestion.update({
      where: { id },
      data: { status, decidedBy: actor.id, decidedAt: new Date() },
    });
    await recordAudit(db, {
      actor,
      action: status === 'confirmed' ? 'mapping.suggestion.confirmed' : 'mapping.suggestion.rejected',
      customerId: row.customerId ?? undefined,
      details: {
        suggestionId: id,
        kind: row.kind,
        product: row.productName ? { productName: row.productName, productSku: row.productSku } : null,
        ...(row.kind === 'service' ? { cycle: row.billingCycle } : {}),
        candidate: { id: row.candidateId, name: row.candidateName },
        confidence: Number(row.confidence),
      },
    });
  };
}

async function pendingSuggestion(db: Db, id: string): Promise<{ ok: true; row: Row } | MappingRefusal> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await db.mappingSuggestion.findUnique({ where: { id } }) : null;
  if (!row)
    return refusal('SUGGESTION_NOT_FOUND', `there is no suggestion ${id}`, 'see the mapping card for ids');
  if (row.status !== 'pending')
    return refusal(
      'SUGGESTION_DECIDED',
      `suggestion ${id} is already ${row.status}${row.decidedBy ? ` (by ${row.decidedBy})` : ''}`,
      'show the mapping card for the current state',
    );
  return { ok: true, row };
}

export async function confirmSuggestion(deps: MappingDeps, id: string, actor: Actor): Promise<MappingChange> {
  const found = await pendingSuggestion(deps.prisma, id);
  if (!found.ok) return found;
  const { row } = found;
  const decide = markDecided(id, 'confirmed', actor, row);
  if (row.kind === 'company') {
    const customer = await deps.prisma.customer.findUnique({ where: { id: row.customerId! } });
    if (!customer)
      return refusal('CUSTOMER_NOT_FOUND', `there is no customer ${row.customerId}`, 'see: customers');
    const snapshot = await loadSnapshot(deps.directory, []);
    const company = snapshot.companies.get(row.candidateId);
    if (!company)
      return refusal(
        'COMPANY_NOT_FOUND',
        `Autotask company ${row.candidateId} "${row.candidateName}" is no longer in Autotask`,
        'run the mapping again for fresh suggestions',
      );
    return applyCompany(deps, customer, company, 'suggestion', actor, undefined, decide);
  }
  return mapProductService(
    deps,
    {
      productName: row.productName!,
      productSku: row.productSku ?? '',
      ...(row.billingCycle !== 'any' ? { billingCycle: row.billingCycle } : {}),
      service: String(row.candidateId),
    },
    actor,
    decide,
  );
}

export async function rejectSuggestion(deps: MappingDeps, id: string, actor: Actor): Promise<MappingChange> {
  const found = await pendingSuggestion(deps.prisma, id);
  if (!found.ok) return found;
  await deps.prisma.$transaction(markDecided(id, 'rejected', actor, found.row));
  return { ok: true, changed: true, message: `rejected: ${found.row.candidateName}`, endLines: [] };
}

export interface ConfirmAllReport {
  ok: true;
  confirmed: string[];
  /** subjects with several candidates: a person must pick one */
  skipped: string[];
  refused: MappingRefusal[];
}

/** Confirms every subject of the customer that has exactly one pending candidate. */
export async function confirmAllSuggestions(
  deps: MappingDeps,
  customerId: string,
  actor: Actor,
): Promise<ConfirmAllReport | MappingRefusal> {
  const customer = await deps.prisma.customer.findUnique({ where: { id: customerId } });
  if (!customer) return refusal('CUSTOMER_NOT_FOUND', `there is no customer ${customerId}`, 'see: customers');
  const pending = await listSuggestions(deps.prisma, { customerId });
  const bySubject = new Map<string, SuggestionView[]>();
  for (const s of pending) {
    const key =
      s.kind === 'company' ? 'company' : `${s.productName}\u0000${s.productSku}\u0000${s.billingCycle}`;
    bySubject.set(key, [...(bySubject.get(key) ?? []), s]);
  }
  const report: ConfirmAllReport = { ok: true, confirmed: [], skipped: [], refused: [] };
  for (const group of bySubject.values()) {
    const first = group[0]!;
    const subject =
      first.kind === 'company'
        ? `${customer.name} company`
        : `${first.productName}${first.billingCycle === 'any' ? '' : ` (${first.billingCycle})`}`;
    if (group.length > 1) {
      report.skipped.push(
        `${subject}: ${group.length} candidates (${group.map((s) => `${s.id} "${s.candidateName}"`).join(', ')}) — confirm <suggestion id>`,
      );
      continue;
    }
    const answer = await confirmSuggestion(deps, first.id, actor);
    if (answer.ok) report.confirmed.push(answer.message);
    else report.refused.push(answer);
  }
  return report;
}
