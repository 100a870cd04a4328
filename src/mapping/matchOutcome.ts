// What matching one source name against Autotask produced (docs/billing-semantics.md §3).

export interface MatchCandidate {
  id: number;
  name: string;
  /** 0..1; 1 for exact and SKU matches */
  confidence: number;
  /**
   * exact: equal after normalisation; sku: same SKU; group: same name but for a group word;
   * similar: fuzzy; period: same name or SKU, but the service's period type is not the billing
   * cycle's; twin: the same-named service of the cycle's period of such a match
   */
  reason: 'exact' | 'sku' | 'group' | 'similar' | 'period' | 'twin';
}

export type MatchOutcome =
  /** one certain candidate: applied automatically in automatic mode */
  | { kind: 'exact'; candidate: MatchCandidate }
  /** several equally good candidates: nothing applied, all offered; `note` says why */
  | { kind: 'ambiguous'; candidates: MatchCandidate[]; note?: string }
  /** similar candidates, best first: offered to a person, never applied automatically */
  | { kind: 'suggestion'; candidates: MatchCandidate[]; note?: string }
  | { kind: 'missing' };

/** Below this similarity a candidate is not worth a person's time. */
export const SUGGESTION_THRESHOLD = 0.65;
/**
 * Below this a similarity cannot round up to the threshold (confidences have 3 decimals), so it
 * need not be worked out exactly: bestSimilar would drop it anyway.
 */
export const SIMILARITY_FLOOR = SUGGESTION_THRESHOLD - 0.001;
/** At most this many fuzzy candidates are offered. */
export const MAX_SUGGESTIONS = 3;

export function bestSimilar(candidates: MatchCandidate[]): MatchOutcome {
  const offered = candidates
    .filter((c) => c.confidence >= SUGGESTION_THRESHOLD)
    .sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS);
  return offered.length === 0 ? { kind: 'missing' } : { kind: 'suggestion', candidates: offered };
}
