// matchService on a large catalogue gives exactly what the plain formula gives (the fast path only
// skips work for candidates that cannot reach the suggestion threshold). The reference below is the
// formula of nameSimilarity.ts written out with fuzzball, applied to every pair.
import { token_sort_ratio, WRatio } from 'fuzzball';
import type { Service } from '../../../src/autotask/entities.js';
import { DEMO_CUSTOMERS, DEMO_PRODUCTS } from '../../../src/demo/demoWorld.js';
import { round } from '../../../src/mapping/matchCompany.js';
import { bestSimilar, type MatchCandidate, type MatchOutcome } from '../../../src/mapping/matchOutcome.js';
import { matchService } from '../../../src/mapping/matchService.js';
import { nameSimilarity, prepareName, similarityAtLeast } from '../../../src/mapping/nameSimilarity.js';
import {
  normaliseCompanyName,
  normaliseServiceName,
  normaliseSku,
} from '../../../src/mapping/normaliseName.js';
import { largeSandboxSeed, unmappableProduct } from '../../helpers/largeCustomer.js';

function referenceSimilarity(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  const options = { full_process: false };
  const words = (s: string) => new Set(s.split(' '));
  const numbers = (s: string) =>
    s
      .split(' ')
      .filter((w) => /\d/.test(w))
      .sort()
      .join(' ');
  const [wa, wb] = [words(a), words(b)];
  const contained = [...wa].every((w) => wb.has(w)) || [...wb].every((w) => wa.has(w));
  let score = WRatio(a, b, options) / 100;
  if (numbers(a) !== numbers(b)) score *= 0.7;
  if (!contained && token_sort_ratio(a, b, options) < 85) score *= 0.7;
  return score;
}

function referenceMatch(product: { name: string; sku: string | null }, services: Service[]): MatchOutcome {
  const wanted = normaliseServiceName(product.name);
  const wantedSku = normaliseSku(product.sku);
  const certain: MatchCandidate[] = [];
  const similar: MatchCandidate[] = [];
  for (const s of services) {
    const name = normaliseServiceName(s.name);
    if (wantedSku !== null && normaliseSku(s.sku) === wantedSku)
      certain.push({ id: s.id, name: s.name, confidence: 1, reason: 'sku' });
    else if (wanted !== '' && name === wanted)
      certain.push({ id: s.id, name: s.name, confidence: 1, reason: 'exact' });
    else
      similar.push({
        id: s.id,
        name: s.name,
        confidence: round(referenceSimilarity(wanted, name)),
        reason: 'similar',
      });
  }
  if (certain.length === 1) return { kind: 'exact', candidate: certain[0]! };
  if (certain.length > 1) return { kind: 'ambiguous', candidates: certain };
  return bestSimilar(similar);
}

const catalogue: Service[] = largeSandboxSeed().services.map((s) => ({
  id: s.id,
  name: s.name,
  sku: s.sku ?? null,
  unitPrice: null,
  unitCost: null,
  isActive: true,
}));

/** names near the catalogue's: typos, other numbers, extra and missing words, reordered words */
const variants = (name: string): string[] => [
  name,
  name.slice(0, -1),
  `${name} (Legacy)`,
  name.replace(/\d/, (d) => String((Number(d) + 1) % 10)),
  name.split(' ').reverse().join(' '),
  name.split(' ').slice(0, -1).join(' '),
];

const products = [
  ...DEMO_PRODUCTS.flatMap((p) => variants(p.name).map((name) => ({ name, sku: null }))),
  ...catalogue.slice(0, 40).flatMap((s) =>
    variants(s.name)
      .slice(1, 4)
      .map((name) => ({ name, sku: null })),
  ),
  ...Array.from({ length: 20 }, (_, i) => ({ name: unmappableProduct(i + 1), sku: `QX-${i + 1}` })),
];

describe('matchService on a large catalogue', () => {
  it(`gives the same outcomes as the plain formula (${products.length} products × ${catalogue.length} services)`, () => {
    expect(catalogue).toHaveLength(250);
    const outcomes = products.map((p) => matchService(p, catalogue));
    const expected = products.map((p) => referenceMatch(p, catalogue));
    expect(outcomes).toEqual(expected);
    // the comparison is not empty: the list holds exact, suggested and missing outcomes (and
    // ambiguous ones: without a billing cycle the demo's Monthly and Yearly twins tie)
    expect([...new Set(outcomes.map((o) => o.kind))].sort()).toEqual([
      'ambiguous',
      'exact',
      'missing',
      'suggestion',
    ]);
    // and a second run (prepared catalogue names reused) is the same
    expect(products.map((p) => matchService(p, catalogue))).toEqual(outcomes);
  });

  it('similarityAtLeast is the exact similarity, or null only below the floor', () => {
    // service names, and company names as matchCompany compares them
    const names = [
      ...[
        ...catalogue.slice(0, 45).map((s) => s.name),
        ...DEMO_PRODUCTS.flatMap((p) => variants(p.name)),
      ].map(normaliseServiceName),
      ...DEMO_CUSTOMERS.flatMap((c) => [c.name, c.autotaskCompanyName ?? c.name]).map(normaliseCompanyName),
    ];
    let skipped = 0;
    for (const a of names)
      for (const b of names) {
        const exact = referenceSimilarity(a, b);
        expect(nameSimilarity(a, b)).toBe(exact);
        const fast = similarityAtLeast(prepareName(a), prepareName(b), 0.649);
        if (fast === null) {
          skipped += 1;
          expect(exact).toBeLessThan(0.649);
        } else expect(fast).toBe(exact);
      }
    expect(skipped).toBeGreaterThan(0);
  });
});
