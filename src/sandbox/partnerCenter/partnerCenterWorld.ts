// What the Partner Center stand-in holds: the partner's customers, each customer's subscriptions
// and the activity (audit) records, written with Microsoft's field names and enum values
// (docs/sources-partner-center.md "What the stand-in models"). A world is plain data, built
// deterministically from a seed, so a test derives what a pull must return from it.
import { addDays } from '../../core/calendarDate.js';
import { DEMO_CUSTOMERS, DEMO_PRODUCTS } from '../../demo/demoWorld.js';
import { seededRandom } from '../server/sandboxRuntime.js';

/** Subscription.status on the wire (lowercase member names of SubscriptionStatus). */
export const PC_SUBSCRIPTION_STATUSES = [
  'none',
  'active',
  'suspended',
  'deleted',
  'expired',
  'pending',
  'disabled',
] as const;
export type PcSubscriptionStatus = (typeof PC_SUBSCRIPTION_STATUSES)[number];

/** Subscription.billingType: "license" is seat-based, "usage" is metered (Azure plan). */
export type PcBillingType = 'none' | 'usage' | 'license';

export interface PcCustomer {
  /** the customer's tenant id; also companyProfile.tenantId */
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner: 'reseller' | 'advisor' | 'none';
}

export interface PcSubscription {
  id: string;
  /** the customer tenant the subscription belongs to (not a wire field: the URL carries it) */
  customerId: string;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  unitType: string;
  /** ISO date-times, UTC */
  creationDate: string;
  effectiveStartDate: string;
  commitmentEndDate: string;
  status: PcSubscriptionStatus;
  autoRenewEnabled: boolean;
  billingType: PcBillingType;
  /** BillingCycleType member names, lowercase: monthly, annual, none, one_time, triennial */
  billingCycle: string;
  /** ISO 8601 duration: P1M, P1Y, P3Y (absent on usage subscriptions) */
  termDuration?: string | undefined;
  orderId: string;
  isTrial: boolean;
  contractType: 'subscription';
}

export interface PcAuditRecord {
  id: string;
  partnerId: string;
  customerId: string;
  customerName: string;
  userPrincipalName: string;
  applicationId: string;
  /** lowercase snake_case: subscription, customer, order, … */
  resourceType: string;
  /** JSON text of the resource before and after */
  resourceOldValue: string | null;
  resourceNewValue: string | null;
  /** snake_case: update_subscription, add_customer, create_order, … */
  operationType: string;
  /** ISO date-time with seven fraction digits, UTC */
  operationDate: string;
  operationStatus: 'succeeded' | 'failed' | 'progress';
  customizedData: { key: string; value: string | null }[];
}

export interface PartnerCenterWorld {
  /** the partner's own Entra tenant (the token endpoint's path) */
  partnerTenantId: string;
  /** the stand-in's calendar day (YYYY-MM-DD): the audit window is counted from it */
  today: string;
  customers: PcCustomer[];
  subscriptions: PcSubscription[];
  auditRecords: PcAuditRecord[];
}

export interface RandomWorldOptions {
  seed: number;
  customers: number;
  subscriptions: number;
  today?: string;
}

const STATUS_DICE: [number, PcSubscriptionStatus][] = [
  [0.8, 'active'],
  [0.86, 'suspended'],
  [0.92, 'deleted'],
  [0.95, 'expired'],
  [0.98, 'pending'],
  [1.01, 'disabled'],
];

const DEFAULT_TODAY = '2026-03-15';
const PARTNER_TENANT = '11111111-2222-4333-8444-555555555555';

/** A GUID drawn from the seeded random source (so a world repeats exactly). */
export function seededGuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const COMPANY_WORDS = ['Alpine', 'Harbor', 'Cedar', 'Summit', 'Lumen', 'Vertex', 'Orchid', 'Granite'];
const COMPANY_KINDS = ['Dental', 'Legal', 'Logistics', 'Bakery', 'Clinic', 'Studio', 'Partners', 'Labs'];

/** `customers` customers and `subscriptions` subscriptions spread over them, from a seed. */
export function randomPartnerCenterWorld(options: RandomWorldOptions): PartnerCenterWorld {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const today = options.today ?? DEFAULT_TODAY;
  const customers: PcCustomer[] = Array.from({ length: options.customers }, (_, i) => {
    const name = `${pick(COMPANY_WORDS)} ${pick(COMPANY_KINDS)} ${i + 1}`;
    return {
      id: seededGuid(random),
      companyName: name,
      domain: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.onmicrosoft.com`,
      relationshipToPartner: 'reseller',
    };
  });
  const subscriptions: PcSubscription[] = [];
  for (let i = 0; i < options.subscriptions && customers.length > 0; i++) {
    // every customer gets one before any gets a second, then the rest at random
    const customer = i < customers.length ? customers[i]! : pick(customers);
    const product = pick(DEMO_PRODUCTS);
    const roll = random();
    // mostly active; every other status Microsoft lists except "none" (which says nothing)
    const status = STATUS_DICE.find(([upTo]) => roll < upTo)![1];
    const started = addDays(today, -Math.floor(random() * 700) - 1);
    subscriptions.push(
      subscriptionOf(
        random,
        customer.id,
        product,
        started,
        status,
        pick(['monthly', 'annual'] as const),
        today,
      ),
    );
  }
  return { partnerTenantId: PARTNER_TENANT, today, customers, subscriptions, auditRecords: [] };
}

/** Five demo customers (src/demo/demoWorld.ts) with a few of the demo products each, for the demo. */
export function partnerCenterWorldFromDemo(today: string = DEFAULT_TODAY): PartnerCenterWorld {
  const random = seededRandom(2026);
  const customers: PcCustomer[] = DEMO_CUSTOMERS.slice(0, 5).map((c) => ({
    id: c.externalId,
    companyName: c.name,
    domain: c.domain,
    relationshipToPartner: 'reseller',
  }));
  const subscriptions: PcSubscription[] = [];
  customers.forEach((customer, i) => {
    for (let k = 0; k < 3; k++) {
      const product = DEMO_PRODUCTS[(i * 3 + k) % DEMO_PRODUCTS.length]!;
      const started = addDays(today, -30 * (i + k + 1));
      subscriptions.push(
        subscriptionOf(
          random,
          customer.id,
          product,
          started,
          'active',
          k === 2 ? 'annual' : 'monthly',
          today,
        ),
      );
    }
  });
  return { partnerTenantId: PARTNER_TENANT, today, customers, subscriptions, auditRecords: [] };
}

function subscriptionOf(
  random: () => number,
  customerId: string,
  product: (typeof DEMO_PRODUCTS)[number],
  started: string,
  status: PcSubscriptionStatus,
  cycle: 'monthly' | 'annual',
  today: string,
): PcSubscription {
  const usage = product.billingType === 'usage';
  const termDuration = usage ? undefined : cycle === 'annual' || random() < 0.5 ? 'P1Y' : 'P1M';
  const termDays = termDuration === 'P1Y' ? 365 : termDuration === 'P1M' ? 30 : 0;
  let end = started;
  // the commitment in force today ends after today (terms renew back to back)
  if (termDays > 0) while (end <= started || end <= today) end = addDays(end, termDays);
  return {
    id: seededGuid(random),
    customerId,
    offerId: product.sku,
    offerName: product.name,
    friendlyName: product.name,
    quantity: usage ? 1 : 1 + Math.floor(random() * 60),
    unitType: usage ? 'Usage-based' : 'Licenses',
    creationDate: `${started}T08:00:00Z`,
    effectiveStartDate: `${started}T00:00:00Z`,
    // Microsoft writes a far-future date when the subscription does not renew by commitment
    commitmentEndDate: termDays > 0 ? `${end}T00:00:00Z` : '9999-12-14T00:00:00Z',
    status,
    autoRenewEnabled: !usage && random() < 0.85,
    billingType: usage ? 'usage' : 'license',
    billingCycle: usage ? 'monthly' : cycle,
    termDuration,
    orderId: seededGuid(random),
    isTrial: false,
    contractType: 'subscription',
  };
}
