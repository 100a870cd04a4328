// Product (name + SKU) → Autotask service. A service with the same SKU or the same normalised
// name is certain when it is the only one; SKU and name pointing at different services is a
// conflict (ambiguous); everything else is a suggestion.
//
// With a billing cycle the service's period type is part of the match: catalogues hold the same
// product twice, as a Monthly and as a Yearly service of one name. Of the certain matches only
// those whose period is the cycle's count; exact matches of the other period are offered as a
// suggestion that says so; Quarterly and Semi-Annual services are never candidates. A service
// whose period type is not known is taken only when no service has the cycle's period. When the
// product matches only a service of the other period (by SKU, say), that service's same-named
// twin of the cycle's period is the match.
import type { AutotaskPicklists, Service } from '../autotask/entities.js';
import { round } from './matchCompany.js';
import { bestSimilar, SIMILARITY_FLOOR, type MatchCandidate, type MatchOutcome } from './matchOutcome.js';
import { normaliseServiceName, normaliseSku } from './normaliseName.js';
import { preparedNameCache, prepareName, similarityAtLeast } from './nameSimilarity.js';
import type { BillingCycle } from '../core/billingCycle.js';
import { isNeverForCycles, periodForCycle, servicePeriod } from './servicePeriod.js';

export interface ProductIdentity {
  name: string;
  sku: string | null;
}

/** The billing cycle the service is wanted for, and the tenant's picklists to read periods with. */
export interface PeriodWanted {
  cycle: BillingCycle;
  picklists: Pick<AutotaskPicklists, 'servicePeriodType'>;
}

/** An exact match of the wrong period is worth a look, but less than an exact one of the right period. */
const OTHER_PERIOD_CONFIDENCE = 0.8;

/** `map` compares every product of a customer with the whole catalogue: its names are prepared once. */
const preparedServiceName = preparedNameCache(normaliseServiceName);

/** `services` are the candidates: the active catalogue. */
export function matchService(
  product: ProductIdentity,
  services: readonly Service[],
  period?: PeriodWanted,
): MatchOutcome {
  const wanted = prepareName(normaliseServiceName(product.name));
  const wantedSku = normaliseSku(product.sku);
  const certain = new Map<number, MatchCandidate>();
  const similar: MatchCandidate[] = [];
  const periodOf = new Map<number, ReturnType<typeof servicePeriod>>();
  for (const service of services) {
    if (period) {
      const p = servicePeriod(service, period.picklists);
      if (isNeverForCycles(p)) continue;
      periodOf.set(service.id, p);
    }
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
  if (!period) {
    if (found.length === 1) return { kind: 'exact', candidate: found[0]! };
    if (found.length > 1) return { kind: 'ambiguous', candidates: found };
    return bestSimilar(similar);
  }
  const want = periodForCycle(period.cycle);
  // a service without a period type (a field the API user may not see) counts only when no
  // service has the cycle's period: it contradicts nothing, but one of the right period is better
  const exactPeriod = found.filter((c) => periodOf.get(c.id) === want);
  const right = exactPeriod.length > 0 ? exactPeriod : found.filter((c) => periodOf.get(c.id) === null);
  if (right.length === 1) return { kind: 'exact', candidate: right[0]! };
  if (right.length > 1)
    return {
      kind: 'ambiguous',
      candidates: right,
      note: `${right.length} ${want} services match "${product.name}" by name or SKU (${right.map((c) => c.id).join(', ')}): choose one`,
    };
  // the product matched a service of the other period (typically by SKU, the catalogue's name
  // being different): its same-named twin of the cycle's period is the one meant
  if (right.length === 0 && found.length > 0) {
    const names = new Set(found.map((c) => preparedServiceName(c.name).text));
    const twins = services.filter(
      (s) => !certain.has(s.id) && periodOf.get(s.id) === want && names.has(preparedServiceName(s.name).text),
    );
    if (twins.length === 1)
      return {
        kind: 'exact',
        candidate: { id: twins[0]!.id, name: twins[0]!.name, confidence: 1, reason: 'twin' },
      };
  }
  if (found.length > 0) {
    const others = found.map((c) => ({
      ...c,
      confidence: OTHER_PERIOD_CONFIDENCE,
      reason: 'period' as const,
    }));
    const periods = [...new Set(found.map((c) => periodOf.get(c.id) ?? 'of unknown period'))].join(' or ');
    return {
      kind: 'suggestion',
      candidates: others,
      note: `no ${want} service matches "${product.name}" for its ${period.cycle} subscriptions; the ${found.length === 1 ? 'one that matches is' : 'ones that match are'} ${periods}`,
    };
  }
  // similar names: the services of the cycle's period (or of none) first; the other period's
  // twins only when nothing else is similar
  const samePeriod = similar.filter((c) => {
    const p = periodOf.get(c.id);
    return p === want || p === null;
  });
  const outcome = bestSimilar(samePeriod.length > 0 ? samePeriod : similar);
  return outcome.kind === 'suggestion'
    ? { ...outcome, note: `no service has the name or SKU of "${product.name}"; similar names only` }
    : outcome;
}
