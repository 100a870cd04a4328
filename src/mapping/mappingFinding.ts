// Coded findings and refusals of the mapping part. A person can act on each: the message says
// what is wrong, the hint says what to do (docs/billing-semantics.md §5).

export type MappingFindingCode =
  | 'CUSTOMER_UNMAPPED'
  | 'CUSTOMER_AMBIGUOUS'
  | 'COMPANY_INACTIVE'
  | 'CONTRACT_MISSING'
  | 'CONTRACT_AMBIGUOUS'
  | 'CONTRACT_NOT_RECURRING'
  | 'CONTRACT_PERIOD_UNSUPPORTED'
  | 'CONTRACT_INACTIVE'
  | 'CONTRACT_EXPIRED'
  | 'SERVICE_UNMAPPED'
  | 'SERVICE_INACTIVE'
  | 'PRODUCT_MULTI_CONTRACT';

export type MappingRefusalCode =
  | MappingFindingCode
  | 'CUSTOMER_NOT_FOUND'
  | 'COMPANY_NOT_FOUND'
  | 'COMPANY_TAKEN'
  | 'CONTRACT_NOT_FOUND'
  | 'CONTRACT_OTHER_COMPANY'
  | 'CONTRACT_TAKEN'
  | 'BILLING_CYCLE_UNSUPPORTED'
  | 'SERVICE_NOT_FOUND'
  | 'PRODUCT_NOT_FOUND'
  | 'SUGGESTION_NOT_FOUND'
  | 'SUGGESTION_DECIDED'
  | 'MAPPING_LOCKED_BY_UPLOAD'
  | 'FORCE_REASON_REQUIRED'
  | 'INVALID_INPUT';

export interface MappingFinding {
  code: MappingFindingCode;
  severity: 'error' | 'warning';
  message: string;
  hint: string;
  customerId?: string;
  productName?: string;
  billingCycle?: string;
}

export interface MappingRefusal {
  ok: false;
  code: MappingRefusalCode;
  message: string;
  hint: string;
}

export function refusal(code: MappingRefusalCode, message: string, hint: string): MappingRefusal {
  return { ok: false, code, message, hint };
}

export function finding(
  code: MappingFindingCode,
  message: string,
  hint: string,
  about: Pick<MappingFinding, 'customerId' | 'productName' | 'billingCycle'> = {},
): MappingFinding {
  return { code, severity: 'error', message, hint, ...about };
}

/** "CODE: message — hint", the one-line form for chat and logs. */
export function describe(item: { code: string; message: string; hint: string }): string {
  return `${item.code}: ${item.message} — ${item.hint}`;
}
