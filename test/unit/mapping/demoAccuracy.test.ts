// "Must show" 4 over the demo world's data: automatic matching of every demo customer and product
// against the demo Autotask tenant (built from demoWorld as the sandbox seed builds it). Prints
// the share mapped automatically; fails on any wrong automatic mapping.
import { demoCompanies, demoServices } from '../../helpers/demoDirectory.js';
import { matchCompany } from '../../../src/mapping/matchCompany.js';
import { matchService } from '../../../src/mapping/matchService.js';
import type { MatchOutcome } from '../../../src/mapping/matchOutcome.js';
import { DEMO_CUSTOMERS, DEMO_PRODUCTS } from '../../../src/demo/demoWorld.js';

interface Row {
  subject: string;
  truth: string | null;
  expectation: string;
  outcome: MatchOutcome;
}

function applied(outcome: MatchOutcome): string | null {
  return outcome.kind === 'exact' ? outcome.candidate.name : null;
}

function report(label: string, rows: Row[]): { wrong: Row[] } {
  const auto = rows.filter((r) => applied(r.outcome) !== null);
  const wrong = auto.filter((r) => applied(r.outcome) !== r.truth);
  const share = ((100 * auto.length) / rows.length).toFixed(1);
  console.log(
    [
      `${label}: ${auto.length}/${rows.length} mapped automatically (${share} %), wrong automatic mappings: ${wrong.length}`,
      ...rows.map(
        (r) =>
          `  ${r.subject} → ${r.outcome.kind}${applied(r.outcome) ? ` "${applied(r.outcome)}"` : ''}` +
          (r.outcome.kind === 'suggestion' || r.outcome.kind === 'ambiguous'
            ? ` [${r.outcome.candidates.map((c) => `${c.name} ${c.confidence}`).join('; ')}]`
            : '') +
          ` (expected ${r.expectation}${r.truth ? `, truth "${r.truth}"` : ''})`,
      ),
    ].join('\n'),
  );
  return { wrong };
}

const companies = demoCompanies();
const services = demoServices();
const customerRows: Row[] = DEMO_CUSTOMERS.map((c) => ({
  subject: c.name,
  truth: c.autotaskCompanyName,
  expectation: c.expectation,
  outcome: matchCompany(c.name, companies),
}));
const productRows: Row[] = DEMO_PRODUCTS.map((p) => ({
  subject: p.name,
  truth: p.autotaskServiceName,
  expectation: p.expectation,
  outcome: matchService({ name: p.name, sku: p.sku }, services),
}));

describe('automatic mapping over the demo world', () => {
  it('makes no wrong automatic customer → company mapping', () => {
    expect(report('customers', customerRows).wrong.map((r) => r.subject)).toEqual([]);
  });

  it('makes no wrong automatic product → service mapping', () => {
    expect(report('products', productRows).wrong.map((r) => r.subject)).toEqual([]);
  });

  it('comes out as the demo world expects (exact / suggestion / ambiguous / missing)', () => {
    const differ = [...customerRows, ...productRows]
      .filter((r) => r.outcome.kind !== r.expectation)
      .map((r) => `${r.subject}: ${r.outcome.kind}, expected ${r.expectation}`);
    expect(differ).toEqual([]);
  });

  it('offers the real company or service among the suggestions', () => {
    const misses = [...customerRows, ...productRows]
      .filter((r) => r.outcome.kind === 'suggestion' && r.truth !== null)
      .filter((r) => r.outcome.kind === 'suggestion' && !r.outcome.candidates.some((c) => c.name === r.truth))
      .map((r) => r.subject);
    expect(misses).toEqual([]);
  });
});
