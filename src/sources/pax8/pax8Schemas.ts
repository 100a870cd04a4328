// The Pax8 Partner API's answers as zod schemas (docs/sources-pax8.md "Endpoints"). Only the
// fields the connector uses are checked; the rest pass through untouched, so a new field Pax8
// adds never breaks a pull.
import { z } from 'zod';
import { isCalendarDate } from '../../core/calendarDate.js';

/** Pax8 writes date-times as `2021-01-01T08:30:00Z`, `2020-12-01T13:20:13.153-0700`, or a bare date. */
export const Pax8TimestampSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    'must be a date-time such as 2025-03-04T09:00:00.000-0600',
  )
  .refine((v) => isCalendarDate(v.slice(0, 10)), { message: 'must be a real calendar date' });

export const Pax8TokenAnswerSchema = z
  .object({
    access_token: z.string().min(1),
    expires_in: z.number().positive(),
    token_type: z.string().optional(),
  })
  .passthrough();

export const Pax8PageSchema = z
  .object({
    content: z.array(z.unknown()),
    page: z
      .object({
        size: z.number().int().positive(),
        totalElements: z.number().int().nonnegative(),
        totalPages: z.number().int().nonnegative(),
        number: z.number().int().nonnegative(),
      })
      .passthrough(),
  })
  .passthrough();

export const Pax8CompanySchema = z
  .object({
    id: z.string().min(1),
    name: z.string().trim().min(1, 'the company name is missing'),
    website: z.string().nullish(),
    status: z.string().nullish(),
    /** the partner's own reference for the company (Pax8: "an external ID … for reference") */
    externalId: z.string().nullish(),
  })
  .passthrough();
export type Pax8CompanyRow = z.infer<typeof Pax8CompanySchema>;

export const Pax8ProductSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().trim().min(1, 'the product name is missing'),
    sku: z.string().nullish(),
    vendorSku: z.string().nullish(),
  })
  .passthrough();
export type Pax8ProductRow = z.infer<typeof Pax8ProductSchema>;

/** A whole number of seats (Pax8 types it as a number). */
const QuantitySchema = z.number().int('must be a whole number of units').nonnegative();
/** Money as Pax8 sends it (a JSON number), at most 4 decimals like every amount we store. */
const PriceSchema = z
  .number()
  .nonnegative()
  .refine((v) => /^\d+(\.\d{1,4})?$/.test(String(v)), { message: 'must have at most 4 decimals' });

/** The part of a subscription (and of each history snapshot) the events come from. */
const subscriptionState = {
  quantity: QuantitySchema,
  status: z.string().min(1),
  price: PriceSchema,
  billingTerm: z.string().trim().min(1),
  createdDate: Pax8TimestampSchema.nullish(),
  updatedDate: Pax8TimestampSchema.nullish(),
};

export const Pax8SubscriptionSchema = z
  .object({
    id: z.string().min(1),
    companyId: z.string().min(1),
    productId: z.string().min(1),
    ...subscriptionState,
    currencyCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code'),
    productName: z.string().nullish(),
    partnerCost: PriceSchema.nullish(),
    commitmentTerm: z
      .object({ term: z.string().nullish(), endDate: Pax8TimestampSchema.nullish() })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type Pax8SubscriptionRow = z.infer<typeof Pax8SubscriptionSchema>;

/** One history record: a snapshot of the subscription after a change. */
export const Pax8HistoryEntrySchema = z
  .object(subscriptionState)
  .passthrough()
  .refine((e) => Boolean(e.updatedDate ?? e.createdDate), {
    message: 'has neither updatedDate nor createdDate',
  });
export type Pax8HistoryEntry = z.infer<typeof Pax8HistoryEntrySchema>;

export const Pax8HistoryAnswerSchema = z.object({ content: z.array(z.unknown()) }).passthrough();
