// `customers [filter]`: each customer with where its mapping stands (company, contracts, products
// without a service), from one read of Autotask's directory for every customer listed.
import type { MappingDeps } from '../mapping/mappingDeps.js';
import { listUnmapped } from '../mapping/mappingState.js';
import { listCustomers as listStoredCustomers } from '../subscriptions/customerList.js';

export type MappingStanding = 'mapped' | 'suggested' | 'missing' | 'ambiguous';

export interface CustomerMappingStanding {
  customerId: string;
  name: string;
  company: MappingStanding;
  contracts: MappingStanding;
  unmappedProducts: number;
}

export async function listCustomers(
  mapping: MappingDeps,
  filter: string | null,
): Promise<CustomerMappingStanding[]> {
  const { prisma } = mapping;
  const customers = await listStoredCustomers(prisma, filter ?? undefined);
  if (customers.length === 0) return [];
  const ids = customers.map((c) => c.id);
  const [companies, suggestions, findings] = await Promise.all([
    prisma.customerCompanyMapping.findMany({
      where: { customerId: { in: ids } },
      select: { customerId: true },
    }),
    prisma.mappingSuggestion.findMany({
      where: { customerId: { in: ids }, kind: 'company', status: 'pending' },
      select: { customerId: true },
    }),
    // one Autotask read for every customer
    customers.length === 1 ? listUnmapped(mapping, { customerId: customers[0]!.id }) : listUnmapped(mapping),
  ]);
  const mapped = new Set(companies.map((c) => c.customerId));
  const suggested = new Set(suggestions.map((s) => s.customerId));
  return customers.map((c): CustomerMappingStanding => {
    const own = findings.filter((f) => f.customerId === c.id).map((f) => f.finding.code);
    const company: MappingStanding = mapped.has(c.id)
      ? 'mapped'
      : own.includes('CUSTOMER_AMBIGUOUS')
        ? 'ambiguous'
        : suggested.has(c.id)
          ? 'suggested'
          : 'missing';
    const contracts: MappingStanding = own.includes('CONTRACT_AMBIGUOUS')
      ? 'ambiguous'
      : company !== 'mapped' || own.some((code) => code.startsWith('CONTRACT_'))
        ? 'missing'
        : 'mapped';
    return {
      customerId: c.id,
      name: c.name,
      company,
      contracts,
      unmappedProducts: own.filter((code) => code === 'SERVICE_UNMAPPED').length,
    };
  });
}
