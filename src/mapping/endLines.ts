// Which Autotask contract-service lines a forced change leaves billing: every (contract with
// uploads) × (product of that cycle and its service) the change moves away from.
import type { MappingRows } from './resolveMappingForSync.js';
import { serviceMappingFor } from './resolveMappingForSync.js';
import { isPushed } from './customerProducts.js';
import { endLineInstruction, type EndLineInstruction } from './uploadLock.js';

export interface EndLineFilter {
  /** only these contracts (default: every uploaded contract of the customer) */
  contractIds?: number[];
  /** only this product */
  product?: { productName: string; productSku: string };
  /** the product's old service, when the change is the service itself */
  serviceId?: number;
}

export function endLinesFor(rows: MappingRows, filter: EndLineFilter, from: string): EndLineInstruction[] {
  const lines: EndLineInstruction[] = [];
  for (const contract of rows.contracts) {
    if (!contract.firstUploadedAt) continue;
    if (filter.contractIds && !filter.contractIds.includes(contract.contractId)) continue;
    for (const product of rows.products.filter(isPushed)) {
      if (product.billingCycle !== contract.billingCycle) continue;
      if (
        filter.product &&
        (product.productName !== filter.product.productName ||
          product.productSku !== filter.product.productSku)
      )
        continue;
      const mapping = serviceMappingFor(rows, product, product.billingCycle);
      if (!mapping) continue;
      if (filter.serviceId !== undefined && mapping.row.serviceId !== filter.serviceId) continue;
      const pin = mapping.scope === 'customer' ? mapping.row.contractId : null;
      if (pin !== null && pin !== contract.contractId) continue;
      if (pin === null && !contract.isDefault) continue;
      lines.push(
        endLineInstruction(
          {
            contractId: contract.contractId,
            contractName: contract.contractName,
            serviceId: mapping.row.serviceId,
            serviceName: mapping.row.serviceName,
            productName: product.productName,
            from,
          },
          rows.customer.name,
        ),
      );
    }
  }
  return lines;
}
