// Name normalisation for matching source names against Autotask names (docs/billing-semantics.md §3).
// Two names that normalise to the same string are treated as the same company/service and may be
// applied automatically, so every rule here must be one a person would agree with on sight.
//
// Rules (company and service names):
// - Unicode compatibility form, diacritics dropped ("Zürich" → "zurich"), lower case;
// - "&" reads as "and" ("City Power & Light" = "City Power and Light");
// - apostrophes and dots join what they separate ("Margie’s" → "margies", "B.V." → "bv");
// - any other punctuation is a space; runs of spaces collapse.
// Company names only: trailing legal-form words are dropped, repeatedly ("Coho Winery Pty Ltd" →
// "coho winery"), never the last remaining word ("Limited" stays "limited"):
//   inc, incorporated, llc, ltd, limited, gmbh, corp, corporation, co, plc, pty, bv, ag, sa.
// Deliberately NOT dropped:
// - "company": it is usually part of the trading name ("The Phone Company", "Lamna Healthcare
//   Company" is not provably the customer "Lamna Healthcare"); "co" is only ever a legal form;
// - "the", "group", "holdings": a holding is a different legal entity of the same group, see
//   GROUP_WORDS below; legal words in the middle of a name ("Acme Corp Holdings") stay.

export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'gmbh',
  'corp',
  'corporation',
  'co',
  'plc',
  'pty',
  'bv',
  'ag',
  'sa',
]);

/**
 * Words that name another entity of the same group: "Fabrikam Holdings" is as good a candidate
 * for customer "Fabrikam" as "Fabrikam Inc" is, so the pair is ambiguous rather than exact.
 */
export const GROUP_WORDS: ReadonlySet<string> = new Set(['holdings', 'holding', 'group']);

/** Case, diacritics, "&", punctuation and spacing; no word is dropped. */
export function normaliseText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’‘`´.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** normaliseText, then trailing legal-form words dropped (never the only word left). */
export function normaliseCompanyName(value: string): string {
  const words = normaliseText(value).split(' ').filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

/** Service names: text normalisation only (legal forms do not occur in a catalogue). */
export function normaliseServiceName(value: string): string {
  return normaliseText(value);
}

/** An SKU compared case- and space-insensitively; null when empty. */
export function normaliseSku(value: string | null | undefined): string | null {
  const sku = (value ?? '').replace(/\s+/g, '').toUpperCase();
  return sku === '' ? null : sku;
}

/** The normalised company name with one trailing group word dropped, or null when it has none. */
export function withoutGroupWord(normalisedCompanyName: string): string | null {
  const words = normalisedCompanyName.split(' ');
  if (words.length > 1 && GROUP_WORDS.has(words[words.length - 1]!)) return words.slice(0, -1).join(' ');
  return null;
}
