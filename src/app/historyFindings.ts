// HISTORY_INCONSISTENT from the subscriptions part (findHistoryInconsistencies), as validation
// findings per customer, so a history that does not add up blocks that customer's upload.
import type { Db } from '../db/prismaClient.js';
import { findHistoryInconsistencies } from '../subscriptions/subscriptionHistory.js';
import type { Finding } from '../sync/validationFinding.js';

export async function historyFindingsByCustomer(
  db: Db,
  customerIds: readonly string[],
  asOf: string,
): Promise<Map<string, Finding[]>> {
  const subscriptions = await db.subscription.findMany({
    where: { customerId: { in: [...customerIds] } },
    select: { id: true, customerId: true, productName: true },
  });
  const result = new Map<string, Finding[]>();
  if (subscriptions.length === 0) return result;
  const byId = new Map(subscriptions.map((s) => [s.id, s]));
  const found = await findHistoryInconsistencies(
    db,
    asOf,
    subscriptions.map((s) => s.id),
  );
  for (const f of found) {
    const subscription = byId.get(f.subscriptionId);
    if (!subscription) continue;
    const list = result.get(subscription.customerId) ?? [];
    list.push({
      code: 'HISTORY_INCONSISTENT',
      severity: 'error',
      customerId: subscription.customerId,
      subscriptionId: f.subscriptionId,
      productName: subscription.productName,
      message: f.message,
      fixHint: f.fixHint,
    });
    result.set(subscription.customerId, list);
  }
  return result;
}
