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

export function nameSimilarity(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  // full_process: false — our own normalisation already ran (fuzzball's would drop non-ASCII).
  const options = { full_process: false };
  let score = WRatio(a, b, options) / 100;
  if (!sameNumbers(a, b)) score *= NUMBER_MISMATCH_FACTOR;
  if (!wordsContained(a, b) && token_sort_ratio(a, b, options) < NEAR_SPELLING) score *= UNRELATED_FACTOR;
  return score;
}

function wordsContained(a: string, b: string): boolean {
  const wa = new Set(a.split(' '));
  const wb = new Set(b.split(' '));
  return [...wa].every((w) => wb.has(w)) || [...wb].every((w) => wa.has(w));
}

function sameNumbers(a: string, b: string): boolean {
  const numbers = (s: string) =>
    s
      .split(' ')
      .filter((w) => /\d/.test(w))
      .sort()
      .join(' ');
  return numbers(a) === numbers(b);
}
