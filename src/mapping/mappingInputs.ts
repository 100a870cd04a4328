// The inputs of the manual mapping use cases, checked with zod where the chat layer (or any other
// caller) hands them over, each beside the chat command that says it (the usage a refusal of a
// bad input shows). Types are inferred from the schemas.
import { z } from 'zod';
import { refusal, type MappingRefusal } from './mappingFinding.js';
import { CALENDAR_DATE_PATTERN } from '../core/calendarDate.js';

const date = z.string().regex(CALENDAR_DATE_PATTERN, 'a date like 2026-12-01');

export const ForceOptionSchema = z.object({
  /** why the person changes a mapping that has uploads; recorded in the audit log */
  reason: z.string().trim().min(3, 'a reason of a few words').max(500),
  /** YYYY-MM-DD from which the old line must stop billing (default: today) */
  effectiveFrom: date.optional(),
});
export type ForceOption = z.infer<typeof ForceOptionSchema>;

const customerId = z.string().min(1).max(100);
const autotaskId = z.number().int().positive();

export const MAP_COMPANY_USAGE = 'map <customer> company <id or name>';
export const MapCompanyInputSchema = z.object({
  customerId,
  /** an Autotask company id or its name */
  company: z.string().trim().min(1).max(200),
  force: ForceOptionSchema.optional(),
});
export type MapCompanyInput = z.infer<typeof MapCompanyInputSchema>;

export const MAP_CONTRACT_USAGE = 'map <customer> contract monthly|annual <id> [default]';
export const MapContractInputSchema = z.object({
  customerId,
  /** monthly | annual (anything else is refused with BILLING_CYCLE_UNSUPPORTED) */
  billingCycle: z.string().trim().min(1).max(40),
  contractId: autotaskId,
  /** make it the default for the customer and cycle */
  isDefault: z.boolean().optional(),
  force: ForceOptionSchema.optional(),
});
export type MapContractInput = z.infer<typeof MapContractInputSchema>;

export const MAP_PRODUCT_USAGE = 'map <customer> product "<product>" [monthly|annual] service <id or name>';
export const MapProductInputSchema = z.object({
  /** set: an override for this customer; unset: the global rule */
  customerId: customerId.optional(),
  productName: z.string().trim().min(1).max(300),
  /** needed only when several SKUs share the product name */
  productSku: z.string().max(200).optional(),
  /** monthly | annual | any (default any) */
  billingCycle: z.string().trim().min(1).max(40).optional(),
  /** an Autotask service id or its name */
  service: z.string().trim().min(1).max(300),
  /** pin to one of the customer's mapped contracts of this cycle (customer overrides only) */
  contractId: autotaskId.optional(),
  force: ForceOptionSchema.optional(),
});
export type MapProductInput = z.infer<typeof MapProductInputSchema>;

/** Parses a use-case input; a bad one is a coded refusal naming each wrong field. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  input: unknown,
  usage: string,
): { ok: true; value: T } | MappingRefusal {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const forceReason = parsed.error.issues.find((i) => i.path.join('.') === 'force.reason');
  if (forceReason)
    return refusal('FORCE_REASON_REQUIRED', 'a forced change needs a reason', 'give a reason of a few words');
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  return refusal('INVALID_INPUT', problems, `usage: ${usage}`);
}
