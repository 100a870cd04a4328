// Product (name + SKU) → Autotask service. A service with the same SKU or the same normalised
// name is certain when it is the only one; SKU and name pointing at different services is a
// conflict (ambiguous); everything else is a suggestion.
import type { Service } from '../autotask/entities.js';
import { round } from './matchCompany.js';
import { bestSimilar, type MatchCandidate, type MatchOutcome } from './matchOutcome.js';
import { normaliseServiceName, normaliseSku } from './normaliseName.js';
import { nameSimilarity } from './nameSimilarity.js';

export interface ProductIdentity {
  name: string;
  sku: string | null;
}

/** `services` are the candidates: the active catalogue. */
export function matchService(product: ProductIdentity, services: readonly Service[]): MatchOutcome {
  const wanted = normaliseServiceName(product.name);
  const wantedSku = normaliseSku(product.sku);
  const certain = new Map<number, MatchCandidate>();
  const similar: MatchCandidate[] = [];
  for (const service of services) {
    const base = { id: service.id, name: service.name };
    const name = normaliseServiceName(service.name);
    if (wantedSku !== null && normaliseSku(service.sku) === wantedSku)
      certain.set(service.id, { ...base, confidence: 1, reason: 'sku' });
    else if (wanted !== '' && name === wanted)
      certain.set(service.id, { ...base, confidence: 1, reason: 'exact' });
    else similar.push({ ...base, confidence: round(nameSimilarity(wanted, name)), reason: 'similar' });
  }
  const found = [...certain.values()];
  if (found.length === 1) return { kind: 'exact', candidate: found[0]! };
  if (found.length > 1) return { kind: 'ambiguous', candidates: found };
  return bestSimilar(similar);
}
