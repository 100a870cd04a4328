// One demo customer shaped like the partners this product is for: Trey Research holds Microsoft
// 365 Business Premium monthly (with a quantity change, a suspension and a price change),
// annually, and once switching from monthly to annual. The demo catalogue has the product as a
// Monthly and as a Yearly service of one name, so `map trey` shows one row per billing cycle,
// each on the service of its period, and the switch moves to the yearly service line.
// Rows in the importer's CSV format; dates count back from the demo's end date.
import { DEMO_CUSTOMERS, DEMO_PRODUCTS } from './demoWorld.js';
import { utcDateOf } from '../core/calendarDate.js';

export const SHOWCASE_CUSTOMER = 'Trey Research';
const PRODUCT = 'Microsoft 365 Business Premium';
const DAY = 86_400_000;

export function billingCycleShowcaseRows(endDate: string): Record<string, string>[] {
  const customer = DEMO_CUSTOMERS.find((c) => c.name === SHOWCASE_CUSTOMER)!;
  const product = DEMO_PRODUCTS.find((p) => p.name === PRODUCT)!;
  const end = Date.parse(`${endDate}T00:00:00Z`);
  const daysBefore = (n: number) => utcDateOf(new Date(end - n * DAY));
  const monthly = product.monthlyPrice;
  const annual = (Number(monthly) * 12 * 0.95).toFixed(2);
  const rows: Record<string, string>[] = [];
  const row = (
    subscription: string,
    day: number,
    now: { quantity: number; status: string; price: string; cycle: string },
    before: Partial<{ quantity: number; status: string; price: string; cycle: string }> = {},
  ) =>
    rows.push({
      customer: customer.name,
      customer_external_id: customer.externalId,
      subscription_id: `showcase-${subscription}`,
      product: product.name,
      sku: product.sku,
      billing_cycle: now.cycle,
      billing_type: 'quantity',
      old_quantity: before.quantity === undefined ? '' : String(before.quantity),
      new_quantity: String(now.quantity),
      date_of_change: daysBefore(day),
      old_status: before.status ?? '',
      new_status: now.status,
      old_price: before.price ?? '',
      new_price: now.price,
      currency: 'USD',
      event_id: `showcase-${subscription}-${day}`,
      old_billing_cycle: before.cycle ?? '',
      term: now.cycle === 'annual' ? 'P1Y' : 'P1M',
    });
  // monthly: up, suspended, back, then a new price
  const m = { quantity: 10, status: 'active', price: monthly, cycle: 'monthly' };
  row('monthly', 150, m);
  row('monthly', 120, { ...m, quantity: 12 }, { quantity: 10, status: 'active', price: monthly });
  row('monthly', 90, { ...m, quantity: 12, status: 'suspended' }, { quantity: 12, status: 'active' });
  row('monthly', 75, { ...m, quantity: 12 }, { quantity: 12, status: 'suspended' });
  const raised = (Number(monthly) * 1.05).toFixed(2);
  row(
    'monthly',
    60,
    { ...m, quantity: 12, price: raised },
    { quantity: 12, status: 'active', price: monthly },
  );
  // annual
  row('annual', 140, { quantity: 5, status: 'active', price: annual, cycle: 'annual' });
  // monthly → annual: the switch and its new price are two rows on one day, as the generator writes them
  const s = { quantity: 3, status: 'active', price: monthly, cycle: 'monthly' };
  row('switch', 150, s);
  row(
    'switch',
    45,
    { ...s, cycle: 'annual' },
    { quantity: 3, status: 'active', price: monthly, cycle: 'monthly' },
  );
  row(
    'switch',
    45,
    { ...s, cycle: 'annual', price: annual },
    { quantity: 3, status: 'active', price: monthly, cycle: 'annual' },
  );
  return rows;
}
