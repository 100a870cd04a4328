// The demo Autotask tenant's companies and services, built from the demo world exactly as the
// sandbox seed builds them: companies = customers' autotaskCompanyName + DEMO_DECOY_COMPANIES;
// services = products' autotaskServiceName (with the product's SKU when serviceHasSku) +
// DEMO_DECOY_SERVICES. Ids are positions (1-based) in that order.
import { Decimal } from 'decimal.js';
import type { Company, Service } from '../../src/autotask/entities.js';
import {
  DEMO_CUSTOMERS,
  DEMO_DECOY_COMPANIES,
  DEMO_DECOY_SERVICES,
  DEMO_PRODUCTS,
} from '../../src/demo/demoWorld.js';

export function demoCompanies(): Company[] {
  const names = [
    ...DEMO_CUSTOMERS.flatMap((c) => (c.autotaskCompanyName ? [c.autotaskCompanyName] : [])),
    ...DEMO_DECOY_COMPANIES,
  ];
  return names.map((companyName, i) => ({ id: i + 1, companyName, isActive: true }));
}

export function demoServices(): Service[] {
  const real = DEMO_PRODUCTS.flatMap((p) =>
    p.autotaskServiceName ? [{ name: p.autotaskServiceName, sku: p.serviceHasSku ? p.sku : null }] : [],
  );
  const decoys = DEMO_DECOY_SERVICES.map((name) => ({ name, sku: null }));
  return [...real, ...decoys].map((s, i) => ({
    id: i + 1,
    name: s.name,
    sku: s.sku,
    unitPrice: new Decimal(0),
    unitCost: null,
    isActive: true,
  }));
}
