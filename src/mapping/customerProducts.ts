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
  const products = groups.map((g) => ({
    customerId: g.customerId,
    productName: g.productName,
    productSku: skuKey(g.sku),
    billingCycle: g.billingCycle,
    billingType: g.billingType,
    subscriptions: g._count._all,
  }));
  // A subscription switched from monthly to annual still has monthly history to push: the product
  // is held in every cycle its subscriptions were billed in, not only the current one.
  const switches = await db.subscriptionEvent.findMany({
    where: {
      kind: 'billing_cycle_changed',
      subscription:
        customers === undefined
          ? {}
          : typeof customers === 'string'
            ? { customerId: customers }
            : { customerId: { in: [...customers] } },
    },
    select: {
      subscriptionId: true,
      billingCycleBefore: true,
      billingCycleAfter: true,
      subscription: { select: { customerId: true, productName: true, sku: true, billingType: true } },
    },
  });
  const key = (p: Omit<CustomerProduct, 'subscriptions'> & { customerId: string }) =>
    JSON.stringify([p.customerId, p.productName, p.productSku, p.billingCycle, p.billingType]);
  const known = new Map(products.map((p) => [key(p), p]));
  const earlier = new Map<string, Set<string>>();
  for (const e of switches)
    for (const cycle of [e.billingCycleBefore, e.billingCycleAfter]) {
      if (cycle !== 'monthly' && cycle !== 'annual') continue;
      const s = e.subscription;
      const product = {
        customerId: s.customerId,
        productName: s.productName,
        productSku: skuKey(s.sku),
        billingCycle: cycle,
        billingType: s.billingType,
      };
      if (known.has(key(product))) continue;
      const subs = earlier.get(key(product)) ?? new Set<string>();
      subs.add(e.subscriptionId);
      earlier.set(key(product), subs);
    }
  if (earlier.size === 0) return products;
  for (const [k, subs] of earlier) {
    const [customerId, productName, productSku, billingCycle, billingType] = JSON.parse(k) as string[];
    products.push({
      customerId: customerId!,
      productName: productName!,
      productSku: productSku!,
      billingCycle: billingCycle!,
      billingType: billingType!,
      subscriptions: subs.size,
    });
  }
  return products.sort(
    (a, b) =>
      a.customerId.localeCompare(b.customerId) ||
      a.productName.localeCompare(b.productName) ||
      a.billingCycle.localeCompare(b.billingCycle),
  );
}

/** Only these are pushed to Autotask (docs/billing-semantics.md §4); others are reported by sync as skipped. */
export function isPushed(product: Pick<CustomerProduct, 'billingCycle' | 'billingType'>): boolean {
  return (
    product.billingType === 'quantity' &&
    (product.billingCycle === 'monthly' || product.billingCycle === 'annual')
  );
}
