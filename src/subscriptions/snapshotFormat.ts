// The snapshot format: every subscription of the partner as of one date (README "Snapshot format").
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CustomerRefSchema } from './incomingEvent.js';
import {
  BillingCycleSchema,
  BillingTypeSchema,
  CurrencySchema,
  EffectiveDateSchema,
  MoneySchema,
  QuantitySchema,
  SubscriptionStatusSchema,
} from './subscriptionValues.js';

export const SnapshotSubscriptionSchema = z
  .object({
    id: z.string().trim().min(1, 'the subscription id is missing').max(200),
    customer: CustomerRefSchema,
    product: z.string().trim().min(1, 'the product name is missing').max(300),
    sku: z.string().trim().min(1).max(200).optional(),
    billingCycle: BillingCycleSchema,
    billingType: BillingTypeSchema,
    term: z.string().trim().min(1).max(40).optional(),
    status: SubscriptionStatusSchema,
    quantity: QuantitySchema,
    unitPrice: MoneySchema,
    unitCost: MoneySchema.optional(),
    currency: CurrencySchema,
  })
  .strict();
export type SnapshotSubscription = z.infer<typeof SnapshotSubscriptionSchema>;

export const SnapshotSchema = z.object({
  /** the date the snapshot describes; the derived events carry it */
  date: EffectiveDateSchema,
  source: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,60}$/, 'must be a short name such as partner-center')
    .optional(),
  subscriptions: z.array(z.unknown()).max(100_000),
  /** the sender confirms a snapshot that cancels more than INGEST_MASS_CANCEL_SHARE */
  allowMassCancel: z.boolean('must be true or false').optional(),
});

export function snapshotContentHash(date: string, subscriptions: SnapshotSubscription[]): string {
  const sorted = [...subscriptions].sort((a, b) => a.id.localeCompare(b.id));
  return createHash('sha256')
    .update(JSON.stringify([date, sorted]))
    .digest('hex');
}
