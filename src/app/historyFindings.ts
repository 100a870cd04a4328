// HISTORY_INCONSISTENT from the subscriptions part (checkHistoryConsistency), as validation
// findings per customer, so a history that does not add up blocks that customer's upload. It
// checks the subscriptions and events validation has just read, rather than reading them again.
import {
  groupHistory,
  inconsistenciesIn,
  type StoredEventRow,
} from '../subscriptions/subscriptionHistory.js';
import type { Finding } from '../sync/validationFinding.js';

export function historyFindingsByCustomer(
  subscriptions: readonly { id: string; customerId: string; productName: string }[],
  /** in stored order: subscription, date, insertion */
  events: readonly StoredEventRow[],
  asOf: string,
): Map<string, Finding[]> {
  const result = new Map<string, Finding[]>();
  if (subscriptions.length === 0) return result;
  const byId = new Map(subscriptions.map((s) => [s.id, s]));
  const found = inconsistenciesIn(groupHistory(events.filter((e) => byId.has(e.subscriptionId))), asOf);
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
      hint: f.hint,
    });
    result.set(subscription.customerId, list);
  }
  return result;
}
