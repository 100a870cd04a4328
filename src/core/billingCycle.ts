// How often a subscription bills: the two cycles the bot uploads. A monthly subscription goes to a
// monthly Recurring Service contract, an annual one to a yearly contract (docs/billing-semantics.md).
import { z } from 'zod';

export const BILLING_CYCLES = ['monthly', 'annual'] as const;
export const BillingCycleSchema = z.enum(BILLING_CYCLES);
export type BillingCycle = z.infer<typeof BillingCycleSchema>;

export function isBillingCycle(value: string): value is BillingCycle {
  return (BILLING_CYCLES as readonly string[]).includes(value);
}
