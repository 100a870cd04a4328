// The snapshot format: every subscription of the partner as of one date (README "Snapshot format").
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CustomerRefSchema } from './incomingEvent.js';
import { JsonSubscriptionSchema } from './jsonEventFormat.js';
import {
  EffectiveDateSchema,
  MoneySchema,
  QuantitySchema,
  SubscriptionStatusSchema,
} from './subscriptionValues.js';

// A snapshot subscription describes itself as an event's subscription does. Its keys keep this
// order: the content hash below is taken over the parsed objects.
const { id, product, sku, billingCycle, billingType, term, currency, unitCost } =
  JsonSubscriptionSchema.shape;

export const SnapshotSubscriptionSchema = z
  .object({
    id,
    customer: CustomerRefSchema,
    product,
    sku,
    billingCycle,
    billingType,
    term,
    status: SubscriptionStatusSchema,
    quantity: QuantitySchema,
    unitPrice: MoneySchema,
    unitCost,
    currency,
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
