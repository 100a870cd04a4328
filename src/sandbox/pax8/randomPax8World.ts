// A seeded Pax8 world for the connector's tests: companies, subscriptions created over the past
// year (some through a provisioning step first), then `days` days of changes ending today —
// quantity changes (some through a PendingAutomated step), suspensions, reactivations,
// cancellations (through PendingCancel), price changes, billing-term changes and two changes in
// one snapshot. Same seed, same world.
import { DEMO_PRODUCTS } from '../../demo/demoWorld.js';
import { addDays } from '../../core/calendarDate.js';
import { seededRandom } from '../server/sandboxRuntime.js';
import { uuidFromRandom, uuidFromText } from './pax8Ids.js';
import {
  addPax8Subscription,
  changePax8Subscription,
  emptyPax8World,
  pax8Timestamp,
  type Pax8BillingTerm,
  type Pax8Product,
  type Pax8Subscription,
  type Pax8World,
} from './pax8World.js';

export interface RandomPax8WorldOptions {
  seed: number;
  companies?: number;
  subscriptions?: number;
  /** days of changes, ending today */
  days?: number;
  /** YYYY-MM-DD */
  today?: string;
}

const WORDS_A = [
  'Blue',
  'Harbor',
  'Summit',
  'Cedar',
  'Atlas',
  'Pioneer',
  'Golden',
  'Lakeside',
  'Falcon',
  'Maple',
];
const WORDS_B = [
  'Dental',
  'Logistics',
  'Legal',
  'Clinic',
  'Realty',
  'Foods',
  'Labs',
  'Travel',
  'Media',
  'Motors',
];

const money = (n: number) => Math.round(n * 100) / 100;

export function randomPax8World(options: RandomPax8WorldOptions): Pax8World {
  const companyCount = options.companies ?? 50;
  const subscriptionCount = options.subscriptions ?? 500;
  const days = options.days ?? 3;
  const today = options.today ?? '2026-03-12';
  const next = seededRandom(options.seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const world = emptyPax8World(today);

  for (let c = 0; c < companyCount; c++) {
    const name = `${pick(WORDS_A)} ${pick(WORDS_B)} ${c + 1}`;
    world.companies.push({
      id: uuidFromRandom(next),
      name,
      address: {
        street: `${c + 1} Main St`,
        city: 'Denver',
        postalCode: '80202',
        country: 'US',
        stateOrProvince: 'Colorado',
      },
      phone: `303-555-${String(2000 + c)}`,
      website: `https://www.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example/`,
      externalId: `PSA-${1000 + c}`,
      billOnBehalfOfEnabled: next() < 0.5,
      selfServiceAllowed: false,
      orderApprovalRequired: false,
      status: 'Active',
      updatedDate: pax8Timestamp('2025-01-02', 8 * 3600),
    });
  }
  const catalogue = DEMO_PRODUCTS.filter((p) => p.billingType === 'quantity');
  world.products = catalogue.map((p): Pax8Product => ({
    id: uuidFromText(`pax8-product:${p.sku}`),
    name: p.name,
    vendorName: 'Microsoft',
    shortDescription: p.name,
    sku: `MST-NCE-${p.sku.slice(4, 10)}`,
    vendorSku: p.sku,
    requiresCommitment: true,
  }));

  const firstChangeDay = addDays(today, -(days - 1));
  // per subscription, the last second used on each day, so snapshots stay in order
  const lastSecond = new Map<string, number>();
  const at = (id: string, date: string) => {
    const key = `${id}@${date}`;
    const second = lastSecond.has(key) ? lastSecond.get(key)! + int(30, 900) : int(7 * 3600, 12 * 3600);
    lastSecond.set(key, second);
    return pax8Timestamp(date, second);
  };

  for (let s = 0; s < subscriptionCount; s++) {
    const company = world.companies[s % companyCount]!;
    const productIndex = int(0, catalogue.length - 1);
    const product = world.products[productIndex]!;
    const monthly = Number(catalogue[productIndex]!.monthlyPrice);
    const roll = next();
    const billingTerm: Pax8BillingTerm = roll < 0.62 ? 'Monthly' : roll < 0.95 ? 'Annual' : '3-Year';
    // a few are new during the changing days
    const created =
      next() < 0.06 ? addDays(firstChangeDay, int(0, days - 1)) : addDays(firstChangeDay, -int(5, 400));
    const id = uuidFromRandom(next);
    const provisioning = next() < 0.2;
    const stamp = at(id, created);
    const price = money(billingTerm === 'Monthly' ? monthly : monthly * 12 * 0.95);
    addPax8Subscription(world, {
      id,
      companyId: company.id,
      productId: product.id,
      quantity: next() < 0.75 ? int(1, 25) : int(26, 300),
      startDate: stamp,
      createdDate: stamp,
      updatedDate: stamp,
      billingStart: created,
      status: provisioning ? 'PendingAutomated' : 'Active',
      price,
      currencyCode: 'USD',
      partnerCost: money(price * 0.85),
      productName: product.name,
      billingTerm,
      ...(billingTerm !== 'Monthly'
        ? {
            commitmentTerm: {
              id: uuidFromRandom(next),
              term: billingTerm === 'Annual' ? '1-Year' : '3-Year',
            },
          }
        : {}),
    });
    if (provisioning) changePax8Subscription(world, id, at(id, created), { status: 'Active' });
  }

  for (let d = 0; d < days; d++) {
    const date = addDays(firstChangeDay, d);
    for (const subscription of [...world.subscriptions]) {
      if (subscription.createdDate.slice(0, 10) >= date) continue;
      const changes = next() < 0.35 ? (next() < 0.15 ? 2 : 1) : 0;
      for (let n = 0; n < changes; n++) changeOnce(world, subscription.id, date);
    }
  }
  return world;

  function changeOnce(w: Pax8World, id: string, date: string): void {
    const current = w.subscriptions.find((s) => s.id === id)!;
    const change = (patch: Partial<Pax8Subscription>) => changePax8Subscription(w, id, at(id, date), patch);
    if (current.status === 'Cancelled') {
      if (next() < 0.3) change({ status: 'Active' });
      return;
    }
    if (current.status === 'Suspended') {
      if (next() < 0.7) change({ status: 'Active' });
      else change({ status: 'Cancelled', endDate: at(id, date) });
      return;
    }
    const roll = next();
    const quantity = current.quantity;
    if (roll < 0.35) {
      const delta = int(1, Math.max(1, Math.round(quantity * 0.2)));
      const target = next() < 0.6 || quantity - delta < 1 ? quantity + delta : quantity - delta;
      if (next() < 0.25) {
        // through a provisioning step: the new quantity shows while the order is pending
        change({ quantity: target, status: 'PendingAutomated' });
        change({ status: 'Active' });
      } else change({ quantity: target });
    } else if (roll < 0.5) {
      change({ status: 'Suspended' });
    } else if (roll < 0.58) {
      change({ status: 'PendingCancel' });
      change({ status: 'Cancelled', endDate: at(id, date) });
    } else if (roll < 0.75) {
      const factor = 1 + ((next() < 0.8 ? 1 : -1) * int(2, 8)) / 100;
      const price = money(current.price * factor);
      change({ price: price === current.price ? money(price + 0.01) : price });
    } else if (roll < 0.88) {
      // a term switch, half the time with its new price in the same snapshot
      const billingTerm: Pax8BillingTerm = current.billingTerm === 'Monthly' ? 'Annual' : 'Monthly';
      const repriced = money(
        billingTerm === 'Annual' ? current.price * 12 * 0.95 : current.price / (12 * 0.95),
      );
      change(next() < 0.5 ? { billingTerm, price: repriced } : { billingTerm });
    } else {
      // two values in one snapshot
      change({ quantity: quantity + int(1, 3), price: money(current.price + 0.5) });
    }
  }
}
