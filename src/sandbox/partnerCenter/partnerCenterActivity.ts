// The stand-in's changes that Partner Center writes an activity (audit) record for
// (docs/sources-partner-center.md "Activity records"): a subscription update — quantity, status
// (suspend, reactivate, cancel = status deleted) or billing cycle — is one `update_subscription`
// record of resourceType `subscription` holding the resource before and after as JSON text; a
// new customer is an `add_customer` record.
import { randomUUID } from 'node:crypto';
import type {
  PartnerCenterWorld,
  PcAuditRecord,
  PcCustomer,
  PcSubscription,
  PcSubscriptionStatus,
} from './partnerCenterWorld.js';
import { customerAuditValue, subscriptionAuditValue } from './partnerCenterWire.js';

export interface SubscriptionChange {
  quantity?: number;
  status?: PcSubscriptionStatus;
  billingCycle?: string;
  autoRenewEnabled?: boolean;
}

/** The partner user the stand-in's changes are made by. */
const ACTOR = 'admin@partner.onmicrosoft.com';
const APPLICATION = 'partner-center-portal';

/** Applies `change` to the subscription and writes its audit record dated `date` (YYYY-MM-DD). */
export function changeSubscription(
  world: PartnerCenterWorld,
  tenantId: string,
  subscriptionId: string,
  change: SubscriptionChange,
  date: string,
): PcAuditRecord {
  const subscription = world.subscriptions.find((s) => s.id === subscriptionId && s.customerId === tenantId);
  if (!subscription) throw new Error(`no subscription ${subscriptionId} for customer ${tenantId}`);
  const before = subscriptionAuditValue(subscription);
  Object.assign(subscription, definedOnly(change));
  const record = auditRecord(world, tenantId, 'subscription', 'update_subscription', date, {
    old: before,
    new: subscriptionAuditValue(subscription),
    data: [{ key: 'SubscriptionId', value: subscriptionId }],
  });
  world.auditRecords.push(record);
  return record;
}

export function addCustomer(world: PartnerCenterWorld, customer: PcCustomer, date: string): PcAuditRecord {
  world.customers.push(customer);
  const record = auditRecord(world, customer.id, 'customer', 'add_customer', date, {
    old: null,
    new: customerAuditValue(customer),
    data: [],
  });
  world.auditRecords.push(record);
  return record;
}

/** A subscription added with its order's record (create_order), dated `date`. */
export function addSubscription(
  world: PartnerCenterWorld,
  subscription: PcSubscription,
  date: string,
): PcAuditRecord {
  world.subscriptions.push(subscription);
  const record = auditRecord(world, subscription.customerId, 'order', 'create_order', date, {
    old: null,
    new: JSON.stringify({ Id: subscription.orderId, LineItems: [{ SubscriptionId: subscription.id }] }),
    data: [{ key: 'SubscriptionId', value: subscription.id }],
  });
  world.auditRecords.push(record);
  return record;
}

function auditRecord(
  world: PartnerCenterWorld,
  customerId: string,
  resourceType: string,
  operationType: string,
  date: string,
  values: { old: string | null; new: string | null; data: PcAuditRecord['customizedData'] },
): PcAuditRecord {
  const customer = world.customers.find((c) => c.id === customerId);
  // a time of day that keeps the order records were written in
  const n = world.auditRecords.length;
  const time = `${String(8 + (Math.floor(n / 3600) % 12)).padStart(2, '0')}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
  const ticks = String(1_000_000 + (n % 9_000_000)).padStart(7, '0');
  return {
    id: `${world.partnerTenantId}_${customerId}_${operationType.replace(/_/g, '')}_${randomUUID()}`,
    partnerId: world.partnerTenantId,
    customerId,
    customerName: customer?.companyName ?? '',
    userPrincipalName: ACTOR,
    applicationId: APPLICATION,
    resourceType,
    resourceOldValue: values.old,
    resourceNewValue: values.new,
    operationType,
    operationDate: `${date}T${time}.${ticks}Z`,
    operationStatus: 'succeeded',
    customizedData: values.data,
  };
}

function definedOnly(change: SubscriptionChange): Partial<PcSubscription> {
  return Object.fromEntries(
    Object.entries(change).filter(([, v]) => v !== undefined),
  ) as Partial<PcSubscription>;
}
