// Issue 18, "must show" 1: a service's period type is part of the match. A catalogue holds the
// same product twice, as a Monthly and as a Yearly service of one name; the picklist numbers are
// unlike the defaults, so nothing hard-coded can pass.
import { Decimal } from 'decimal.js';
import type { AutotaskPicklists, Service } from '../../../src/autotask/entities.js';
import { findService } from '../../../src/mapping/findTarget.js';
import { matchService } from '../../../src/mapping/matchService.js';
import { serviceLabel } from '../../../src/mapping/servicePeriod.js';

const picklists: Pick<AutotaskPicklists, 'servicePeriodType'> = {
  servicePeriodType: { monthly: 21, quarterly: 31, semiAnnual: 41, yearly: 51 },
};
const service = (id: number, name: string, periodType: number, sku: string | null = null): Service => ({
  id,
  name,
  sku,
  periodType,
  unitPrice: new Decimal(id === 2 ? '250.80' : '22.00'),
  unitCost: null,
  isActive: true,
});
const PREMIUM = 'Microsoft 365 Business Premium';
const monthly = service(1, PREMIUM, 21, 'CFQ7TTC0LCHC-M');
const yearly = service(2, PREMIUM, 51, 'CFQ7TTC0LCHC-Y');
const quarterly = service(3, PREMIUM, 31);
const product = { name: 'microsoft 365 business premium', sku: null };

describe('period-aware service matching', () => {
  it('without a cycle two same-named services are ambiguous (the old behaviour)', () => {
    expect(matchService(product, [monthly, yearly]).kind).toBe('ambiguous');
  });

  it('picks the Monthly service for monthly and the Yearly one for annual subscriptions', () => {
    expect(matchService(product, [monthly, yearly, quarterly], { cycle: 'monthly', picklists })).toEqual({
      kind: 'exact',
      candidate: { id: 1, name: PREMIUM, confidence: 1, reason: 'exact' },
    });
    expect(matchService(product, [monthly, yearly, quarterly], { cycle: 'annual', picklists })).toMatchObject(
      {
        kind: 'exact',
        candidate: { id: 2 },
      },
    );
  });

  it('matches by SKU within the period too', () => {
    const bySku = { name: 'M365 BP (NCE)', sku: 'cfq7ttc0lchc-y' };
    expect(matchService(bySku, [monthly, yearly], { cycle: 'annual', picklists })).toMatchObject({
      kind: 'exact',
      candidate: { id: 2, reason: 'sku' },
    });
    // the SKU names the Yearly service: for monthly subscriptions its same-named Monthly twin
    expect(matchService(bySku, [monthly, yearly], { cycle: 'monthly', picklists })).toMatchObject({
      kind: 'exact',
      candidate: { id: 1, reason: 'twin' },
    });
    // without a twin of the cycle's period, the other period's service is only a suggestion
    expect(matchService(bySku, [yearly], { cycle: 'monthly', picklists })).toMatchObject({
      kind: 'suggestion',
      candidates: [{ id: 2, reason: 'period' }],
    });
  });

  it('offers several services of the right period as a choice that says why', () => {
    const twin = service(4, 'Microsoft 365 Business Premium.', 21);
    const outcome = matchService(product, [monthly, twin, yearly], { cycle: 'monthly', picklists });
    expect(outcome).toMatchObject({ kind: 'ambiguous', candidates: [{ id: 1 }, { id: 4 }] });
    expect(outcome.kind === 'ambiguous' && outcome.note).toMatch(/2 Monthly services match.*\(1, 4\)/);
  });

  it('offers an exact match of the other period only as a suggestion that names the period', () => {
    const outcome = matchService(product, [yearly], { cycle: 'monthly', picklists });
    expect(outcome).toMatchObject({ kind: 'suggestion', candidates: [{ id: 2, confidence: 0.8 }] });
    expect(outcome.kind === 'suggestion' && outcome.note).toMatch(/no Monthly service .* is Yearly/);
  });

  it('never chooses or offers a Quarterly or Semi-Annual service', () => {
    const semi = service(5, PREMIUM, 41);
    expect(matchService(product, [quarterly, semi], { cycle: 'monthly', picklists })).toEqual({
      kind: 'missing',
    });
    expect(matchService(product, [quarterly, semi], { cycle: 'annual', picklists }).kind).toBe('missing');
  });

  it('names a service so that two of one name can be told apart', () => {
    expect(serviceLabel(monthly, picklists)).toBe(`1 · ${PREMIUM} · Monthly · CFQ7TTC0LCHC-M · 22.00`);
    expect(serviceLabel(yearly, picklists)).toBe(`2 · ${PREMIUM} · Yearly · CFQ7TTC0LCHC-Y · 250.80`);
    expect(serviceLabel({ ...quarterly, periodType: 99, sku: null }, picklists)).toBe(
      `3 · ${PREMIUM} · period unknown · no SKU · 22.00`,
    );
  });
});

describe('services without a period type', () => {
  const unknown = { ...monthly, id: 7, periodType: null };
  it('are taken when no service has the cycle’s period, and lose to one that has it', () => {
    expect(matchService(product, [unknown], { cycle: 'annual', picklists })).toMatchObject({
      kind: 'exact',
      candidate: { id: 7 },
    });
    expect(matchService(product, [unknown, yearly], { cycle: 'annual', picklists })).toMatchObject({
      kind: 'exact',
      candidate: { id: 2 },
    });
  });
});

describe('similar names', () => {
  it('offer the service of the cycle’s period, not its twin of the other period', () => {
    const visio = (id: number, periodType: number) => ({
      ...service(id, 'Visio Online Plan 2', periodType),
      sku: null,
    });
    const outcome = matchService({ name: 'Visio Plan 2', sku: null }, [visio(8, 21), visio(9, 51)], {
      cycle: 'annual',
      picklists,
    });
    expect(outcome).toMatchObject({ kind: 'suggestion', candidates: [{ id: 9, reason: 'similar' }] });
    expect(outcome.kind === 'suggestion' && outcome.candidates).toHaveLength(1);
  });
});

describe('twins', () => {
  it('take the same-named service of the cycle’s period when the SKU names the other period’s', () => {
    const m = { ...service(31, 'M365 Business Premium', 21), sku: 'CFQ7TTC0LCHC:0002' };
    const y = { ...service(32, 'M365 Business Premium', 51), sku: 'CFQ7TTC0LCHC:0002-P1Y' };
    const wanted = { name: PREMIUM, sku: 'CFQ7TTC0LCHC:0002' };
    expect(matchService(wanted, [m, y], { cycle: 'monthly', picklists })).toMatchObject({
      kind: 'exact',
      candidate: { id: 31, reason: 'sku' },
    });
    expect(matchService(wanted, [m, y], { cycle: 'annual', picklists })).toMatchObject({
      kind: 'exact',
      candidate: { id: 32, reason: 'twin' },
    });
    // two twins of the cycle's period: a person chooses
    const y2 = { ...y, id: 33, sku: null };
    expect(matchService(wanted, [m, y, y2], { cycle: 'annual', picklists }).kind).toBe('suggestion');
  });
});

describe('a service named in the map command', () => {
  it('means the one of the cycle’s period when a Monthly and a Yearly service share the name', () => {
    expect(findService(PREMIUM, [monthly, yearly], { cycle: 'annual', picklists })).toMatchObject({
      ok: true,
      service: { id: 2 },
    });
    const refused = findService(PREMIUM, [monthly, yearly]);
    expect(refused).toMatchObject({ ok: false, code: 'SERVICE_NOT_FOUND' });
    expect(!refused.ok && refused.hint).toMatch(/say monthly or annual/);
  });
});
