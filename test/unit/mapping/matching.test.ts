// Golden tests: normalisation and matching (issue 4, "must show" 1).
import type { Company, Service } from '../../../src/autotask/entities.js';
import { matchCompany } from '../../../src/mapping/matchCompany.js';
import { matchService } from '../../../src/mapping/matchService.js';
import { nameSimilarity } from '../../../src/mapping/nameSimilarity.js';
import {
  normaliseCompanyName,
  normaliseServiceName,
  normaliseSku,
} from '../../../src/mapping/normaliseName.js';

const companies = (...names: string[]): Company[] =>
  names.map((companyName, i) => ({ id: i + 1, companyName, isActive: true }));
const services = (...items: Array<[string, string | null]>): Service[] =>
  items.map(([name, sku], i) => ({ id: i + 1, name, sku, unitPrice: null, unitCost: null, isActive: true }));

describe('normaliseCompanyName', () => {
  it.each([
    ['Acme Corp', 'acme'],
    ['ACME Corporation, Inc.', 'acme'],
    ['  Northwind   Traders Ltd ', 'northwind traders'],
    ['Coho Winery Pty Ltd', 'coho winery'],
    ['Fourth Coffee B.V.', 'fourth coffee'],
    ['Lucerne Publishing S.A.', 'lucerne publishing'],
    ['Wide World Importers GmbH', 'wide world importers'],
    ['Alpine Ski House AG', 'alpine ski house'],
    ['Woodgrove Bank PLC', 'woodgrove bank'],
    ['Consolidated Messenger Co.', 'consolidated messenger'],
    ['Nod Publishers Limited', 'nod publishers'],
    ['Adventure Works LLC', 'adventure works'],
    ['Margie’s Travel', 'margies travel'],
    ["Margie's Travel", 'margies travel'],
    ['City Power & Light', 'city power and light'],
    ['Zürich Versicherung AG', 'zurich versicherung'],
    ['Société Générale SA', 'societe generale'],
    ['A. Datum Corporation', 'a datum'],
    // kept on purpose
    ['Lamna Healthcare Company', 'lamna healthcare company'],
    ['The Phone Company', 'the phone company'],
    ['Acme Corp Holdings', 'acme corp holdings'],
    ['Limited', 'limited'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseCompanyName(input)).toBe(expected);
  });

  it('normalises service names and SKUs without dropping words', () => {
    expect(normaliseServiceName('Exchange Online (Plan 1)')).toBe('exchange online plan 1');
    expect(normaliseServiceName('Microsoft 365 Apps for Business')).toBe('microsoft 365 apps for business');
    expect(normaliseSku(' cfq7ttc0lh18:0001 ')).toBe('CFQ7TTC0LH18:0001');
    expect(normaliseSku('')).toBeNull();
  });

  it('scores similarity between 0 and 1: word order barely matters, different numbers do', () => {
    expect(nameSimilarity('visio plan 2', 'plan 2 visio')).toBeGreaterThanOrEqual(0.95);
    expect(nameSimilarity('visio plan 2', 'visio online plan 2')).toBeGreaterThan(
      nameSimilarity('visio plan 2', 'visio plan 1'),
    );
    expect(nameSimilarity('contoso', 'contoso pharmaceuticals')).toBeLessThan(1);
    expect(nameSimilarity('bellows college', 'fineart supplies')).toBeLessThan(0.6);
  });
});

describe('matchCompany', () => {
  it('"Acme Corp" = "ACME Corporation, Inc." exactly, and "Acme Corp Holdings" does not steal it', () => {
    const outcome = matchCompany('Acme Corp', companies('Acme Corp Holdings', 'ACME Corporation, Inc.'));
    expect(outcome).toEqual({
      kind: 'exact',
      candidate: { id: 2, name: 'ACME Corporation, Inc.', confidence: 1, reason: 'exact' },
    });
  });

  it('"Contoso Ltd" vs "Contoso Pharmaceuticals" is only a suggestion with a confidence below 1', () => {
    const outcome = matchCompany('Contoso Ltd', companies('Contoso Pharmaceuticals', 'Northwind Health'));
    expect(outcome.kind).toBe('suggestion');
    if (outcome.kind !== 'suggestion') return;
    expect(outcome.candidates.map((c) => c.name)).toEqual(['Contoso Pharmaceuticals']);
    expect(outcome.candidates[0]!.confidence).toBeGreaterThan(0.6);
    expect(outcome.candidates[0]!.confidence).toBeLessThan(1);
  });

  it('"Fabrikam" with "Fabrikam Inc" and "Fabrikam Holdings" is ambiguous: nothing certain', () => {
    const outcome = matchCompany('Fabrikam', companies('Fabrikam Inc', 'Fabrikam Holdings', 'Litware'));
    expect(outcome.kind).toBe('ambiguous');
    if (outcome.kind !== 'ambiguous') return;
    expect(outcome.candidates.map((c) => c.name).sort()).toEqual(['Fabrikam Holdings', 'Fabrikam Inc']);
  });

  it('two companies equal after normalisation are ambiguous', () => {
    expect(matchCompany('Relecloud', companies('Relecloud Inc', 'RELECLOUD LLC')).kind).toBe('ambiguous');
  });

  it('a same-name company with an extra word is not a rival ("Tailspin Toys Europe")', () => {
    const outcome = matchCompany('Tailspin Toys', companies('Tailspin Toys Europe', 'Tailspin Toys'));
    expect(outcome).toMatchObject({ kind: 'exact', candidate: { id: 2 } });
  });

  it('"Company" and "The" are not legal forms: only suggestions', () => {
    expect(matchCompany('Lamna Healthcare', companies('Lamna Healthcare Company')).kind).toBe('suggestion');
    expect(matchCompany('The Phone Company', companies('Phone Company')).kind).toBe('suggestion');
  });

  it('nothing similar → missing', () => {
    expect(matchCompany('Bellows College', companies('Fineart Supplies', 'Zava Partners MSP'))).toEqual({
      kind: 'missing',
    });
  });
});

describe('matchService', () => {
  it('matches by SKU even when the names differ', () => {
    const outcome = matchService(
      { name: 'Microsoft Entra ID P1', sku: 'CFQ7TTC0LFK5:0001' },
      services(['Azure AD Premium P1', 'CFQ7TTC0LFK5:0001'], ['Microsoft Entra ID P2', null]),
    );
    expect(outcome).toMatchObject({ kind: 'exact', candidate: { id: 1, reason: 'sku' } });
  });

  it('matches by name when punctuation is the only difference', () => {
    const outcome = matchService(
      { name: 'Exchange Online (Plan 1)', sku: null },
      services(['Exchange Online Kiosk', null], ['Exchange Online Plan 1', null]),
    );
    expect(outcome).toMatchObject({ kind: 'exact', candidate: { id: 2, reason: 'exact' } });
  });

  it('SKU and name pointing at different services is ambiguous', () => {
    const outcome = matchService(
      { name: 'Microsoft 365 E3', sku: 'SKU-1' },
      services(['Microsoft 365 E3', null], ['M365 E3 (new)', 'SKU-1']),
    );
    expect(outcome.kind).toBe('ambiguous');
  });

  it('a legacy variant is only a suggestion', () => {
    const outcome = matchService(
      { name: 'Microsoft 365 Business Premium', sku: 'X' },
      services(['Microsoft 365 Business Premium (Legacy)', null]),
    );
    expect(outcome.kind).toBe('suggestion');
  });
});
