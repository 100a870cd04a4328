// Matches customers to companies and products to services. In automatic mode an exact match
// (after normalisation, or by SKU) is applied when it is the only equally good candidate;
// everything else — and everything in manual mode — becomes a suggestion for a person. Products
// are matched per billing cycle: the service's period type must be the cycle's (monthly →
// Monthly, annual → Yearly), and the rule written is for that cycle only.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import { isPushed, listCustomerProducts } from './customerProducts.js';
import { loadSnapshot } from './directorySnapshot.js';
import { applyCompany } from './mapCompany.js';
import type { MappingDeps } from './mappingDeps.js';
import { refusal, type MappingRefusal } from './mappingFinding.js';
import { getMappingMode, type MappingMode } from './mappingMode.js';
import { matchCompany } from './matchCompany.js';
import type { MatchOutcome } from './matchOutcome.js';
import { matchService } from './matchService.js';
import { recordSuggestions } from './recordSuggestions.js';
import type { BillingCycle } from '../core/billingCycle.js';
import { servicePeriod } from './servicePeriod.js';

export type AutomaticResult =
  'applied' | 'suggested' | 'ambiguous' | 'missing' | 'already-mapped' | 'refused';

export interface AutomaticItem {
  /** the customer id, or "<product name> [sku]" */
  subject: string;
  subjectName: string;
  /** products only: the billing cycle this item is for */
  billingCycle?: BillingCycle;
  result: AutomaticResult;
  /** the applied candidate, or the suggested ones */
  candidates: Array<{ id: number; name: string; confidence: number }>;
  note?: string;
}

export interface AutomaticMappingReport {
  ok: true;
  mode: MappingMode;
  customers: AutomaticItem[];
  products: AutomaticItem[];
}

function itemOf(outcome: MatchOutcome): Pick<AutomaticItem, 'result' | 'candidates' | 'note'> {
  switch (outcome.kind) {
    case 'exact':
      return { result: 'suggested', candidates: [outcome.candidate] };
    case 'ambiguous':
      return {
        result: 'ambiguous',
        candidates: outcome.candidates,
        ...(outcome.note ? { note: outcome.note } : {}),
      };
    case 'suggestion':
      return {
        result: 'suggested',
        candidates: outcome.candidates,
        ...(outcome.note ? { note: outcome.note } : {}),
      };
    case 'missing':
      return { result: 'missing', candidates: [] };
  }
}

/** One customer (by id) or all of them; products are those of the customers concerned. */
export async function runAutomaticMapping(
  deps: MappingDeps,
  scope: { customerId?: string },
  actor: Actor,
): Promise<AutomaticMappingReport | MappingRefusal> {
  const { prisma } = deps;
  const customers = await prisma.customer.findMany({
    where: scope.customerId ? { id: scope.customerId } : {},
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
  });
  if (scope.customerId && customers.length === 0)
    return refusal('CUSTOMER_NOT_FOUND', `there is no customer ${scope.customerId}`, 'see: customers');
  const mode = await getMappingMode(prisma);
  const snapshot = await loadSnapshot(deps.directory, []);
  const report: AutomaticMappingReport = { ok: true, mode, customers: [], products: [] };

  const mappings = await prisma.customerCompanyMapping.findMany();
  const mappedBy = new Map(mappings.map((m) => [m.customerId, m]));
  for (const customer of customers) {
    const current = mappedBy.get(customer.id);
    if (current) {
      report.customers.push({
        subject: customer.id,
        subjectName: customer.name,
        result: 'already-mapped',
        candidates: [{ id: current.companyId, name: current.companyName, confidence: 1 }],
      });
      continue;
    }
    // Only active companies nobody else is mapped to can be candidates (one customer ↔ one company).
    const taken = new Set([...mappedBy.values()].map((m) => m.companyId));
    const candidates = [...snapshot.companies.values()].filter((c) => c.isActive && !taken.has(c.id));
    const outcome = matchCompany(customer.name, candidates);
    const item: AutomaticItem = { subject: customer.id, subjectName: customer.name, ...itemOf(outcome) };
    if (outcome.kind === 'exact' && mode === 'automatic') {
      const company = snapshot.companies.get(outcome.candidate.id)!;
      const applied = await applyCompany(deps, customer, company, 'automatic', actor);
      item.result = applied.ok ? 'applied' : 'refused';
      if (!applied.ok) item.note = `${applied.code}: ${applied.message}`;
      else {
        const row = await prisma.customerCompanyMapping.findUnique({ where: { customerId: customer.id } });
        if (row) mappedBy.set(customer.id, row);
      }
    } else if (outcome.kind !== 'missing') {
      const offered = outcome.kind === 'exact' ? [outcome.candidate] : outcome.candidates;
      await prisma.$transaction((db) =>
        recordSuggestions(
          db,
          { kind: 'company', customerId: customer.id },
          offered,
          outcome.kind === 'ambiguous',
          actor,
        ),
      );
    }
    report.customers.push(item);
  }

  const productRows = (await listCustomerProducts(prisma, scope.customerId)).filter(isPushed);
  // one subject per product and billing cycle: a monthly and a yearly service may share a name
  const products = new Map(
    productRows.map((p) => [`${p.productName}\u0000${p.productSku}\u0000${p.billingCycle}`, p]),
  );
  const rules = await prisma.productServiceRule.findMany();
  const services = [...snapshot.services.values()].filter((s) => s.isActive);
  for (const product of products.values()) {
    const cycle = product.billingCycle as BillingCycle;
    const label = `${product.productSku ? `${product.productName} [${product.productSku}]` : product.productName} (${cycle})`;
    const same = (r: { productName: string; productSku: string }) =>
      r.productName === product.productName && r.productSku === product.productSku;
    const rule =
      rules.find((r) => same(r) && r.billingCycle === cycle) ??
      rules.find((r) => same(r) && r.billingCycle === 'any');
    if (rule) {
      report.products.push({
        subject: label,
        subjectName: product.productName,
        billingCycle: cycle,
        result: 'already-mapped',
        candidates: [{ id: rule.serviceId, name: rule.serviceName, confidence: 1 }],
      });
      continue;
    }
    const outcome = matchService({ name: product.productName, sku: product.productSku || null }, services, {
      cycle,
      picklists: snapshot.picklists,
    });
    const item: AutomaticItem = {
      subject: label,
      subjectName: product.productName,
      billingCycle: cycle,
      ...itemOf(outcome),
    };
    const subject = {
      kind: 'service' as const,
      productName: product.productName,
      productSku: product.productSku,
      billingCycle: cycle,
    };
    if (outcome.kind === 'exact' && mode === 'automatic') {
      const service = outcome.candidate;
      const done = await prisma.$transaction(async (db) => {
        // another run may have created the rule since we looked: then it stands, we add nothing
        const exists = await db.productServiceRule.findFirst({
          where: {
            productName: product.productName,
            productSku: product.productSku,
            billingCycle: { in: [cycle, 'any'] },
          },
        });
        if (exists) return false;
        await db.productServiceRule.create({
          data: {
            productName: product.productName,
            productSku: product.productSku,
            billingCycle: cycle,
            serviceId: service.id,
            serviceName: service.name,
            source: 'automatic',
            decidedBy: actor.id,
          },
        });
        await recordAudit(db, {
          actor,
          action: 'mapping.product.mapped',
          details: {
            scope: 'global',
            source: 'automatic',
            product: { productName: product.productName, productSku: product.productSku },
            cycle,
            to: {
              serviceId: service.id,
              serviceName: service.name,
              period: snapshot.services.get(service.id)
                ? servicePeriod(snapshot.services.get(service.id)!, snapshot.picklists)
                : null,
              matchedBy: service.reason,
            },
          },
        });
        return true;
      });
      item.result = done ? 'applied' : 'already-mapped';
    } else if (outcome.kind !== 'missing') {
      const candidates = outcome.kind === 'exact' ? [outcome.candidate] : outcome.candidates;
      const note =
        outcome.kind === 'exact' ? 'manual mode: a person confirms every mapping' : (outcome.note ?? null);
      await prisma.$transaction((db) =>
        recordSuggestions(db, subject, candidates, outcome.kind === 'ambiguous', actor, note),
      );
    }
    report.products.push(item);
  }
  return report;
}
