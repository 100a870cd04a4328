// The demo Autotask database, built from the shared demo world (src/demo/demoWorld.ts) so the
// sandbox, the partner generator and the mapping accuracy test agree on every name.
// `npx tsx src/sandbox/writeDemoSeed.ts` writes it to seeds/demo.json (committed; a
// test checks the file and this code agree).
//
// Contracts: every customer company has an active Recurring Service contract with a monthly
// period and one with a yearly period, 2025-01-01 to 2027-12-31. The traps:
// - Woodgrove Bank PLC: two active monthly contracts and no default → CONTRACT_AMBIGUOUS
// - Contoso Pharmaceuticals: two active monthly contracts, one marked default → the default wins
// - Northwind Traders Ltd: an extra quarterly recurring contract → never offered
// - Adventure Works LLC: an extra monthly contract that ended 2025-06-30 → CONTRACT_EXPIRED
// - Tailspin Toys: an extra Fixed Price (non-recurring) contract → CONTRACT_NOT_RECURRING
// - Woodgrove Financial Services (a decoy) is an inactive company → COMPANY_INACTIVE
// Services: each product as a Monthly service and as a Yearly service of the same name.
import {
  DEMO_CUSTOMERS,
  DEMO_DECOY_COMPANIES,
  DEMO_DECOY_SERVICES,
  DEMO_PRODUCTS,
} from '../demo/demoWorld.js';
import {
  DEFAULT_SEED_PICKLISTS,
  SandboxSeedSchema,
  type SandboxSeed,
  type SandboxSeedInput,
} from './sandboxSeed.js';

const RECURRING = 7;
const FIXED_PRICE = 3;
const MONTHLY = 2;
const QUARTERLY = 3;
const YEARLY = 5;
const ACTIVE = 1;

export const DEMO_INACTIVE_COMPANY = 'Woodgrove Financial Services';
export const DEMO_PARTNER_COMPANY = 'Zava Partners MSP';

/** Decoy catalogue prices: a plausible MSP price list, per unit per month. */
function decoyPrice(index: number): string {
  return (5 + ((index * 7) % 40)).toFixed(2);
}

export function buildDemoSeedInput(): SandboxSeedInput {
  const customerCompanies = DEMO_CUSTOMERS.map((c) => c.autotaskCompanyName).filter(
    (n): n is string => n !== null,
  );
  const companies = [...customerCompanies, ...DEMO_DECOY_COMPANIES].map((companyName, i) => ({
    id: 100 + i,
    companyName,
    companyNumber: `C${String(100 + i).padStart(5, '0')}`,
    companyType: companyName === DEMO_PARTNER_COMPANY ? 7 : 1,
    isActive: companyName !== DEMO_INACTIVE_COMPANY,
  }));
  const companyId = (name: string) => companies.find((c) => c.companyName === name)!.id;

  const contracts: SandboxSeedInput['contracts'] = [];
  const contract = (
    companyName: string,
    contractName: string,
    fields: { type?: number; period?: number | null; start?: string; end?: string; isDefault?: boolean },
  ) => {
    const nextId = 500 + contracts!.length;
    contracts!.push({
      id: nextId,
      companyID: companyId(companyName),
      contractName: `${companyName} — ${contractName}`,
      contractNumber: `RS-${nextId}`,
      contractType: fields.type ?? RECURRING,
      contractPeriodType: fields.period === undefined ? MONTHLY : fields.period,
      status: ACTIVE,
      startDate: fields.start ?? '2025-01-01',
      endDate: fields.end ?? '2027-12-31',
      isDefaultContract: fields.isDefault ?? false,
    });
  };
  for (const name of customerCompanies) {
    contract(name, 'Cloud Services Monthly', { period: MONTHLY });
    contract(name, 'Cloud Services Annual', { period: YEARLY });
  }
  contract('Woodgrove Bank PLC', 'Cloud Services Monthly (second)', { period: MONTHLY });
  contract('Contoso Pharmaceuticals', 'Cloud Services Monthly (default)', {
    period: MONTHLY,
    isDefault: true,
  });
  contract('Northwind Traders Ltd', 'Managed Services Quarterly', { period: QUARTERLY });
  contract('Adventure Works LLC', 'Cloud Services Monthly 2024', {
    period: MONTHLY,
    start: '2024-07-01',
    end: '2025-06-30',
  });
  contract('Tailspin Toys', 'Office Move Project', { type: FIXED_PRICE, period: null });

  const productServices = DEMO_PRODUCTS.filter((p) => p.autotaskServiceName !== null).map((p) => ({
    name: p.autotaskServiceName!,
    sku: p.serviceHasSku ? p.sku : null,
    unitPrice: p.monthlyPrice,
  }));
  const decoyServices = DEMO_DECOY_SERVICES.map((name, i) => ({ name, sku: null, unitPrice: decoyPrice(i) }));
  const service = (
    s: { name: string; sku: string | null; unitPrice: string },
    id: number,
    periodType: number,
  ) => ({
    id,
    name: s.name,
    sku: s.sku,
    unitPrice: s.unitPrice,
    // a typical CSP margin: cost is 80 % of the sell price
    unitCost: (Number(s.unitPrice) * 0.8).toFixed(2),
    periodType,
    isActive: true,
  });
  // like most partners' catalogues, every product also as a Yearly service of the same name
  // (its own SKU and price: 12 months less 5 %), which annual subscriptions are mapped to
  const yearlyServices = productServices.map((s, i) =>
    service(
      {
        name: s.name,
        sku: s.sku ? `${s.sku}-P1Y` : null,
        unitPrice: (Number(s.unitPrice) * 12 * 0.95).toFixed(2),
      },
      2000 + i,
      YEARLY,
    ),
  );
  const services = [
    ...[...productServices, ...decoyServices].map((s, i) => service(s, 1000 + i, MONTHLY)),
    ...yearlyServices,
  ];

  return {
    // Worded as when the seed was first written (its old path included): the description is part
    // of the seed's fingerprint, and a saved demo state of another fingerprint is refused.
    description:
      'Demo Autotask database built from src/demo/demoWorld.ts: customer companies with monthly and yearly Recurring Service contracts, every product as a Monthly and a Yearly service of the same name, decoy companies and services, and contract traps (see src/autotask/sandbox/demoSeed.ts).',
    picklists: DEFAULT_SEED_PICKLISTS,
    externalRequestThreshold: 10_000,
    permissions: {},
    companies,
    contracts,
    services,
    contractServices: [],
    adjustments: [],
    postedThrough: null,
  };
}

export function buildDemoSeed(): SandboxSeed {
  return SandboxSeedSchema.parse(buildDemoSeedInput());
}
