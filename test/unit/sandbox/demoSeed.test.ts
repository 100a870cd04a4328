// The committed demo seed (seeds/demo.json) is what demoSeed.ts generates from demoWorld, and it
// holds the traps the mapping and validation parts rely on.
import fs from 'node:fs';
import {
  DEMO_CUSTOMERS,
  DEMO_DECOY_COMPANIES,
  DEMO_DECOY_SERVICES,
  DEMO_PRODUCTS,
} from '../../../src/demo/demoWorld.js';
import { buildDemoSeed, buildDemoSeedInput } from '../../../src/sandbox/demoSeed.js';
import { readSeedFile, SandboxSeedSchema } from '../../../src/sandbox/sandboxSeed.js';

const FILE = 'src/sandbox/seeds/demo.json';

describe('the demo seed', () => {
  it('equals the committed seeds/demo.json (regenerate with npx tsx src/sandbox/writeDemoSeed.ts)', () => {
    expect(JSON.parse(fs.readFileSync(FILE, 'utf8'))).toEqual(buildDemoSeedInput());
    expect(readSeedFile(FILE)).toEqual(buildDemoSeed());
  });

  it('holds every demo company and service, at least 30 companies and 40 services', () => {
    const seed = buildDemoSeed();
    const names = seed.companies.map((c) => c.companyName);
    for (const c of DEMO_CUSTOMERS) if (c.autotaskCompanyName) expect(names).toContain(c.autotaskCompanyName);
    for (const d of DEMO_DECOY_COMPANIES) expect(names).toContain(d);
    expect(seed.companies.length).toBeGreaterThanOrEqual(30);
    const services = seed.services.map((s) => s.name);
    for (const p of DEMO_PRODUCTS)
      if (p.autotaskServiceName) expect(services).toContain(p.autotaskServiceName);
    for (const d of DEMO_DECOY_SERVICES) expect(services).toContain(d);
    expect(seed.services.length).toBeGreaterThanOrEqual(40);
    const bySku = seed.services.find((s) => s.name === 'M365 Business Premium');
    expect(bySku?.sku).toBe('CFQ7TTC0LCHC:0002');
    expect(seed.services.find((s) => s.name === 'Office 365 E1')?.sku).toBeNull();
  });

  it('has monthly and yearly contracts for each customer company, and the traps', () => {
    const seed = buildDemoSeed();
    const company = (name: string) => seed.companies.find((c) => c.companyName === name)!;
    const contractsOf = (name: string) => seed.contracts.filter((c) => c.companyID === company(name).id);
    for (const c of DEMO_CUSTOMERS) {
      if (!c.autotaskCompanyName) continue;
      const contracts = contractsOf(c.autotaskCompanyName).filter(
        (k) => k.contractType === 7 && k.startDate === '2025-01-01' && k.endDate === '2027-12-31',
      );
      expect(contracts.map((k) => k.contractPeriodType)).toEqual(expect.arrayContaining([2, 5]));
    }
    const monthlyActive = (name: string) =>
      contractsOf(name).filter(
        (k) => k.contractType === 7 && k.contractPeriodType === 2 && k.endDate >= '2026-01-01',
      );
    expect(monthlyActive('Woodgrove Bank PLC')).toHaveLength(2);
    expect(monthlyActive('Woodgrove Bank PLC').some((k) => k.isDefaultContract)).toBe(false);
    expect(monthlyActive('Contoso Pharmaceuticals').filter((k) => k.isDefaultContract)).toHaveLength(1);
    expect(seed.contracts.some((k) => k.contractPeriodType === 3 && k.contractType === 7)).toBe(true);
    expect(seed.contracts.some((k) => k.contractPeriodType === 2 && k.endDate === '2025-06-30')).toBe(true);
    expect(seed.contracts.some((k) => k.contractType === 3)).toBe(true);
    expect(seed.companies.filter((c) => !c.isActive).map((c) => c.companyName)).toEqual([
      'Woodgrove Financial Services',
    ]);
  });

  it('rejects a seed whose contract names a company that does not exist, naming the path', () => {
    const input = buildDemoSeedInput();
    input.contracts![0]!.companyID = 99_999;
    const result = SandboxSeedSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['contracts', 0, 'companyID']);
  });
});
