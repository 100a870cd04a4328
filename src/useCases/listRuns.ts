// `runs [customer]`: the newest runs first, of one customer (its own runs and those of `all` that
// touched it) or of every customer.
import type { Db } from '../db/prismaClient.js';

export async function listRunIds(
  db: Db,
  input: { customerId: string | null; limit: number },
): Promise<string[]> {
  const { customerId } = input;
  const rows = await db.syncRun.findMany({
    where: customerId ? { OR: [{ scope: customerId }, { operations: { some: { customerId } } }] } : {},
    orderBy: { createdAt: 'desc' },
    take: Math.min(Math.max(input.limit, 1), 200),
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
