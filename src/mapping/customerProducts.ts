// Products are identified by (product name, SKU) as the subscriptions name them; the billing
// cycle decides which contract (and possibly which service) they go to.
import type { Db } from '../db/prismaClient.js';

export interface CustomerProduct {
  productName: string;
  /** '' when the source has none (stored that way so unique keys work) */
  productSku: string;
  billingCycle: string;
  billingType: string;
  subscriptions: number;
}

export function skuKey(sku: string | null | undefined): string {
  return (sku ?? '').trim();
}

/** Distinct products of one customer, of several (an array), or of everyone (undefined). */
export async function listCustomerProducts(
  db: Db,
  customers?: string | readonly string[],
): Promise<Array<CustomerProduct & { customerId: string }>> {
  const groups = await db.subscription.groupBy({
    by: ['customerId', 'productName', 'sku', 'billingCycle', 'billingType'],
    where:
      customers === undefined
        ? {}
        : typeof customers === 'string'
          ? { customerId: customers }
          : { customerId: { in: [...customers] } },
    _count: { _all: true },
    orderBy: [{ customerId: 'asc' }, { productName: 'asc' }],
  });
  return groups.map((g) => ({
    customerId: g.customerId,
    productName: g.productName,
    productSku: skuKey(g.sku),
    billingCycle: g.billingCycle,
    billingType: g.billingType,
    subscriptions: g._count._all,
  }));
}

/** Only these are pushed to Autotask (billing-semantics §4); others are reported by sync as skipped. */
export function isPushed(product: Pick<CustomerProduct, 'billingCycle' | 'billingType'>): boolean {
  return (
    product.billingType === 'quantity' &&
    (product.billingCycle === 'monthly' || product.billingCycle === 'annual')
  );
}
