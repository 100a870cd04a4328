// Similarity of two already-normalised names, 0..1, for ranking suggestions (never for applying).
//
// Library: fuzzball (npm), a port of SeatGeek's TheFuzz. Chosen over the alternatives on the npm
// registry because it is maintained (releases through 2025, ships TypeScript types and an ESM
// build, ~1M downloads a month) and offers token-aware scores. We use WRatio, its weighted best of
// plain, partial and token-sort/set ratios: "Contoso" vs "Contoso Pharmaceuticals" scores 0.9
// (a plain edit distance gives 0.47 and would hide the real company), word order does not
// matter, and a subset match is scaled below 1. string-similarity (Dice) is unmaintained and
// archived; fastest-levenshtein and leven are fast but character-only.
import { token_sort_ratio, WRatio } from 'fuzzball';

/** Numbers tell products apart ("Plan 1" vs "Plan 2", "E3" vs "E5"): a mismatch costs this factor. */
const NUMBER_MISMATCH_FACTOR = 0.7;
/**
 * WRatio rewards any long shared run ("Microsoft 365 Copilot" vs "Microsoft 365 Business Premium
 * (Legacy)" scores 0.86). A candidate is only "related" when one name's words all occur in the
 * other ("Contoso" / "Contoso Pharmaceuticals") or the two are near-spellings of each other
 * ("School of Fine Art" / "School of Fine Arts"); otherwise the score costs this factor.
 */
const UNRELATED_FACTOR = 0.7;
const NEAR_SPELLING = 85;

/**
 * A normalised name prepared once for many comparisons (a catalogue of 250 services is compared
 * with every product of a customer): its words, its numbers and its character counts.
 */
export interface PreparedName {
  text: string;
  words: ReadonlySet<string>;
  numbers: string;
  /** the words sorted, as token_sort_ratio compares them, and its UTF-16 code unit counts */
  sortedLength: number;
  units: ReadonlyMap<string, number>;
}

export function prepareName(normalised: string): PreparedName {
  const words = normalised.split(' ');
  const sorted = (normalised.match(/\S+/g) ?? []).sort().join(' ');
  const units = new Map<string, number>();
  for (let i = 0; i < sorted.length; i++) units.set(sorted[i]!, (units.get(sorted[i]!) ?? 0) + 1);
  return {
    text: normalised,
    words: new Set(words),
    numbers: words
      .filter((w) => /\d/.test(w))
      .sort()
      .join(' '),
    sortedLength: sorted.length,
    units,
  };
}

/**
 * Prepared names by their source text: a catalogue is normalised and prepared once, not for every
 * product and request. Bounded: past `max` names (far more than any catalogue) it starts over.
 */
export function preparedNameCache(
  normalise: (name: string) => string,
  max = 20_000,
): (name: string) => PreparedName {
  const cache = new Map<string, PreparedName>();
  return (name) => {
    let prepared = cache.get(name);
    if (!prepared) {
      if (cache.size >= max) cache.clear();
      prepared = prepareName(normalise(name));
      cache.set(name, prepared);
    }
    return prepared;
  };
}

export function nameSimilarity(a: string, b: string): number {
  return similarityAtLeast(prepareName(a), prepareName(b), 0) ?? 0;
}

/**
 * nameSimilarity of two prepared names, or null when it is certainly below `floor` — decided
 * without fuzzball where possible, since a ranking only needs the candidates that can make it:
 * - with both factors applied the score is at most 0.49;
 * - token_sort_ratio (an indel-distance ratio of the sorted words, which have the same characters)
 *   is at most 2 × shared characters / total length, so most unrelated pairs are settled by counting.
 */
export function similarityAtLeast(a: PreparedName, b: PreparedName, floor: number): number | null {
  if (a.text === '' || b.text === '') return floor > 0 ? null : 0;
  const numbersDiffer = a.numbers !== b.numbers;
  // full_process: false — our own normalisation already ran (fuzzball's would drop non-ASCII).
  const unrelated =
    !wordsContained(a.words, b.words) &&
    (sortRatioBound(a, b) < NEAR_SPELLING - 1 ||
      token_sort_ratio(a.text, b.text, FUZZBALL_OPTIONS) < NEAR_SPELLING);
  if ((numbersDiffer ? NUMBER_MISMATCH_FACTOR : 1) * (unrelated ? UNRELATED_FACTOR : 1) < floor) return null;
  // the factors applied one after the other, as always: the rounded confidence must not move
  let score = WRatio(a.text, b.text, FUZZBALL_OPTIONS) / 100;
  if (numbersDiffer) score *= NUMBER_MISMATCH_FACTOR;
  if (unrelated) score *= UNRELATED_FACTOR;
  return score < floor ? null : score;
}

const FUZZBALL_OPTIONS = { full_process: false };

/** An upper bound of token_sort_ratio (0..100): the indel ratio cannot exceed the shared characters. */
function sortRatioBound(a: PreparedName, b: PreparedName): number {
  let shared = 0;
  for (const [c, n] of a.units) shared += Math.min(n, b.units.get(c) ?? 0);
  return (200 * shared) / Math.max(1, a.sortedLength + b.sortedLength);
}

function wordsContained(wa: ReadonlySet<string>, wb: ReadonlySet<string>): boolean {
  return [...wa].every((w) => wb.has(w)) || [...wb].every((w) => wa.has(w));
}
