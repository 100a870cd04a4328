// The words of forgiving customer resolution: what a customer argument resolves to, and how names
// are compared (src/useCases/resolveCustomer.ts looks them up).

export interface CustomerRef {
  id: string;
  name: string;
}

export type CustomerResolution =
  | { kind: 'found'; customer: CustomerRef }
  | { kind: 'ambiguous'; query: string; candidates: CustomerRef[] }
  | { kind: 'none'; query: string };

const LEGAL_SUFFIXES =
  /\b(inc|incorporated|corp|corporation|co|company|ltd|limited|llc|llp|plc|gmbh|ag|sa|sas|bv|nv|pty|srl)\b/g;

/** lower case, accents and punctuation gone: "Acme Corp." → "acme corp" */
export function simplifyName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** simplified, and legal suffixes gone too: "ACME Corporation, Inc." → "acme" */
export function normaliseName(name: string): string {
  return simplifyName(name).replace(LEGAL_SUFFIXES, ' ').replace(/\s+/g, ' ').trim();
}
