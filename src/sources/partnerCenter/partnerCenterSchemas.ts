// What the connector reads of Partner Center's answers (docs/sources-partner-center.md
// "Endpoints"), as zod schemas that check only the fields it uses: the Collection envelope with
// links.next, Customer, Subscription and AuditRecord. Extra fields pass untouched.
import { z } from 'zod';

const LinkSchema = z.object({
  uri: z.string().min(1),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
});

/** A page of a collection: items are read one by one (a bad row is a problem, not the end). */
export const CollectionSchema = z.object({
  totalCount: z.number().int().nonnegative().optional(),
  items: z.array(z.unknown()),
  links: z.object({ next: LinkSchema.optional() }).passthrough().optional(),
  continuationToken: z.string().optional(),
});
export type Collection = z.infer<typeof CollectionSchema>;

export const CustomerSchema = z.object({
  id: z.string().min(1),
  companyProfile: z.object({
    tenantId: z.string().min(1),
    domain: z.string().optional(),
    companyName: z.string().min(1),
  }),
});

/** Subscription.status as Microsoft lists it (lowercase SubscriptionStatus names). */
export const PcStatusSchema = z.enum([
  'none',
  'active',
  'suspended',
  'deleted',
  'expired',
  'pending',
  'disabled',
]);
export type PcStatus = z.infer<typeof PcStatusSchema>;

/** ISO date-time (or date): the calendar date is its first ten characters. */
const InstantSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be an ISO date-time');

export const SubscriptionSchema = z.object({
  id: z.string().min(1),
  offerId: z.string().optional(),
  offerName: z.string().optional(),
  friendlyName: z.string().optional(),
  quantity: z.number().int().nonnegative(),
  status: PcStatusSchema,
  billingType: z.enum(['none', 'usage', 'license']).optional(),
  billingCycle: z.string().optional(),
  termDuration: z.string().optional(),
  commitmentEndDate: InstantSchema.optional(),
  autoRenewEnabled: z.boolean().optional(),
});
export type PcSubscriptionRow = z.infer<typeof SubscriptionSchema>;

export const AuditRecordSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().optional(),
  resourceType: z.string(),
  operationType: z.string(),
  operationDate: InstantSchema,
  operationStatus: z.string().optional(),
  resourceOldValue: z.string().nullable().optional(),
  resourceNewValue: z.string().nullable().optional(),
});
export type PcAuditRow = z.infer<typeof AuditRecordSchema>;

/** The JSON text an audit record keeps of a subscription: PascalCase, camelCase read too. */
export const AuditedSubscriptionSchema = z
  .object({
    Id: z.string().optional(),
    id: z.string().optional(),
    Quantity: z.unknown().optional(),
    quantity: z.unknown().optional(),
    Status: z.unknown().optional(),
    status: z.unknown().optional(),
    BillingCycle: z.unknown().optional(),
    billingCycle: z.unknown().optional(),
  })
  .passthrough();

/** Entra's token answer: v1 writes expires_in as a string, v2.0 as a number. */
export const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
});

/** Entra's refusal: error, and error_description starting with the AADSTS code. */
export const EntraErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
});
