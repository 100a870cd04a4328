// Product (name + SKU) → Autotask service. A service with the same SKU or the same normalised
// name is certain when it is the only one; SKU and name pointing at different services is a
// conflict (ambiguous); everything else is a suggestion.
import type { Service } from '../autotask/entities.js';
import { round } from './matchCompany.js';
import { bestSimilar, SIMILARITY_FLOOR, type MatchCandidate, type MatchOutcome } from './matchOutcome.js';
import { normaliseServiceName, normaliseSku } from './normaliseName.js';
import { preparedNameCache, prepareName, similarityAtLeast } from './nameSimilarity.js';

export interface ProductIdentity {
  name: string;
  sku: string | null;
}

/** `map` compares every product of a customer with the whole catalogue: its names are prepared once. */
const preparedServiceName = preparedNameCache(normaliseServiceName);

/** `services` are the candidates: the active catalogue. */
export function matchService(product: ProductIdentity, services: readonly Service[]): MatchOutcome {
  const wanted = prepareName(normaliseServiceName(product.name));
  const wantedSku = normaliseSku(product.sku);
  const certain = new Map<number, MatchCandidate>();
  const similar: MatchCandidate[] = [];
  for (const service of services) {
    const base = { id: service.id, name: service.name };
    const name = preparedServiceName(service.name);
    if (wantedSku !== null && normaliseSku(service.sku) === wantedSku)
      certain.set(service.id, { ...base, confidence: 1, reason: 'sku' });
    else if (wanted.text !== '' && name.text === wanted.text)
      certain.set(service.id, { ...base, confidence: 1, reason: 'exact' });
    else {
      const score = similarityAtLeast(wanted, name, SIMILARITY_FLOOR);
      if (score !== null) similar.push({ ...base, confidence: round(score), reason: 'similar' });
    }
  }
  const found = [...certain.values()];
  if (found.length === 1) return { kind: 'exact', candidate: found[0]! };
  if (found.length > 1) return { kind: 'ambiguous', candidates: found };
  return bestSimilar(similar);
}
