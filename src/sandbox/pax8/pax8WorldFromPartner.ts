// The demo partner (src/demo/demoPartner.ts generateDemoPartner) as Pax8 would hold it, so a Pax8
// pull yields what importing its CSV yields: the same customers (name, domain), subscription ids,
// products (name, SKU), billing cycles, prices, currency, quantities and change dates.
// Choices (docs/sources-pax8.md "The demo partner"):
// - the Pax8 company id is the row's customer_external_id (a UUID, like Pax8's ids);
// - the CSV SKU (Microsoft's product:sku id) is the Pax8 product's vendorSku; Pax8's own sku is made up;
// - every CSV row is one history snapshot, dated that day at 09:00 partner time (a minute apart
//   for rows of one subscription on one day, in the CSV's order);
// - subscription ids stay the CSV's (they are not UUIDs; the connector does not require one).
import type { GeneratedPartner } from '../../demo/partnerGenerator.js';
import { uuidFromText } from './pax8Ids.js';
import {
  addPax8Subscription,
  changePax8Subscription,
  emptyPax8World,
  pax8Timestamp,
  type Pax8BillingTerm,
  type Pax8Company,
  type Pax8Product,
  type Pax8SubscriptionStatus,
  type Pax8World,
} from './pax8World.js';

const TERM: Record<string, Pax8BillingTerm> = { monthly: 'Monthly', annual: 'Annual' };
const STATUS: Record<string, Pax8SubscriptionStatus> = {
  active: 'Active',
  suspended: 'Suspended',
  cancelled: 'Cancelled',
};
/** the CSV's ISO term → the commitment term as Pax8 words it */
const COMMITMENT: Record<string, string> = { P1M: '1-Month', P1Y: '1-Year', P3Y: '3-Year' };

export function pax8WorldFromPartner(partner: GeneratedPartner, options: { today?: string } = {}): Pax8World {
  const rows = partner.rows;
  const lastDate = rows.reduce((max, r) => (r.date_of_change! > max ? r.date_of_change! : max), '0000-00-00');
  const world = emptyPax8World(options.today ?? lastDate);
  const domains = new Map(partner.customers.map((c) => [c.externalId, c.domain]));

  const companies = new Map<string, Pax8Company>();
  const products = new Map<string, Pax8Product>();
  const secondsUsed = new Map<string, number>();
  for (const row of rows) {
    const companyId = row.customer_external_id!;
    if (!companies.has(companyId)) {
      const domain = domains.get(companyId);
      companies.set(companyId, {
        id: companyId,
        name: row.customer!,
        address: {
          street: `${100 + companies.size} Market Street`,
          city: 'Denver',
          postalCode: '80202',
          country: 'US',
          stateOrProvince: 'Colorado',
        },
        phone: `303-555-${String(1000 + companies.size).slice(-4)}`,
        website: domain ? `https://${domain}/` : '',
        billOnBehalfOfEnabled: false,
        selfServiceAllowed: false,
        orderApprovalRequired: false,
        status: 'Active',
        updatedDate: pax8Timestamp('2025-01-01', 8 * 3600),
      });
    }
    const productKey = `${row.product}\u0000${row.sku}`;
    if (!products.has(productKey)) {
      const id = uuidFromText(`pax8-product:${productKey}`);
      products.set(productKey, {
        id,
        name: row.product!,
        vendorName: 'Microsoft',
        shortDescription: row.product!,
        sku: `MST-NCE-${id.slice(0, 6).toUpperCase()}`,
        vendorSku: row.sku!,
        requiresCommitment: row.billing_cycle === 'annual',
      });
    }
    const product = products.get(productKey)!;
    // rows of one subscription on one day keep the CSV's order, a minute apart
    const dayKey = `${row.subscription_id}\u0000${row.date_of_change}`;
    const seconds = secondsUsed.has(dayKey) ? secondsUsed.get(dayKey)! + 60 : 9 * 3600;
    secondsUsed.set(dayKey, seconds);
    const at = pax8Timestamp(row.date_of_change!, seconds);
    const billingTerm = TERM[row.billing_cycle!];
    const status = STATUS[row.new_status!];
    if (!billingTerm || !status) throw new Error(`row of ${row.subscription_id}: unknown cycle or status`);
    const state = {
      quantity: Number(row.new_quantity),
      status,
      price: Number(row.new_price),
      billingTerm,
      ...(row.new_status === 'cancelled' ? { endDate: at } : {}),
      ...(row.term && COMMITMENT[row.term]
        ? {
            commitmentTerm: {
              id: uuidFromText(`pax8-commitment:${row.subscription_id}:${row.term}`),
              term: COMMITMENT[row.term]!,
            },
          }
        : {}),
    };
    const isCreation = !row.old_quantity && !row.old_status;
    if (isCreation) {
      addPax8Subscription(world, {
        id: row.subscription_id!,
        companyId,
        productId: product.id,
        startDate: at,
        createdDate: at,
        updatedDate: at,
        billingStart: row.date_of_change!,
        currencyCode: row.currency!,
        productName: product.name,
        ...state,
      });
    } else {
      changePax8Subscription(world, row.subscription_id!, at, state);
    }
  }
  world.companies = [...companies.values()];
  world.products = [...products.values()];
  return world;
}
