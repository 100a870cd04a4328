// The mapping use cases over a real database and an Autotask directory of plain entity arrays.
import { Decimal } from 'decimal.js';
import { listAudit } from '../../../src/audit/auditLog.js';
import {
  DEFAULT_PICKLISTS,
  type Company,
  type Contract,
  type Service,
} from '../../../src/autotask/entities.js';
import { arrayDirectory } from '../../../src/mapping/autotaskDirectory.js';
import { mapCompany } from '../../../src/mapping/mapCompany.js';
import { mapContract } from '../../../src/mapping/mapContract.js';
import type { MappingDeps } from '../../../src/mapping/mappingDeps.js';
import { getMappingMode, parseMappingMode, setMappingMode } from '../../../src/mapping/mappingMode.js';
import { getMappingCard, listUnmapped } from '../../../src/mapping/mappingState.js';
import { mapProductService } from '../../../src/mapping/mapProductService.js';
import { recordUploadUnderMapping } from '../../../src/mapping/recordUpload.js';
import { loadMappingRowsOf, resolveMappingForSync } from '../../../src/mapping/resolveMappingForSync.js';
import { listCustomerProducts } from '../../../src/mapping/customerProducts.js';
import { runAutomaticMapping } from '../../../src/mapping/runAutomaticMapping.js';
import {
  confirmAllSuggestions,
  confirmSuggestion,
  listSuggestions,
  rejectSuggestion,
} from '../../../src/mapping/suggestions.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const alice = { id: 'cli:alice', name: 'Alice' };
const bob = { id: 'slack:T1:U2', name: 'Bob' };

const companies: Company[] = [
  { id: 1, companyName: 'ACME Corporation, Inc.', isActive: true },
  { id: 2, companyName: 'Acme Corp Holdings', isActive: true },
  { id: 3, companyName: 'Fabrikam Inc', isActive: true },
  { id: 4, companyName: 'Fabrikam Holdings', isActive: true },
  { id: 5, companyName: 'Contoso Pharmaceuticals', isActive: true },
  { id: 6, companyName: 'Northwind Traders Ltd', isActive: true },
];
const P = DEFAULT_PICKLISTS.contractPeriodType;
const contract = (id: number, companyID: number, extra: Partial<Contract> = {}): Contract => ({
  id,
  companyID,
  contractName: `Contract ${id}`,
  contractType: 7,
  contractPeriodType: P.monthly,
  status: 1,
  startDate: '2026-01-01',
  endDate: '2027-12-31',
  ...extra,
});
const contracts: Contract[] = [
  contract(101, 1, { contractName: 'Acme Monthly A' }),
  contract(102, 1, { contractName: 'Acme Monthly B' }),
  contract(103, 1, { contractName: 'Acme Quarterly', contractPeriodType: P.quarterly }),
  contract(104, 1, { contractName: 'Acme Old', endDate: '2025-12-31' }),
  contract(105, 1, { contractName: 'Acme Block Hours', contractType: 3 }),
  contract(106, 1, { contractName: 'Acme Yearly', contractPeriodType: P.yearly }),
  contract(201, 5, { contractName: 'Contoso Monthly' }),
  contract(301, 3, { contractName: 'Fabrikam Monthly' }),
];
const service = (id: number, name: string, sku: string | null = null): Service => ({
  id,
  name,
  sku,
  unitPrice: new Decimal(1),
  unitCost: null,
  isActive: true,
});
const services: Service[] = [
  service(11, 'Microsoft 365 E3'),
  service(12, 'M365 Business Premium', 'CFQ7TTC0LCHC:0002'),
  service(13, 'Microsoft 365 Business Premium (Legacy)'),
  service(14, 'Teams Essentials'),
  service(15, 'Microsoft 365 E3 (no Teams)'),
];

let db: TestDatabase;
let deps: MappingDeps;
const ids: Record<string, string> = {};

async function customer(name: string, products: Array<[string, string | null, string]>) {
  const c = await db.prisma.customer.create({ data: { name } });
  ids[name] = c.id;
  let n = 0;
  for (const [productName, sku, billingCycle] of products)
    await db.prisma.subscription.create({
      data: {
        id: `${name}-${n++}`,
        customerId: c.id,
        productName,
        sku,
        billingCycle,
        billingType: 'quantity',
        status: 'active',
        quantity: 5,
        unitPrice: '10',
        currency: 'EUR',
      },
    });
}

beforeAll(async () => {
  db = await createTestDatabase();
  deps = {
    prisma: db.prisma,
    directory: arrayDirectory({ companies, contracts, services, picklists: DEFAULT_PICKLISTS }),
    today: () => '2026-11-25',
  };
  await customer('Acme Corp', [
    ['Microsoft 365 E3', null, 'monthly'],
    ['Microsoft 365 Business Premium', 'CFQ7TTC0LCHC:0002', 'monthly'],
    ['Microsoft 365 E3', null, 'annual'],
  ]);
  await customer('Fabrikam', [['Microsoft Teams Essentials', null, 'monthly']]);
  await customer('Contoso Ltd', [['Microsoft 365 E3', null, 'monthly']]);
});
afterAll(() => db.drop());

describe('mapping mode', () => {
  it('defaults to automatic, parses auto|manual, and audits changes', async () => {
    expect(await getMappingMode(db.prisma)).toBe('automatic');
    expect(parseMappingMode(' AUTO ')).toBe('automatic');
    expect(parseMappingMode('manual')).toBe('manual');
    expect(parseMappingMode('sometimes')).toBeNull();
    await setMappingMode(db.prisma, 'manual', alice);
    expect(await getMappingMode(db.prisma)).toBe('manual');
    await setMappingMode(db.prisma, 'automatic', alice);
    const changes = await listAudit(db.prisma, { action: 'settings.changed' });
    expect(changes.map((c) => [c.actorId, (c.details as { after: string }).after])).toEqual([
      ['cli:alice', 'automatic'],
      ['cli:alice', 'manual'],
    ]);
  });
});

describe('automatic mapping', () => {
  it('applies exact matches only, and offers the rest as suggestions', async () => {
    const report = await runAutomaticMapping(deps, {}, alice);
    if (!report.ok) throw new Error(report.message);
    const byName = Object.fromEntries(report.customers.map((c) => [c.subjectName, c]));
    expect(byName['Acme Corp']).toMatchObject({ result: 'applied', candidates: [{ id: 1 }] });
    expect(byName['Fabrikam']!.result).toBe('ambiguous');
    expect(byName['Contoso Ltd']).toMatchObject({ result: 'suggested', candidates: [{ id: 5 }] });
    const products = Object.fromEntries(report.products.map((p) => [p.subjectName, p.result]));
    expect(products).toEqual({
      'Microsoft 365 E3': 'applied',
      'Microsoft 365 Business Premium': 'applied', // by SKU
      'Microsoft Teams Essentials': 'suggested',
    });
    expect(await db.prisma.customerCompanyMapping.findMany({ select: { customerId: true } })).toEqual([
      { customerId: ids['Acme Corp'] },
    ]);
    const audit = await listAudit(db.prisma, { limit: 100 });
    expect(audit.filter((a) => a.action === 'mapping.company.mapped')).toEqual([
      expect.objectContaining({ actorId: 'cli:alice', customerId: ids['Acme Corp'] }),
    ]);
    expect(audit.filter((a) => a.action === 'mapping.suggested').length).toBe(3);
  });

  it('running again adds no duplicate suggestions', async () => {
    const before = await db.prisma.mappingSuggestion.count();
    await runAutomaticMapping(deps, {}, alice);
    expect(await db.prisma.mappingSuggestion.count()).toBe(before);
  });

  it('in manual mode applies nothing, not even exact matches', async () => {
    await setMappingMode(db.prisma, 'manual', alice);
    await customer('Northwind Traders', [['Microsoft 365 E3', null, 'monthly']]);
    const report = await runAutomaticMapping(deps, { customerId: ids['Northwind Traders']! }, alice);
    if (!report.ok) throw new Error(report.message);
    expect(report.customers[0]).toMatchObject({
      result: 'suggested',
      candidates: [{ id: 6, confidence: 1 }],
    });
    expect(
      await db.prisma.customerCompanyMapping.findUnique({ where: { customerId: ids['Northwind Traders']! } }),
    ).toBeNull();
    await setMappingMode(db.prisma, 'automatic', alice);
  });
});

describe('suggestions', () => {
  it('confirming one applies it, supersedes its rivals and audits who did it', async () => {
    const [s] = await listSuggestions(db.prisma, { customerId: ids['Contoso Ltd']! });
    expect(s).toMatchObject({ kind: 'company', candidateId: 5, status: 'pending' });
    const answer = await confirmSuggestion(deps, s!.id, bob);
    expect(answer).toMatchObject({ ok: true, changed: true });
    expect(
      await db.prisma.customerCompanyMapping.findUnique({ where: { customerId: ids['Contoso Ltd']! } }),
    ).toMatchObject({
      companyId: 5,
      source: 'suggestion',
      decidedBy: bob.id,
    });
    expect(await db.prisma.mappingSuggestion.findUnique({ where: { id: s!.id } })).toMatchObject({
      status: 'confirmed',
      decidedBy: bob.id,
    });
    const [audit] = await listAudit(db.prisma, { action: 'mapping.suggestion.confirmed' });
    expect(audit).toMatchObject({ actorId: bob.id, customerId: ids['Contoso Ltd'] });
    expect(await confirmSuggestion(deps, s!.id, bob)).toMatchObject({
      ok: false,
      code: 'SUGGESTION_DECIDED',
    });
    expect(await confirmSuggestion(deps, 'nonsense', bob)).toMatchObject({
      ok: false,
      code: 'SUGGESTION_NOT_FOUND',
    });
  });

  it('confirm all applies single candidates and leaves ambiguous ones to a person', async () => {
    const report = await confirmAllSuggestions(deps, ids['Fabrikam']!, bob);
    if (!report.ok) throw new Error(report.message);
    expect(report.skipped).toEqual([expect.stringMatching(/Fabrikam company: 2 candidates/)]);
    expect(report.confirmed).toEqual([
      expect.stringMatching(/Microsoft Teams Essentials .*→ service 14 "Teams Essentials"/),
    ]);
    expect(
      await db.prisma.customerCompanyMapping.findUnique({ where: { customerId: ids['Fabrikam']! } }),
    ).toBeNull();
    // a person rejects the holding company; the rejection is kept and audited
    const holding = (await listSuggestions(db.prisma, { customerId: ids['Fabrikam']! })).find(
      (x) => x.candidateName === 'Fabrikam Holdings',
    )!;
    expect(await rejectSuggestion(deps, holding.id, bob)).toMatchObject({ ok: true });
    expect(await db.prisma.mappingSuggestion.findUnique({ where: { id: holding.id } })).toMatchObject({
      status: 'rejected',
      decidedBy: bob.id,
    });
    const [rejected] = await listAudit(db.prisma, { action: 'mapping.suggestion.rejected' });
    expect(rejected).toMatchObject({ actorId: bob.id, customerId: ids['Fabrikam'] });
    await runAutomaticMapping(deps, { customerId: ids['Fabrikam']! }, alice);
    const offered = await listSuggestions(db.prisma, { customerId: ids['Fabrikam']! });
    expect(offered.filter((x) => x.kind === 'company').map((x) => x.candidateName)).toEqual(['Fabrikam Inc']);
    expect(
      await db.prisma.customerCompanyMapping.findUnique({ where: { customerId: ids['Fabrikam']! } }),
    ).toBeNull();
    expect(
      await db.prisma.productServiceRule.findFirst({ where: { productName: 'Microsoft Teams Essentials' } }),
    ).toMatchObject({
      serviceId: 14,
      source: 'manual',
    });
  });
});

describe('manual company mapping', () => {
  it('maps by name and refuses a company that already belongs to another customer', async () => {
    expect(
      await mapCompany(deps, { customerId: ids['Fabrikam']!, company: 'fabrikam inc.' }, bob),
    ).toMatchObject({
      ok: true,
      message: expect.stringContaining('Autotask company 3 "Fabrikam Inc"'),
    });
    expect(
      await mapCompany(deps, { customerId: ids['Northwind Traders']!, company: '1' }, bob),
    ).toMatchObject({
      ok: false,
      code: 'COMPANY_TAKEN',
      message: expect.stringContaining('already mapped to customer "Acme Corp"'),
    });
    expect(
      await mapCompany(deps, { customerId: ids['Northwind Traders']!, company: 'Nothwind Traders' }, bob),
    ).toMatchObject({
      ok: false,
      code: 'COMPANY_NOT_FOUND',
      hint: expect.stringContaining('6 "Northwind Traders Ltd"'),
    });
  });
});

describe('bad input', () => {
  it('gets a coded answer naming the wrong field and the usage, never a crash', async () => {
    const junk = {
      customerId: ids['Acme Corp'],
      billingCycle: 'monthly',
      contractId: 'abc',
    } as unknown as Parameters<typeof mapContract>[1];
    expect(await mapContract(deps, junk, bob)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringContaining('contractId'),
      hint: 'usage: map <customer> contract monthly|annual <id> [default]',
    });
    expect(await mapCompany(deps, { customerId: ids['Acme Corp']!, company: '   ' }, bob)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await mapProductService(
        deps,
        { productName: 'Microsoft 365 E3', service: '11', force: { reason: ' ' } },
        bob,
      ),
    ).toMatchObject({ ok: false, code: 'FORCE_REASON_REQUIRED' });
    expect(await mapCompany(deps, { customerId: 'no-such-customer', company: '1' }, bob)).toMatchObject({
      ok: false,
      code: 'CUSTOMER_NOT_FOUND',
    });
  });
});

describe('contracts', () => {
  it('two monthly contracts and no default → CONTRACT_AMBIGUOUS before upload', async () => {
    const resolution = await resolveMappingForSync(deps, ids['Acme Corp']!);
    expect(resolution.ok).toBe(false);
    expect(resolution.findings.map((f) => f.code)).toEqual(['CONTRACT_AMBIGUOUS']);
    expect(resolution.findings[0]!.message).toMatch(/101 "Acme Monthly A", 102 "Acme Monthly B"/);
  });

  it('refuses quarterly, expired, non-recurring and other companies’ contracts with their codes', async () => {
    const map = (contractId: number, billingCycle = 'monthly') =>
      mapContract(deps, { customerId: ids['Acme Corp']!, billingCycle, contractId, isDefault: true }, bob);
    expect(await map(103)).toMatchObject({ ok: false, code: 'CONTRACT_PERIOD_UNSUPPORTED' });
    expect(await map(104)).toMatchObject({ ok: false, code: 'CONTRACT_EXPIRED' });
    expect(await map(105)).toMatchObject({ ok: false, code: 'CONTRACT_NOT_RECURRING' });
    expect(await map(201)).toMatchObject({ ok: false, code: 'CONTRACT_OTHER_COMPANY' });
    expect(await map(106)).toMatchObject({ ok: false, code: 'CONTRACT_PERIOD_UNSUPPORTED' });
    expect(await map(101, 'quarterly')).toMatchObject({ ok: false, code: 'BILLING_CYCLE_UNSUPPORTED' });
    expect(
      await mapContract(
        deps,
        { customerId: ids['Northwind Traders']!, billingCycle: 'monthly', contractId: 101 },
        bob,
      ),
    ).toMatchObject({
      ok: false,
      code: 'CUSTOMER_UNMAPPED',
    });
  });

  it('the default resolves the ambiguity; the only yearly contract is chosen by itself', async () => {
    expect(
      await mapContract(
        deps,
        { customerId: ids['Acme Corp']!, billingCycle: 'monthly', contractId: 101, isDefault: true },
        bob,
      ),
    ).toMatchObject({ ok: true, changed: true });
    const resolution = await resolveMappingForSync(deps, ids['Acme Corp']!);
    expect(resolution.findings).toEqual([]);
    if (!resolution.ok) throw new Error('expected targets');
    const targets = resolution.products.map(
      (p) => `${p.productName}/${p.billingCycle} → ${p.service.id} @ ${p.contract.id} (${p.contractVia})`,
    );
    expect(targets.sort()).toEqual([
      'Microsoft 365 Business Premium/monthly → 12 @ 101 (default)',
      'Microsoft 365 E3/annual → 11 @ 106 (only-candidate)',
      'Microsoft 365 E3/monthly → 11 @ 101 (default)',
    ]);
  });
});

describe('product overrides', () => {
  it('pins a product to another mapped contract; one product → one contract', async () => {
    const pin = {
      customerId: ids['Acme Corp']!,
      productName: 'microsoft 365 e3',
      billingCycle: 'monthly',
      service: '15',
      contractId: 102,
    };
    expect(await mapProductService(deps, pin, bob)).toMatchObject({ ok: false, code: 'CONTRACT_NOT_FOUND' });
    expect(await mapProductService(deps, { ...pin, billingCycle: 'any' }, bob)).toMatchObject({
      ok: false,
      code: 'PRODUCT_MULTI_CONTRACT',
    });
    await mapContract(deps, { customerId: ids['Acme Corp']!, billingCycle: 'monthly', contractId: 102 }, bob);
    expect(await mapProductService(deps, pin, bob)).toMatchObject({ ok: true, changed: true });
    const resolution = await resolveMappingForSync(deps, ids['Acme Corp']!);
    if (!resolution.ok) throw new Error('expected targets');
    expect(
      resolution.products.find((p) => p.billingCycle === 'monthly' && p.productName === 'Microsoft 365 E3'),
    ).toMatchObject({
      service: { id: 15 },
      serviceScope: 'customer',
      contract: { id: 102 },
      contractVia: 'pin',
    });
    expect(await mapProductService(deps, { ...pin, service: 'Nonexistent Service' }, bob)).toMatchObject({
      ok: false,
      code: 'SERVICE_NOT_FOUND',
    });
    expect(await mapProductService(deps, { ...pin, productName: 'Visio' }, bob)).toMatchObject({
      ok: false,
      code: 'PRODUCT_NOT_FOUND',
    });
  });
});

describe('after an upload', () => {
  beforeAll(async () => {
    const resolution = await resolveMappingForSync(deps, ids['Acme Corp']!);
    if (!resolution.ok || !resolution.company) throw new Error('expected targets');
    await db.prisma.$transaction(async (tx) => {
      for (const target of resolution.products)
        await recordUploadUnderMapping(
          tx,
          { customerId: ids['Acme Corp']!, companyId: resolution.company!.id, target },
          { id: 'system' },
        );
    });
  });

  it('stores the implicitly chosen yearly contract as the default, locked', async () => {
    expect(await db.prisma.customerContractMapping.findUnique({ where: { contractId: 106 } })).toMatchObject({
      billingCycle: 'annual',
      isDefault: true,
      source: 'upload',
      firstUploadedAt: expect.any(Date),
    });
  });

  it('refuses to move the default contract (MAPPING_LOCKED_BY_UPLOAD), audited as denied', async () => {
    const answer = await mapContract(
      deps,
      { customerId: ids['Acme Corp']!, billingCycle: 'monthly', contractId: 102, isDefault: true },
      bob,
    );
    expect(answer).toMatchObject({ ok: false, code: 'MAPPING_LOCKED_BY_UPLOAD' });
    const [denied] = await listAudit(db.prisma, { action: 'mapping.contract.refused' });
    expect(denied).toMatchObject({ outcome: 'denied', actorId: bob.id });
  });

  it('forced with a reason: done, reason audited, and told exactly which line to end', async () => {
    expect(
      await mapContract(
        deps,
        {
          customerId: ids['Acme Corp']!,
          billingCycle: 'monthly',
          contractId: 102,
          isDefault: true,
          force: { reason: '' },
        },
        bob,
      ),
    ).toMatchObject({ ok: false, code: 'FORCE_REASON_REQUIRED' });
    const answer = await mapContract(
      deps,
      {
        customerId: ids['Acme Corp']!,
        billingCycle: 'monthly',
        contractId: 102,
        isDefault: true,
        force: { reason: 'contract A was replaced', effectiveFrom: '2026-12-01' },
      },
      bob,
    );
    if (!answer.ok) throw new Error(answer.message);
    // Business Premium went to the default contract 101; E3 is pinned to 102 and does not move.
    expect(answer.endLines).toEqual([
      expect.objectContaining({
        contractId: 101,
        contractName: 'Acme Monthly A',
        serviceId: 12,
        from: '2026-12-01',
      }),
    ]);
    expect(answer.endLines[0]!.text).toMatch(
      /contract 101 "Acme Monthly A".*service 12 "M365 Business Premium".*0 units from 2026-12-01/,
    );
    const [audit] = await listAudit(db.prisma, { action: 'mapping.contract.mapped' });
    expect(audit).toMatchObject({
      actorId: bob.id,
      details: { forced: true, reason: 'contract A was replaced' },
    });
  });

  it('refuses changing the company or the service of an uploaded product unless forced', async () => {
    expect(await mapCompany(deps, { customerId: ids['Acme Corp']!, company: '2' }, bob)).toMatchObject({
      ok: false,
      code: 'MAPPING_LOCKED_BY_UPLOAD',
    });
    expect(
      await mapProductService(
        deps,
        {
          customerId: ids['Acme Corp']!,
          productName: 'Microsoft 365 E3',
          billingCycle: 'annual',
          service: '15',
        },
        bob,
      ),
    ).toMatchObject({ ok: false, code: 'MAPPING_LOCKED_BY_UPLOAD' });
    const forced = await mapProductService(
      deps,
      {
        customerId: ids['Acme Corp']!,
        productName: 'Microsoft 365 E3',
        billingCycle: 'annual',
        service: '15',
        force: { reason: 'wrong service' },
      },
      bob,
    );
    if (!forced.ok) throw new Error(forced.message);
    expect(forced.endLines).toEqual([
      expect.objectContaining({
        contractId: 106,
        serviceId: 11,
        productName: 'Microsoft 365 E3',
        from: '2026-11-25',
      }),
    ]);
  });
});

describe('mapping card and unmapped list', () => {
  it('shows company, contracts per cycle and products with their service', async () => {
    const card = await getMappingCard(deps, ids['Acme Corp']!);
    if (!card.ok) throw new Error(card.message);
    expect(card.company).toMatchObject({ state: 'matched', id: 1, locked: true });
    expect(card.contracts).toEqual([
      expect.objectContaining({
        cycle: 'monthly',
        state: 'chosen',
        contract: expect.objectContaining({ id: 102, via: 'default' }),
      }),
      expect.objectContaining({
        cycle: 'annual',
        state: 'chosen',
        contract: expect.objectContaining({ id: 106 }),
      }),
    ]);
    expect(card.contracts[0]!.candidates.map((c) => c.id)).toEqual([101, 102]);
    expect(card.products.every((p) => p.state === 'mapped')).toBe(true);
    expect(card.findings).toEqual([]);
  });

  it('lists what is still unmapped with codes and what to do', async () => {
    const items = await listUnmapped(deps);
    const lines = items.map((i) => `${i.customerName}: ${i.finding.code}`);
    expect(lines).toEqual(['Northwind Traders: CUSTOMER_UNMAPPED']);
    expect(items[0]!.finding.hint).toMatch(
      /^confirm [0-9a-f-]{36} \(company 6 "Northwind Traders Ltd", 1\), or map it: map Northwind Traders company <id or name>$/,
    );
    const card = await getMappingCard(deps, ids['Northwind Traders']!);
    if (!card.ok) throw new Error(card.message);
    expect(card.company).toMatchObject({
      state: 'suggested',
      suggestions: [expect.objectContaining({ candidateId: 6 })],
    });
    expect(card.contracts.map((c) => c.state)).toEqual(['needs-company', 'needs-company']);
  });
});

describe('forced company change after uploads', () => {
  it('moves the customer, drops the old company’s contracts and lists every line to end', async () => {
    const answer = await mapCompany(
      deps,
      {
        customerId: ids['Acme Corp']!,
        company: 'Acme Corp Holdings',
        force: { reason: 'billed to the holding from now on', effectiveFrom: '2027-01-01' },
      },
      bob,
    );
    if (!answer.ok) throw new Error(answer.message);
    expect(
      answer.endLines.map((l) => `${l.contractId}/${l.serviceId}/${l.productName}/${l.from}`).sort(),
    ).toEqual([
      '102/12/Microsoft 365 Business Premium/2027-01-01',
      '102/15/Microsoft 365 E3/2027-01-01',
      '106/15/Microsoft 365 E3/2027-01-01',
    ]);
    expect(await db.prisma.customerContractMapping.count({ where: { customerId: ids['Acme Corp']! } })).toBe(
      0,
    );
    expect(
      await db.prisma.customerCompanyMapping.findUnique({ where: { customerId: ids['Acme Corp']! } }),
    ).toMatchObject({ companyId: 2, firstUploadedAt: null });
    const [audit] = await listAudit(db.prisma, { action: 'mapping.company.changed' });
    expect(audit).toMatchObject({
      actorId: bob.id,
      details: { forced: true, reason: 'billed to the holding from now on', from: { id: 1 }, to: { id: 2 } },
    });
    // the holding has no contracts: nothing is uploaded until one is there
    const resolution = await resolveMappingForSync(deps, ids['Acme Corp']!);
    expect(resolution.findings.map((f) => f.code)).toEqual(['CONTRACT_MISSING', 'CONTRACT_MISSING']);
  });
});

describe('mapping rows of many customers at once', () => {
  it('gives each customer exactly the rows one-customer queries give it', async () => {
    // a pending service suggestion for a product only Fabrikam has, and a company suggestion
    // for Contoso, so every kind of row is present for some customers and absent for others
    await db.prisma.mappingSuggestion.createMany({
      data: [
        {
          kind: 'service',
          productName: 'Microsoft Teams Essentials',
          productSku: '',
          candidateId: 14,
          candidateName: 'Teams Essentials',
          confidence: '0.8',
          reason: 'similar',
          status: 'pending',
          createdBy: alice.id,
        },
        {
          kind: 'company',
          customerId: ids['Contoso Ltd']!,
          candidateId: 5,
          candidateName: 'Contoso Pharmaceuticals',
          confidence: '0.7',
          reason: 'similar',
          status: 'pending',
          createdBy: alice.id,
        },
      ],
    });
    const customerIds = Object.values(ids);
    const batch = await loadMappingRowsOf(db.prisma, [...customerIds, 'no-such-customer']);
    expect([...batch.keys()].sort()).toEqual([...customerIds].sort());
    const byId = <T extends { id: unknown }>(rows: T[]) =>
      [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    for (const customerId of customerIds) {
      // the reference: what each customer's rows are, read with that customer's own queries
      const products = (await listCustomerProducts(db.prisma, customerId)).map((p) => ({
        productName: p.productName,
        productSku: p.productSku,
      }));
      const rows = batch.get(customerId)!;
      expect(rows.customer.id).toBe(customerId);
      expect(rows.company).toEqual(
        await db.prisma.customerCompanyMapping.findUnique({ where: { customerId } }),
      );
      expect(byId(rows.contracts)).toEqual(
        byId(await db.prisma.customerContractMapping.findMany({ where: { customerId } })),
      );
      expect(byId(rows.overrides)).toEqual(
        byId(await db.prisma.customerProductOverride.findMany({ where: { customerId } })),
      );
      expect(byId(rows.rules)).toEqual(
        byId(await db.prisma.productServiceRule.findMany({ where: { OR: products } })),
      );
      expect(rows.products).toEqual(await listCustomerProducts(db.prisma, customerId));
      expect(rows.pendingCompanySuggestions.map((s) => s.id).sort()).toEqual(
        (
          await db.prisma.mappingSuggestion.findMany({
            where: { kind: 'company', customerId, status: 'pending' },
          })
        )
          .map((s) => s.id)
          .sort(),
      );
      expect(rows.pendingServiceSuggestions.map((s) => s.id).sort()).toEqual(
        (
          await db.prisma.mappingSuggestion.findMany({
            where: { kind: 'service', status: 'pending', OR: products },
          })
        )
          .map((s) => s.id)
          .sort(),
      );
    }
    // the rows differ between customers, so the comparison above could fail
    expect(batch.get(ids['Fabrikam']!)!.pendingServiceSuggestions.length).toBeGreaterThan(0);
    expect(batch.get(ids['Contoso Ltd']!)!.pendingServiceSuggestions).toEqual([]);
    expect(batch.get(ids['Contoso Ltd']!)!.pendingCompanySuggestions.length).toBeGreaterThan(0);
    expect(batch.get(ids['Acme Corp']!)!.pendingCompanySuggestions).toEqual([]);
  });
});
