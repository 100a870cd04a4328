// A deterministic generator of realistic partners (same seed → same file, byte for byte): the
// demo customers first, then made-up ones; subscriptions across the demo products, monthly and
// annual; months of history. It writes the CSV import format, so it exercises the importer too.
import { Decimal } from 'decimal.js';
import { CSV_REQUIRED_COLUMNS } from '../subscriptions/csvImportRow.js';
import { DEMO_CUSTOMERS, DEMO_PRODUCTS, type DemoProduct } from './demoWorld.js';
import { utcDateOf } from '../core/calendarDate.js';

export interface PartnerGeneratorOptions {
  seed: number;
  customers: number;
  subscriptions: number;
  /** total history events, creations included (at least one per subscription) */
  events: number;
  /** YYYY-MM-DD: no change is dated after it; history starts 2025-01-01 */
  endDate: string;
}

export interface GeneratedPartner {
  customers: { name: string; externalId: string; domain: string }[];
  subscriptionCount: number;
  /** one CSV row per event, in date order */
  rows: Record<string, string>[];
  csv: string;
}

export const BENCHMARK_PARTNER: Omit<PartnerGeneratorOptions, 'endDate'> = {
  seed: 42,
  customers: 200,
  subscriptions: 2_000,
  events: 10_000,
};

const HISTORY_START = '2025-01-01';
const COLUMNS = [...CSV_REQUIRED_COLUMNS, 'event_id', 'old_billing_cycle', 'term'] as const;

/** mulberry32: small, fast and good enough for test data. */
function randomSource(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    hex: (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
}
type Random = ReturnType<typeof randomSource>;

const DAY = 86_400_000;
const toDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const fromDay = (day: number) => utcDateOf(new Date(day * DAY));

const FIRST = [
  'Blue',
  'Silver',
  'North',
  'Green',
  'Bright',
  'Harbor',
  'Summit',
  'Maple',
  'Cedar',
  'Granite',
  'Atlas',
  'Orchid',
  'Pioneer',
  'Riverside',
  'Golden',
  'Eastgate',
  'Lakeside',
  'Redwood',
  'Sterling',
  'Falcon',
];
const SECOND = [
  'Dental',
  'Logistics',
  'Legal',
  'Accounting',
  'Engineering',
  'Bakery',
  'Clinic',
  'Realty',
  'Consulting',
  'Foods',
  'Motors',
  'Architects',
  'Media',
  'Outfitters',
  'Labs',
  'Insurance',
  'Travel',
  'Academy',
];
const SUFFIX = ['', ' LLC', ' Inc', ' Ltd', ' GmbH', ' & Co', ' Group', ' Partners'];

function madeUpCustomers(random: Random, count: number, taken: Set<string>) {
  const customers: GeneratedPartner['customers'] = [];
  while (customers.length < count) {
    const base = `${random.pick(FIRST)} ${random.pick(SECOND)}`;
    let name = `${base}${random.pick(SUFFIX)}`;
    for (let n = 2; taken.has(name); n++) name = `${base} ${n}`;
    taken.add(name);
    const hex = random.hex(32);
    customers.push({
      name,
      externalId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`,
      domain: `${base.toLowerCase().replace(/[^a-z]+/g, '')}${customers.length}.example`,
    });
  }
  return customers;
}

/** Price per unit per billing period: annual is 12 months less 5 %. */
function periodPrice(product: DemoProduct, cycle: 'monthly' | 'annual'): string {
  const monthly = new Decimal(product.monthlyPrice);
  return (cycle === 'annual' ? monthly.times(12).times(0.95) : monthly).toFixed(2);
}

/** Splits `extra` change events over the subscriptions, each at random. */
function spread(random: Random, subscriptions: number, extra: number): number[] {
  const budgets = new Array<number>(subscriptions).fill(0);
  for (let i = 0; i < extra; i++) budgets[random.int(0, subscriptions - 1)]! += 1;
  return budgets;
}

export function generatePartner(options: PartnerGeneratorOptions): GeneratedPartner {
  const { customers: customerCount, subscriptions: subscriptionCount, events, endDate } = options;
  if (subscriptionCount < 1 || customerCount < 1)
    throw new Error('a partner needs customers and subscriptions');
  if (events < subscriptionCount) throw new Error('events must be at least the number of subscriptions');
  const random = randomSource(options.seed);
  const lastDay = toDay(endDate);
  const firstDay = toDay(HISTORY_START);
  if (!(lastDay > firstDay)) throw new Error(`the end date must be after ${HISTORY_START}`);

  const demo = DEMO_CUSTOMERS.slice(0, customerCount).map((c) => ({
    name: c.name,
    externalId: c.externalId,
    domain: c.domain,
  }));
  const customers = [
    ...demo,
    ...madeUpCustomers(random, customerCount - demo.length, new Set(demo.map((c) => c.name))),
  ];
  const budgets = spread(random, subscriptionCount, events - subscriptionCount);
  const quantityProducts = DEMO_PRODUCTS.filter((p) => p.billingType === 'quantity');

  type Row = { day: number; order: number; cells: Record<string, string> };
  const rows: Row[] = [];
  let order = 0;
  for (let s = 0; s < subscriptionCount; s++) {
    // every customer gets a subscription before any gets a second one
    const customer = customers[s % customers.length]!;
    const product =
      random.next() < 0.03
        ? DEMO_PRODUCTS.find((p) => p.billingType === 'usage')!
        : random.pick(quantityProducts);
    let cycle: 'monthly' | 'annual' = random.next() < 0.65 ? 'monthly' : 'annual';
    const subscriptionId = `sub-${random.hex(8)}-${random.hex(4)}-${String(s).padStart(5, '0')}`;
    const changes = budgets[s]!;
    // leave room for the changes after the creation
    const created = random.int(firstDay, Math.max(firstDay, lastDay - Math.min(changes * 7, 300)));
    const days = Array.from({ length: changes }, () =>
      random.int(Math.min(created + 1, lastDay), lastDay),
    ).sort((a, b) => a - b);
    let quantity = random.next() < 0.7 ? random.int(1, 25) : random.int(26, 300);
    let price = periodPrice(product, cycle);
    let status: 'active' | 'suspended' | 'cancelled' = 'active';
    const row = (day: number, before: Partial<Record<string, string>>, withId: boolean) => {
      rows.push({
        day,
        order: order++,
        cells: {
          customer: customer.name,
          customer_external_id: customer.externalId,
          subscription_id: subscriptionId,
          product: product.name,
          sku: product.sku,
          billing_cycle: cycle,
          billing_type: product.billingType,
          old_quantity: before.quantity ?? '',
          new_quantity: String(quantity),
          date_of_change: fromDay(day),
          old_status: before.status ?? '',
          new_status: status,
          old_price: before.price ?? '',
          new_price: price,
          currency: 'USD',
          event_id: withId ? `evt-${options.seed}-${order}` : '',
          old_billing_cycle: before.cycle ?? '',
          term: cycle === 'annual' ? 'P1Y' : 'P1M',
        },
      });
    };
    row(created, {}, random.next() < 0.5);
    for (let i = 0; i < changes; i++) {
      const day = days[i]!;
      const remaining = changes - i;
      const before = { quantity: String(quantity), status, price, cycle };
      const withId = random.next() < 0.5;
      const roll = random.next();
      if (status === 'suspended') {
        status = remaining === 1 && roll < 0.3 ? 'cancelled' : 'active';
      } else if (remaining === 1 && roll < 0.08) {
        status = 'cancelled';
      } else if (roll < 0.62) {
        const delta = random.int(1, Math.max(1, Math.round(quantity * 0.2)));
        quantity = random.next() < 0.6 || quantity - delta < 1 ? quantity + delta : quantity - delta;
      } else if (roll < 0.76) {
        const factor = 1 + ((random.next() < 0.8 ? 1 : -1) * random.int(2, 8)) / 100;
        const next = new Decimal(price).times(factor).toFixed(2);
        price = next === price ? new Decimal(price).plus('0.01').toFixed(2) : next;
      } else if (roll < 0.9 && remaining >= 2) {
        status = 'suspended';
      } else if (product.billingType === 'quantity' && remaining >= 2) {
        // a cycle switch and its new price are two rows (two events) on the same day
        cycle = cycle === 'monthly' ? 'annual' : 'monthly';
        row(day, before, withId);
        i++;
        price = periodPrice(product, cycle);
        row(day, { quantity: String(quantity), status, price: before.price, cycle }, random.next() < 0.5);
        continue;
      } else {
        quantity += 1;
      }
      row(day, before, withId);
    }
  }
  rows.sort((a, b) => a.day - b.day || a.order - b.order);
  const records = rows.map((r) => r.cells);
  return { customers, subscriptionCount, rows: records, csv: toCsv(records) };
}

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(records: Record<string, string>[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of records) lines.push(COLUMNS.map((c) => quote(r[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
