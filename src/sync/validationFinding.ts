// A validation finding (docs/billing-semantics.md §5): a stable code, a severity, what it concerns, a
// plain message and a fix hint. Errors block the customer's upload; warnings and info do not.
import { z } from 'zod';

export const FINDING_SEVERITY = {
  AUTOTASK_UNREACHABLE: 'error',
  AUTOTASK_AUTH: 'error',
  AUTOTASK_ROW_UNREADABLE: 'error',
  CUSTOMER_UNMAPPED: 'error',
  CUSTOMER_AMBIGUOUS: 'error',
  COMPANY_INACTIVE: 'error',
  CONTRACT_MISSING: 'error',
  CONTRACT_AMBIGUOUS: 'error',
  CONTRACT_NOT_RECURRING: 'error',
  CONTRACT_PERIOD_UNSUPPORTED: 'error',
  CONTRACT_EXPIRED: 'error',
  CONTRACT_INACTIVE: 'error',
  CONTRACT_TERM_GAP: 'error',
  PERIOD_POSTED: 'error',
  SERVICE_UNMAPPED: 'error',
  SERVICE_INACTIVE: 'error',
  PRODUCT_MULTI_CONTRACT: 'error',
  DUPLICATE_BILLING_RISK: 'error',
  DRIFT: 'error',
  HISTORY_INCONSISTENT: 'error',
  /** `correct <customer>` only (driftCorrection.ts): a planned correction, and why none could be */
  DRIFT_CORRECTION: 'warning',
  CORRECTION_PERIOD_POSTED: 'error',
  CORRECTION_HISTORY_UNCLEAR: 'error',
  CORRECTION_NOT_POSSIBLE: 'error',
  UNSUPPORTED_SUBSCRIPTION: 'warning',
  NOTHING_TO_UPLOAD: 'info',
} as const;

export type FindingCode = keyof typeof FINDING_SEVERITY;
export const FINDING_CODES = Object.keys(FINDING_SEVERITY) as FindingCode[];

export const FindingSchema = z.object({
  code: z.enum(FINDING_CODES as [FindingCode, ...FindingCode[]]),
  severity: z.enum(['error', 'warning', 'info']),
  customerId: z.string(),
  subscriptionId: z.string().optional(),
  productName: z.string().optional(),
  message: z.string(),
  hint: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export function finding(
  code: FindingCode,
  about: { customerId: string; subscriptionId?: string | undefined; productName?: string | undefined },
  message: string,
  hint: string,
): Finding {
  const result: Finding = {
    code,
    severity: FINDING_SEVERITY[code],
    customerId: about.customerId,
    message,
    hint,
  };
  if (about.subscriptionId !== undefined) result.subscriptionId = about.subscriptionId;
  if (about.productName !== undefined) result.productName = about.productName;
  return result;
}

export const hasErrors = (findings: readonly Finding[]): boolean =>
  findings.some((f) => f.severity === 'error');

/** The finding as one line a person can act on: `CODE: message — fix hint`. */
