// The customers as the `customers` command lists them: name, external id, subscription count.
import type { Db } from '../db/prismaClient.js';

export interface CustomerSummary {
  id: string;
  name: string;
  externalId: string | null;
  domain: string | null;
  subscriptions: number;
  activeSubscriptions: number;
}

/** Customers whose name, external id or domain contains `filter` (any case), by name. */
export async function listCustomers(db: Db, filter?: string): Promise<CustomerSummary[]> {
  const text = filter?.trim();
  const customers = await db.customer.findMany({
    where: text
      ? {
          OR: [
            { name: { contains: text, mode: 'insensitive' } },
            { externalId: { contains: text, mode: 'insensitive' } },
            { domain: { contains: text, mode: 'insensitive' } },
          ],
        }
      : {},
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    include: { subscriptions: { select: { status: true } } },
  });
  return customers.map((c) => ({
    id: c.id,
    name: c.name,
    externalId: c.externalId,
    domain: c.domain,
    subscriptions: c.subscriptions.length,
    activeSubscriptions: c.subscriptions.filter((s) => s.status === 'active').length,
  }));
}
