// Small builders for the sync engine's plain inputs, shared by the sync unit tests.
import { Decimal } from 'decimal.js';
import type { SyncOperation } from '../../src/sync/syncOperation.js';
import type {
  CustomerTargets,
  SubscriptionEventInput,
  SubscriptionInput,
} from '../../src/sync/syncInputs.js';

export const CUSTOMER = 'cust-1';
export const MONTHLY_CONTRACT = 100;
export const ANNUAL_CONTRACT = 200;
export const PREMIUM_MONTHLY_SERVICE = 11;
export const PREMIUM_ANNUAL_SERVICE = 12;

export const TARGETS: CustomerTargets = {
  companyId: 1,
  contracts: { monthly: MONTHLY_CONTRACT, annual: ANNUAL_CONTRACT },
  services: [
    {
      productName: 'Microsoft 365 Business Premium',
      billingCycle: 'monthly',
      serviceId: PREMIUM_MONTHLY_SERVICE,
    },
    {
      productName: 'Microsoft 365 Business Premium',
      billingCycle: 'annual',
      serviceId: PREMIUM_ANNUAL_SERVICE,
    },
  ],
};

export function subscription(overrides: Partial<SubscriptionInput> = {}): SubscriptionInput {
  return {
    id: 'sub-1',
    customerId: CUSTOMER,
    productName: 'Microsoft 365 Business Premium',
    sku: null,
    billingCycle: 'monthly',
    billingType: 'quantity',
    status: 'active',
    quantity: 5,
    unitPrice: new Decimal('22'),
    ...overrides,
  };
}

let seq = 0;
type EventShorthand = Omit<Partial<SubscriptionEventInput>, 'priceBefore' | 'priceAfter'> & {
  priceBefore?: string;
  priceAfter?: string;
};

export function event(
  effectiveDate: string,
  kind: string,
  values: EventShorthand = {},
  subscriptionId = 'sub-1',
): SubscriptionEventInput {
  seq += 1;
  return {
    id: `ev-${seq}`,
    subscriptionId,
    effectiveDate,
    kind,
    ...values,
    priceBefore: values.priceBefore === undefined ? null : new Decimal(values.priceBefore),
    priceAfter: values.priceAfter === undefined ? null : new Decimal(values.priceAfter),
  };
}

export const created = (date: string, quantity: number, sub = 'sub-1', price = '22', cycle = 'monthly') =>
  event(date, 'created', { quantityAfter: quantity, priceAfter: price, billingCycleAfter: cycle }, sub);
export const quantity = (date: string, before: number, after: number, sub = 'sub-1') =>
  event(date, 'quantity_changed', { quantityBefore: before, quantityAfter: after }, sub);

/**
 * Two subscriptions of one product on one contract whose ids sort against their start dates:
 * `first` (from 2026-01-05, a price change on 2026-03-01, 5 → 6 on 2026-04-10) holds the base
 * line, `second` (from 2026-02-01, 3 → 4 on 2026-03-10) a repeat line — a dependent chain.
 */
export const twoSubscriptionsOfOneProduct = (first: string, second: string) => [
  created('2026-01-05', 5, first),
  event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '21' }, first),
  quantity('2026-04-10', 5, 6, first),
  created('2026-02-01', 3, second),
  quantity('2026-03-10', 3, 4, second),
];

/** An operation as one readable line, for golden tables. */
export function describeOperation(op: SyncOperation): string {
  const where = `c${op.contractId} s${op.serviceId} @${op.unitPrice.toFixed()}`;
  if (op.kind === 'create_line') return `${op.effectiveDate} create ${where}`;
  const change = op.unitChange > 0 ? `+${op.unitChange}` : String(op.unitChange);
  const line = op.line.mode === 'repeat' ? (op.line.opens ? 'repeat-new' : 'repeat') : op.line.mode;
  return `${op.effectiveDate} ${change} ${where} =${op.unitsAfter} ${line}`;
}
