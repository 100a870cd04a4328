// Data for the mapping card (docs/mapping.md) and the `unmapped` list. Read-only.
import type { Contract } from '../autotask/entities.js';
import type { Db } from '../db/prismaClient.js';
import { isPushed } from './customerProducts.js';
import { loadSnapshot, type DirectorySnapshot } from './directorySnapshot.js';
import { todayOf, type MappingDeps } from './mappingDeps.js';
import { refusal, type MappingFinding, type MappingRefusal } from './mappingFinding.js';
import { getMappingMode, type MappingMode } from './mappingMode.js';
import {
  defaultContractRow,
  loadMappingRows,
  loadMappingRowsOf,
  resolveMapping,
  serviceMappingFor,
  type MappingRows,
} from './resolveMappingForSync.js';
import { BILLING_CYCLES, type BillingCycle } from '../core/billingCycle.js';
import { contractProblem, selectContract, type ContractVia } from './selectContract.js';
import { serviceLabel } from './servicePeriod.js';
import { listSuggestions, type SuggestionView } from './suggestions.js';

export type CompanyState =
  | { state: 'matched'; id: number; name: string; source: string; locked: boolean; active: boolean }
  | { state: 'suggested'; suggestions: SuggestionView[] }
  | { state: 'missing' };

export interface ContractState {
  cycle: BillingCycle;
  /** does the customer have pushed subscriptions of this cycle */
  needed: boolean;
  state: 'chosen' | 'missing' | 'ambiguous' | 'invalid' | 'needs-company';
  contract: { id: number; name: string; via: ContractVia; locked: boolean } | null;
  /** eligible contracts a person may choose from */
  candidates: Array<{ id: number; name: string }>;
  finding: MappingFinding | null;
}

/** One row of the card: a product in one billing cycle (and billing type). */
export interface ProductState {
  productName: string;
  productSku: string;
  billingCycle: string;
  billingType: string;
  subscriptions: number;
  pushed: boolean;
  /** skipped: never pushed (usage-based, or a cycle other than monthly/annual); never asks for a service */
  state: 'mapped' | 'suggested' | 'unmapped' | 'skipped';
  /** why it is skipped */
  skippedReason: string | null;
  service: {
    id: number;
    name: string;
    /** id · name · period · SKU · unit price */
    label: string;
    scope: 'customer' | 'global';
    contractPin: number | null;
    locked: boolean;
  } | null;
  suggestions: Array<SuggestionView & { candidateLabel: string }>;
}

/** Why a product is not pushed, in a person's words (docs/billing-semantics.md §4). */
export function skippedReason(product: { billingCycle: string; billingType: string }): string | null {
  if (product.billingType !== 'quantity')
    return `${product.billingType}-based, not quantity-based: not uploaded`;
  if (product.billingCycle !== 'monthly' && product.billingCycle !== 'annual')
    return `billed ${product.billingCycle}, neither monthly nor annual: not uploaded`;
  return null;
}

export interface MappingCardData {
  ok: true;
  customer: { id: string; name: string };
  mode: MappingMode;
  company: CompanyState;
  contracts: ContractState[];
  products: ProductState[];
  pendingSuggestions: number;
  /** what blocks an upload today (same as resolveMappingForSync) */
  findings: MappingFinding[];
}

function contractStates(rows: MappingRows, snapshot: DirectorySnapshot, today: string): ContractState[] {
  const pushedCycles = new Set(rows.products.filter(isPushed).map((p) => p.billingCycle));
  return BILLING_CYCLES.map((cycle): ContractState => {
    const needed = pushedCycles.has(cycle);
    if (!rows.company)
      return { cycle, needed, state: 'needs-company', contract: null, candidates: [], finding: null };
    const contracts: Contract[] = snapshot.contracts.get(rows.company.companyId) ?? [];
    const row = defaultContractRow(rows, cycle);
    const ctx = {
      customerId: rows.customer.id,
      customerName: rows.customer.name,
      cycle,
      picklists: snapshot.picklists,
      today,
    };
    const candidates = contracts
      .filter((c) => contractProblem(c, ctx) === null)
      .map((c) => ({ id: c.id, name: c.contractName }));
    const selection = selectContract(contracts, row?.contractId ?? null, ctx);
    if (selection.ok) {
      const mapped = rows.contracts.find((k) => k.contractId === selection.contract.id);
      return {
        cycle,
        needed,
        state: 'chosen',
        contract: {
          id: selection.contract.id,
          name: selection.contract.contractName,
          via: selection.via,
          locked: Boolean(mapped?.firstUploadedAt),
        },
        candidates,
        finding: null,
      };
    }
    const code = selection.finding.code;
    return {
      cycle,
      needed,
      state:
        code === 'CONTRACT_AMBIGUOUS'
          ? 'ambiguous'
          : code === 'CONTRACT_MISSING' && !row
            ? 'missing'
            : 'invalid',
      contract: null,
      candidates,
      finding: selection.finding,
    };
  });
}

export async function getMappingCard(
  deps: MappingDeps,
  customerId: string,
): Promise<MappingCardData | MappingRefusal> {
  const rows = await loadMappingRows(deps.prisma, customerId);
  if (!rows) return refusal('CUSTOMER_NOT_FOUND', `there is no customer ${customerId}`, 'see: customers');
  const snapshot = await loadSnapshot(deps.directory, rows.company ? [rows.company.companyId] : []);
  const today = todayOf(deps);
  const suggestions = await listSuggestions(deps.prisma, { customerId });
  const mode = await getMappingMode(deps.prisma);
  let company: CompanyState;
  if (rows.company) {
    const found = snapshot.companies.get(rows.company.companyId);
    const row = await deps.prisma.customerCompanyMapping.findUnique({ where: { customerId } });
    company = {
      state: 'matched',
      id: rows.company.companyId,
      name: found?.companyName ?? rows.company.companyName,
      source: row?.source ?? 'manual',
      locked: Boolean(rows.company.firstUploadedAt),
      active: found?.isActive === true,
    };
  } else {
    const offered = suggestions.filter((s) => s.kind === 'company');
    company = offered.length > 0 ? { state: 'suggested', suggestions: offered } : { state: 'missing' };
  }
  const label = (id: number, name: string) => {
    const service = snapshot.services.get(id);
    return service ? serviceLabel(service, snapshot.picklists) : `${id} · ${name} · no longer in Autotask`;
  };
  const products = rows.products.map((p): ProductState => {
    const common = {
      productName: p.productName,
      productSku: p.productSku,
      billingCycle: p.billingCycle,
      billingType: p.billingType,
      subscriptions: p.subscriptions,
      pushed: isPushed(p),
    };
    const skipped = skippedReason(p);
    if (skipped)
      return { ...common, state: 'skipped', skippedReason: skipped, service: null, suggestions: [] };
    const mapping = serviceMappingFor(rows, p, p.billingCycle);
    const offered = suggestions.filter(
      (s) =>
        s.kind === 'service' &&
        s.productName === p.productName &&
        s.productSku === p.productSku &&
        (s.billingCycle === p.billingCycle || s.billingCycle === 'any'),
    );
    return {
      ...common,
      state: mapping ? 'mapped' : offered.length > 0 ? 'suggested' : 'unmapped',
      skippedReason: null,
      service: mapping
        ? {
            id: mapping.row.serviceId,
            name: mapping.row.serviceName,
            label: label(mapping.row.serviceId, mapping.row.serviceName),
            scope: mapping.scope,
            contractPin: mapping.scope === 'customer' ? mapping.row.contractId : null,
            locked: Boolean(mapping.row.firstUploadedAt),
          }
        : null,
      suggestions: mapping
        ? []
        : offered.map((s) => ({ ...s, candidateLabel: label(s.candidateId, s.candidateName) })),
    };
  });
  return {
    ok: true,
    customer: rows.customer,
    mode,
    company,
    contracts: contractStates(rows, snapshot, today),
    products,
    pendingSuggestions: suggestions.length,
    findings: resolveMapping(rows, snapshot, today).findings,
  };
}

export interface UnmappedItem {
  customerId: string;
  customerName: string;
  finding: MappingFinding;
}

/** Everything still blocking uploads, for one customer or all (one Autotask read for all). */
export async function listUnmapped(
  deps: MappingDeps,
  filter: { customerId?: string } = {},
): Promise<UnmappedItem[]> {
  const db: Db = deps.prisma;
  const customers = await db.customer.findMany({
    where: filter.customerId ? { id: filter.customerId } : {},
    orderBy: { name: 'asc' },
    select: { id: true },
  });
  const rowsOf = await loadMappingRowsOf(
    db,
    customers.map((c) => c.id),
  );
  const all = customers.flatMap((c) => rowsOf.get(c.id) ?? []);
  const snapshot = await loadSnapshot(
    deps.directory,
    all.flatMap((r) => (r.company ? [r.company.companyId] : [])),
  );
  const today = todayOf(deps);
  return all.flatMap((rows) =>
    resolveMapping(rows, snapshot, today).findings.map((finding) => ({
      customerId: rows.customer.id,
      customerName: rows.customer.name,
      finding,
    })),
  );
}
