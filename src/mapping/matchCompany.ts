// Customer name → Autotask company. Exact after normalisation is certain only when no other
// company is just as good (another exact one, or the same name with a group word such as
// "Holdings"); everything else is a suggestion.
import type { Company } from '../autotask/entities.js';
import { bestSimilar, SIMILARITY_FLOOR, type MatchCandidate, type MatchOutcome } from './matchOutcome.js';
import { normaliseCompanyName, withoutGroupWord } from './normaliseName.js';
import { preparedNameCache, prepareName, similarityAtLeast } from './nameSimilarity.js';

/** `map all` compares every customer with every company: their names are prepared once. */
const preparedCompanyName = preparedNameCache(normaliseCompanyName);

/** `companies` are the candidates: active ones not mapped to another customer. */
export function matchCompany(customerName: string, companies: readonly Company[]): MatchOutcome {
  const wanted = normaliseCompanyName(customerName);
  if (wanted === '') return { kind: 'missing' };
  const wantedPrepared = prepareName(wanted);
  const exact: MatchCandidate[] = [];
  const group: MatchCandidate[] = [];
  const similar: MatchCandidate[] = [];
  for (const company of companies) {
    const prepared = preparedCompanyName(company.companyName);
    const name = prepared.text;
    const base = { id: company.id, name: company.companyName };
    if (name === wanted) exact.push({ ...base, confidence: 1, reason: 'exact' });
    else if (withoutGroupWord(name) === wanted || withoutGroupWord(wanted) === name)
      group.push({ ...base, confidence: 0.95, reason: 'group' });
    else {
      const score = similarityAtLeast(wantedPrepared, prepared, SIMILARITY_FLOOR);
      if (score !== null) similar.push({ ...base, confidence: round(score), reason: 'similar' });
    }
  }
  if (exact.length === 1 && group.length === 0) return { kind: 'exact', candidate: exact[0]! };
  if (exact.length + group.length > 1) return { kind: 'ambiguous', candidates: [...exact, ...group] };
  if (group.length === 1) return { kind: 'suggestion', candidates: group };
  return bestSimilar(similar);
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
