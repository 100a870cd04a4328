// What the Pax8 stand-in holds: companies, products, subscriptions (their current state) and each
// subscription's history as Pax8 keeps it — a full snapshot of the subscription per change
// (docs/sources-pax8.md "Subscription history"). The world also keeps its own change log, one
// record per billing-relevant value that changed, so a test can derive what a pull must yield
// without going through the connector's mapping.

/** Pax8's documented subscription statuses, plus `Suspended` (see docs/sources-pax8.md "Statuses"). */
export const PAX8_SUBSCRIPTION_STATUSES = [
  'Active',
  'Cancelled',
  'PendingManual',
  'PendingAutomated',
  'PendingCancel',
  'WaitingForDetails',
  'Trial',
  'Converted',
  'PendingActivation',
  'Activated',
  'Suspended',
] as const;
export type Pax8SubscriptionStatus = (typeof PAX8_SUBSCRIPTION_STATUSES)[number];

export const PAX8_BILLING_TERMS = [
  'Monthly',
  'Annual',
  '2-Year',
  '3-Year',
  'One-Time',
  'Trial',
  'Activation',
] as const;
export type Pax8BillingTerm = (typeof PAX8_BILLING_TERMS)[number];

export interface Pax8Address {
  street: string;
  city: string;
  postalCode: string;
  country: string;
  stateOrProvince: string;
}

export interface Pax8Company {
  id: string;
  name: string;
  address: Pax8Address;
  phone: string;
  /** the full URL of the company's website */
  website: string;
  externalId?: string;
  billOnBehalfOfEnabled: boolean;
  selfServiceAllowed: boolean;
  orderApprovalRequired: boolean;
  status: 'Active' | 'Inactive' | 'Deleted';
  updatedDate: string;
}

export interface Pax8Product {
  id: string;
  name: string;
  vendorName: string;
  shortDescription: string;
  /** Pax8's own sku */
  sku: string;
  /** the vendor's sku (Microsoft: product id:sku id) */
  vendorSku: string;
  requiresCommitment: boolean;
}

export interface Pax8Subscription {
  id: string;
  companyId: string;
  productId: string;
  quantity: number;
  startDate: string;
  endDate?: string;
  createdDate: string;
  updatedDate: string;
  /** YYYY-MM-DD */
  billingStart: string;
  status: Pax8SubscriptionStatus;
  /** the customer's price, a JSON number as Pax8 sends it */
  price: number;
  currencyCode: string;
  partnerCost?: number;
  productName: string;
  billingTerm: Pax8BillingTerm;
  commitmentTerm?: { id: string; term: string; endDate?: string };
}

/** A billing-relevant change, as the world made it (raw Pax8 values). */
export interface Pax8ChangeRecord {
  subscriptionId: string;
  /** the snapshot's updatedDate, as written */
  at: string;
  /** YYYY-MM-DD: the date part of `at` */
  date: string;
  kind:
    | 'created'
    | 'quantity_changed'
    | 'suspended'
    | 'reactivated'
    | 'cancelled'
    | 'price_changed'
    | 'billing_cycle_changed';
  /** the subscription's state after the change */
  after: Pick<Pax8Subscription, 'quantity' | 'status' | 'price' | 'billingTerm'>;
  before?: Pick<Pax8Subscription, 'quantity' | 'status' | 'price' | 'billingTerm'>;
}

export interface Pax8World {
  companies: Pax8Company[];
  products: Pax8Product[];
  /** each subscription's current state */
  subscriptions: Pax8Subscription[];
  /** every state each subscription has had, oldest first (the history endpoint lists newest first) */
  history: Record<string, Pax8Subscription[]>;
  changeLog: Pax8ChangeRecord[];
  /** YYYY-MM-DD: the world's today */
  today: string;
}

/** Pax8 writes offsets without a colon (-0600); the stand-in's partner sits in Denver. */
const PARTNER_OFFSET = '-0600';

/** `2025-03-04` and seconds into that (partner-local) day → `2025-03-04T09:00:05.000-0600`. */
export function pax8Timestamp(date: string, secondsIntoDay: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(secondsIntoDay)));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${date}T${hh}:${mm}:${ss}.000${PARTNER_OFFSET}`;
}

export function emptyPax8World(today: string): Pax8World {
  return { companies: [], products: [], subscriptions: [], history: {}, changeLog: [], today };
}

/** Statuses that bill (or stop billing); the others are provisioning steps that change nothing. */
const BILLING_STATUS: Partial<Record<Pax8SubscriptionStatus, 'active' | 'suspended' | 'cancelled'>> = {
  Active: 'active',
  Activated: 'active',
  Converted: 'active',
  Suspended: 'suspended',
  Cancelled: 'cancelled',
};

const stateOf = (s: Pax8Subscription) => ({
  quantity: s.quantity,
  status: s.status,
  price: s.price,
  billingTerm: s.billingTerm,
});

/** Adds a subscription with its first snapshot (`createdDate`/`updatedDate` as given). */
export function addPax8Subscription(world: Pax8World, subscription: Pax8Subscription): void {
  if (world.history[subscription.id]) throw new Error(`subscription ${subscription.id} exists`);
  world.subscriptions.push(subscription);
  world.history[subscription.id] = [subscription];
  if (BILLING_STATUS[subscription.status] === 'active')
    world.changeLog.push({
      subscriptionId: subscription.id,
      at: subscription.updatedDate,
      date: subscription.updatedDate.slice(0, 10),
      kind: 'created',
      after: stateOf(subscription),
    });
}

/**
 * A new snapshot of a subscription at `at` with `patch` applied, logged one record per changed
 * billing value. A subscription is live from its first Active snapshot; a provisioning status
 * (Pending…, WaitingForDetails, Trial) keeps the status it had.
 */
export function changePax8Subscription(
  world: Pax8World,
  subscriptionId: string,
  at: string,
  patch: Partial<Omit<Pax8Subscription, 'id' | 'companyId' | 'createdDate' | 'updatedDate'>>,
): Pax8Subscription {
  const index = world.subscriptions.findIndex((s) => s.id === subscriptionId);
  if (index < 0) throw new Error(`no subscription ${subscriptionId}`);
  const before = world.subscriptions[index]!;
  if (at <= before.updatedDate) throw new Error(`a change must come after ${before.updatedDate}`);
  const after: Pax8Subscription = { ...before, ...patch, updatedDate: at };
  world.subscriptions[index] = after;
  world.history[subscriptionId]!.push(after);

  const log = (kind: Pax8ChangeRecord['kind']) =>
    world.changeLog.push({
      subscriptionId,
      at,
      date: at.slice(0, 10),
      kind,
      before: stateOf(before),
      after: stateOf(after),
    });
  const live = world.changeLog.some((r) => r.subscriptionId === subscriptionId && r.kind === 'created');
  const wasStatus = lastBillingStatus(world, subscriptionId);
  const nowStatus = BILLING_STATUS[after.status] ?? wasStatus;
  if (!live) {
    if (nowStatus === 'active')
      world.changeLog.push({
        subscriptionId,
        at,
        date: at.slice(0, 10),
        kind: 'created',
        after: stateOf(after),
      });
    return after;
  }
  // the order of src/subscriptions/historyEvent.ts eventsBetween
  if (before.billingTerm !== after.billingTerm) log('billing_cycle_changed');
  if (nowStatus !== wasStatus && nowStatus === 'active') log('reactivated');
  if (before.price !== after.price) log('price_changed');
  if (before.quantity !== after.quantity) log('quantity_changed');
  if (nowStatus !== wasStatus && nowStatus === 'suspended') log('suspended');
  if (nowStatus !== wasStatus && nowStatus === 'cancelled') log('cancelled');
  return after;
}

function lastBillingStatus(world: Pax8World, subscriptionId: string): 'active' | 'suspended' | 'cancelled' {
  for (let i = world.changeLog.length - 1; i >= 0; i--) {
    const r = world.changeLog[i]!;
    if (r.subscriptionId !== subscriptionId) continue;
    if (r.kind === 'suspended') return 'suspended';
    if (r.kind === 'cancelled') return 'cancelled';
    if (r.kind === 'reactivated' || r.kind === 'created') return 'active';
  }
  return 'active';
}
