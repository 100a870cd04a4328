// "Must show" 4 over real HTTP: the demo partner (customers and products of the demo world) mapped
// automatically against the built-in Autotask sandbox seeded with the demo tenant. Prints the
// share of customers and products mapped automatically and the number of wrong automatic
// mappings; fails on any wrong one. Then checks the demo tenant's contract traps.
import { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import { CompanySchema, ContractSchema, ServiceSchema } from '../../../src/autotask/entities.js';
import { buildDemoSeedInput } from '../../../src/sandbox/demoSeed.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { billingCycleShowcaseRows, SHOWCASE_CUSTOMER } from '../../../src/demo/billingCycleShowcase.js';
import { DEMO_CUSTOMERS, DEMO_PRODUCTS } from '../../../src/demo/demoWorld.js';
import { toCsv } from '../../../src/demo/partnerGenerator.js';
import { importFile } from '../../../src/subscriptions/importFile.js';
import type { AutotaskDirectory } from '../../../src/mapping/autotaskDirectory.js';
import type { MappingDeps } from '../../../src/mapping/mappingDeps.js';
import { resolveMappingForSync } from '../../../src/mapping/resolveMappingForSync.js';
import {
  runAutomaticMapping,
  type AutomaticMappingReport,
} from '../../../src/mapping/runAutomaticMapping.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

/** The port over the real client (what the lead wires in src/main.ts). */
function clientDirectory(client: AutotaskClient): AutotaskDirectory {
  return {
    listCompanies: () => client.query('Companies', CompanySchema),
    listContracts: (companyIds) => client.queryIn('Contracts', ContractSchema, 'companyID', [...companyIds]),
    listServices: () => client.query('Services', ServiceSchema),
    picklists: () => client.picklists(),
  };
}

let db: TestDatabase;
let sandbox: RunningSandbox;
let deps: MappingDeps;
let report: AutomaticMappingReport;
const customerIds = new Map<string, string>();

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(buildDemoSeedInput());
  deps = { prisma: db.prisma, directory: clientDirectory(clientFor(sandbox)), today: () => '2026-11-25' };
  // The demo partner: every demo customer, each with two products; the first has every product.
  const pushed = DEMO_PRODUCTS;
  for (const [i, c] of DEMO_CUSTOMERS.entries()) {
    const row = await db.prisma.customer.create({
      data: { name: c.name, externalId: c.externalId, domain: c.domain },
    });
    customerIds.set(c.name, row.id);
    const products = i === 0 ? pushed : [pushed[i % pushed.length]!, pushed[(i + 7) % pushed.length]!];
    for (const [n, p] of products.entries())
      await db.prisma.subscription.create({
        data: {
          id: `demo-${i}-${n}`,
          customerId: row.id,
          productName: p.name,
          sku: p.sku,
          billingCycle: n === 3 ? 'annual' : 'monthly',
          billingType: p.billingType,
          status: 'active',
          quantity: 3 + n,
          unitPrice: p.monthlyPrice,
          currency: 'EUR',
        },
      });
  }
  const answer = await runAutomaticMapping(deps, {}, { id: 'system', name: 'demo mapping test' });
  if (!answer.ok) throw new Error(answer.message);
  report = answer;
});
afterAll(async () => {
  await sandbox?.stop();
  await db?.drop();
});

describe('automatic mapping of the demo partner against the demo sandbox', () => {
  it('maps customers automatically with zero wrong automatic mappings', async () => {
    const applied = await db.prisma.customerCompanyMapping.findMany();
    const wrong = applied.filter((m) => {
      const customer = [...customerIds].find(([, id]) => id === m.customerId)![0];
      return DEMO_CUSTOMERS.find((c) => c.name === customer)!.autotaskCompanyName !== m.companyName;
    });
    const share = ((100 * applied.length) / DEMO_CUSTOMERS.length).toFixed(1);
    console.log(
      `sandbox customers: ${applied.length}/${DEMO_CUSTOMERS.length} mapped automatically (${share} %), ` +
        `wrong automatic mappings: ${wrong.length}; ` +
        `suggested ${report.customers.filter((c) => c.result === 'suggested').length}, ` +
        `ambiguous ${report.customers.filter((c) => c.result === 'ambiguous').length}, ` +
        `missing ${report.customers.filter((c) => c.result === 'missing').length}`,
    );
    expect(wrong.map((m) => m.companyName)).toEqual([]);
    expect(applied.length).toBe(DEMO_CUSTOMERS.filter((c) => c.expectation === 'exact').length);
  });

  it('maps products automatically with zero wrong automatic mappings', async () => {
    const rules = await db.prisma.productServiceRule.findMany();
    const wrong = rules.filter(
      (r) => DEMO_PRODUCTS.find((p) => p.name === r.productName)!.autotaskServiceName !== r.serviceName,
    );
    const products = new Set(report.products.map((p) => p.subjectName)).size;
    const share = ((100 * rules.length) / products).toFixed(1);
    console.log(
      `sandbox products: ${rules.length}/${products} mapped automatically (${share} %), wrong automatic mappings: ${wrong.length}`,
    );
    expect(wrong.map((r) => `${r.productName} → ${r.serviceName}`)).toEqual([]);
    // one rule per product and billing cycle held (the Monthly or the Yearly service of the name)
    const exactSubjects = report.products.filter(
      (p) => DEMO_PRODUCTS.find((d) => d.name === p.subjectName)!.expectation === 'exact',
    );
    expect(rules.map((r) => `${r.productName}/${r.billingCycle}`).sort()).toEqual(
      exactSubjects.map((p) => `${p.subjectName}/${p.billingCycle}`).sort(),
    );
    const period = new Map(
      (await deps.directory.listServices()).map((s) => [s.id, s.periodType === 5 ? 'annual' : 'monthly']),
    );
    expect(rules.filter((r) => period.get(r.serviceId) !== r.billingCycle)).toEqual([]);
  });

  // the suggestion names its target in full (id · name · period · SKU · price), the map command its cycle
  it('tells how to fix an unmapped product: confirm the suggestion or map it', async () => {
    const acme = await resolveMappingForSync(deps, customerIds.get('Acme Corp')!);
    const teams = acme.findings.find((f) => f.productName === 'Microsoft Teams Essentials');
    expect(teams).toMatchObject({
      code: 'SERVICE_UNMAPPED',
      hint: expect.stringMatching(
        /^confirm [0-9a-f-]{36} \(service \d+ · Teams Essentials · Monthly · no SKU · 4\.00, 0\.9\), or map it: map Acme Corp product "Microsoft Teams Essentials" monthly service <id or name>$/,
      ),
    });
  });

  it('handles the demo tenant’s contract traps', async () => {
    const codes = async (name: string) =>
      (await resolveMappingForSync(deps, customerIds.get(name)!)).findings.map((f) => f.code);
    const contractOf = async (name: string) => {
      const r = await resolveMappingForSync(deps, customerIds.get(name)!);
      return r.customer
        ? (r as { contracts: Record<string, { contractName: string }> }).contracts.monthly?.contractName
        : undefined;
    };
    expect(await codes('Woodgrove Bank')).toContain('CONTRACT_AMBIGUOUS');
    expect(await contractOf('Northwind Traders')).toBe('Northwind Traders Ltd — Cloud Services Monthly'); // quarterly never offered
    expect(await contractOf('Adventure Works')).toBe('Adventure Works LLC — Cloud Services Monthly'); // expired never offered
    expect(await contractOf('Tailspin Toys')).toBe('Tailspin Toys — Cloud Services Monthly'); // fixed price never offered
    const all = await Promise.all([...customerIds.values()].map((id) => resolveMappingForSync(deps, id)));
    const tally = new Map<string, number>();
    for (const f of all.flatMap((r) => r.findings)) tally.set(f.code, (tally.get(f.code) ?? 0) + 1);
    console.log(
      `sandbox mapping readiness: ${all.filter((r) => r.ok).length}/${all.length} customers ready to sync; findings ${JSON.stringify(Object.fromEntries(tally))}`,
    );
  });

  it('maps the demo customer that holds a product monthly, annually and switching, per cycle', async () => {
    const rows = billingCycleShowcaseRows('2026-11-25');
    const imported = await importFile(db.prisma, 'showcase.csv', toCsv(rows), {
      actor: { id: 'system', name: 'demo mapping test' },
    });
    expect(imported).toMatchObject({ stored: true, refused: [] });
    const trey = customerIds.get(SHOWCASE_CUSTOMER)!;
    await runAutomaticMapping(deps, { customerId: trey }, { id: 'system', name: 'demo mapping test' });
    const resolution = await resolveMappingForSync(deps, trey);
    const premium = resolution.customer
      ? (
          resolution as {
            products: Array<{
              productName: string;
              billingCycle: string;
              service: { periodType?: number | null };
              contract: { contractPeriodType?: number | null };
            }>;
          }
        ).products.filter((p) => p.productName === 'Microsoft 365 Business Premium')
      : [];
    // the Monthly service on the monthly contract, the Yearly service on the yearly contract
    expect(
      premium
        .map(
          (p) =>
            `${p.billingCycle}: service ${p.service.periodType} on contract ${p.contract.contractPeriodType}`,
        )
        .sort(),
    ).toEqual(['annual: service 5 on contract 5', 'monthly: service 2 on contract 2']);
    expect(resolution.findings.filter((f) => f.productName === 'Microsoft 365 Business Premium')).toEqual([]);
  });
});
