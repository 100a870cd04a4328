// The sync part's view of the mapping part: resolveMappingForSync for each customer, turned into
// the targets and findings the validator takes. One directory read is shared by all customers.
import type { AutotaskDirectory } from '../mapping/autotaskDirectory.js';
import type { MappingFinding } from '../mapping/mappingFinding.js';
import { loadSnapshot } from '../mapping/directorySnapshot.js';
import {
  defaultContractRow,
  loadMappingRowsOf,
  serviceMappingFor,
  syncMappingFromRows,
  type MappingResolution,
  type MappingRows,
  type ProductTarget,
} from '../mapping/resolveMappingForSync.js';
import { BILLING_CYCLES } from '../core/billingCycle.js';
import { selectContract } from '../mapping/selectContract.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { CustomerMapping } from '../sync/validateRun.js';
import { FINDING_CODES, type Finding, type FindingCode } from '../sync/validationFinding.js';
import { cachedDirectory } from './clientAutotaskDirectory.js';
import { utcDateOf } from '../core/calendarDate.js';

export interface ResolvedForSync extends CustomerMapping {
  /** the mapping part's own targets, needed again when an upload locks the mapping */
  products: ProductTarget[];
  companyId: number | null;
}

export function toSyncFinding(f: MappingFinding, customerId: string): Finding {
  // every mapping code is a validation code (docs/billing-semantics.md §5); guard anyway
  const code: FindingCode = (FINDING_CODES as string[]).includes(f.code)
    ? (f.code as FindingCode)
    : 'CUSTOMER_UNMAPPED';
  return {
    code,
    severity: f.severity,
    customerId: f.customerId ?? customerId,
    ...(f.productName ? { productName: f.productName } : {}),
    message: f.message,
    hint: f.hint,
  };
}

export async function resolveMappingsForSync(
  deps: { prisma: PrismaClient; directory: AutotaskDirectory; today?: () => string },
  customerIds: readonly string[],
): Promise<Map<string, ResolvedForSync>> {
  const directory = cachedDirectory(deps.directory);
  // one batched read of every mapped company's contracts up front (500 ids a call), so the
  // per-customer resolution below finds them cached instead of asking once per customer
  const mapped = await deps.prisma.customerCompanyMapping.findMany({
    where: { customerId: { in: [...customerIds] } },
    select: { companyId: true },
  });
  if (mapped.length > 0) await directory.listContracts(mapped.map((m) => m.companyId));
  // and every customer's mapping rows in one batch of queries
  const rowsOf = await loadMappingRowsOf(deps.prisma, customerIds);
  const result = new Map<string, ResolvedForSync>();
  for (const customerId of customerIds) {
    const rows = rowsOf.get(customerId) ?? null;
    const mapping = await syncMappingFromRows({ ...deps, directory }, customerId, rows);
    const findings = mapping.findings.map((f) => toSyncFinding(f, customerId));
    if (mapping.customer === null) {
      result.set(customerId, {
        targets: { companyId: null, contracts: { monthly: null, annual: null }, services: [] },
        findings,
        products: [],
        companyId: null,
      });
      continue;
    }
    const products = [...mapping.products];
    const contracts = { ...mapping.contracts };
    if (mapping.company && rows) {
      const today = (deps.today ?? (() => utcDateOf(new Date())))();
      await addEarlierCycles(rows, directory, mapping.company.id, today, contracts, products);
    }
    result.set(customerId, {
      targets: {
        companyId: mapping.company?.id ?? null,
        contracts: {
          monthly: contracts.monthly?.id ?? null,
          annual: contracts.annual?.id ?? null,
        },
        services: products.map((p) => ({
          productName: p.productName,
          billingCycle: p.billingCycle,
          serviceId: p.service.id,
        })),
      },
      findings,
      products,
      companyId: mapping.company?.id ?? null,
    });
  }
  return result;
}

/**
 * The mapping part resolves each product for its current billing cycle, but a history may hold
 * an earlier cycle (monthly before a switch to annual) that must still be pushed. The contract
 * and service of such a cycle are found by the same rules (stored default, only candidate,
 * Autotask default; override > rule); when they cannot be, sync reports CONTRACT_MISSING or
 * SERVICE_UNMAPPED for that part of the history.
 */
async function addEarlierCycles(
  rows: MappingRows,
  directory: AutotaskDirectory,
  companyId: number,
  today: string,
  contracts: MappingResolution['contracts'],
  products: ProductTarget[],
): Promise<void> {
  const customerId = rows.customer.id;
  const snapshot = await loadSnapshot(directory, [companyId]);
  for (const cycle of BILLING_CYCLES) {
    if (!contracts[cycle]) {
      const selection = selectContract(
        snapshot.contracts.get(companyId) ?? [],
        defaultContractRow(rows, cycle)?.contractId ?? null,
        { customerId, customerName: rows.customer.name, cycle, picklists: snapshot.picklists, today },
      );
      if (selection.ok) contracts[cycle] = selection.contract;
    }
    const contract = contracts[cycle];
    if (!contract) continue;
    for (const product of rows.products.filter((p) => p.billingType === 'quantity')) {
      if (products.some((t) => t.productName === product.productName && t.billingCycle === cycle)) continue;
      const found = serviceMappingFor(rows, product, cycle);
      const service = found ? snapshot.services.get(found.row.serviceId) : undefined;
      if (!found || !service) continue;
      products.push({
        productName: product.productName,
        productSku: product.productSku,
        billingCycle: cycle,
        service,
        serviceScope: found.scope,
        contract,
        contractVia: 'default',
      });
    }
  }
}
