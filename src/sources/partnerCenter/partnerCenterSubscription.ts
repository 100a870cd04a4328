// A Partner Center subscription as the bot describes subscriptions (docs/sources-partner-center.md
// "Mapping"): the source id is Microsoft's subscription id; status active/suspended stay, deleted,
// expired and disabled are cancelled, pending (ordered, being provisioned) counts as active, and
// "none" is a row problem; usage-billed subscriptions are usage; the cycle monthly/annual, else
// Microsoft's word verbatim; the price "0", since Partner Center's subscription carries none
// (the sell price comes from the Autotask mapping).
import type { SourceRowProblem, SourceSubscription } from '../sourceConnector.js';
import type { SubscriptionState, SubscriptionStatus } from '../../subscriptions/subscriptionValues.js';
import { SubscriptionSchema, type PcStatus } from './partnerCenterSchemas.js';

const STATUS: Record<PcStatus, SubscriptionStatus | undefined> = {
  active: 'active',
  pending: 'active',
  suspended: 'suspended',
  deleted: 'cancelled',
  expired: 'cancelled',
  disabled: 'cancelled',
  none: undefined,
};

/** Microsoft's "far, far away" commitment end of a subscription that does not end by commitment. */
const NO_END_YEAR = '9000';

export type SnapshotSubscription = SourceSubscription & { state: SubscriptionState };

export function subscriptionOfRow(
  row: unknown,
  customerSourceId: string,
  currency: string,
): { subscription: SnapshotSubscription } | { problem: SourceRowProblem } {
  const parsed = SubscriptionSchema.safeParse(row);
  const id = row && typeof row === 'object' ? (row as Record<string, unknown>)['id'] : undefined;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      problem: {
        entity: 'subscription',
        sourceId: typeof id === 'string' ? id : undefined,
        reason: `${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'not readable'}`,
      },
    };
  }
  const s = parsed.data;
  const status = STATUS[s.status];
  if (!status)
    return {
      problem: {
        entity: 'subscription',
        sourceId: s.id,
        reason: 'status is "none": Microsoft does not say whether it runs',
      },
    };
  const cycle = (s.billingCycle ?? 'monthly').trim().toLowerCase();
  const endDate = s.commitmentEndDate?.slice(0, 10);
  return {
    subscription: {
      id: s.id,
      customerSourceId,
      productName: s.offerName ?? s.friendlyName ?? s.offerId ?? s.id,
      sku: s.offerId,
      billingType: s.billingType === 'usage' ? 'usage' : 'quantity',
      billingCycle: cycle,
      currency,
      term: {
        duration: s.termDuration,
        endDate: endDate && endDate < NO_END_YEAR ? endDate : undefined,
        autoRenew: s.autoRenewEnabled,
      },
      state: { quantity: s.quantity, status, unitPrice: '0', billingCycle: cycle },
    },
  };
}
