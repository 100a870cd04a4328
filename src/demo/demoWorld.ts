// The demo world: one source of truth for the demo partner (its customers and products) and
// for how the demo Autotask tenant spells the same things. The sandbox's demo seed, the partner
// generator and the mapping accuracy test all read this file, so "which company is Acme really"
// is known in one place — the mapping test fails on any automatic mapping that disagrees.

/**
 * How the mapping should come out for a customer or product:
 * - exact: equal after normalisation (case, spacing, punctuation, legal suffixes) → applied automatically
 * - suggestion: similar but not equal → offered to a person, never applied automatically
 * - ambiguous: several equally good candidates → nothing applied
 * - missing: nothing in Autotask
 */
export type DemoExpectation = 'exact' | 'suggestion' | 'ambiguous' | 'missing';

export interface DemoCustomer {
  name: string;
  /** Microsoft tenant id (stable, made up) */
  externalId: string;
  domain: string;
  /** the Autotask company that is really this customer (null = not in Autotask) */
  autotaskCompanyName: string | null;
  expectation: DemoExpectation;
}

export interface DemoProduct {
  name: string;
  sku: string;
  billingType: 'quantity' | 'usage';
  /** sell price per unit per month (annual billing charges 12 × this, minus 5 %) */
  monthlyPrice: string;
  /** the Autotask service that is really this product (null = not in the catalogue) */
  autotaskServiceName: string | null;
  /** does the Autotask service carry the same SKU (newer tenants) */
  serviceHasSku: boolean;
  expectation: DemoExpectation;
}

const tenant = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  {
    name: 'Acme Corp',
    externalId: tenant(1),
    domain: 'acme.example',
    autotaskCompanyName: 'ACME Corporation, Inc.',
    expectation: 'exact',
  },
  {
    name: 'Northwind Traders',
    externalId: tenant(2),
    domain: 'northwind.example',
    autotaskCompanyName: 'Northwind Traders Ltd',
    expectation: 'exact',
  },
  {
    name: 'Contoso Ltd',
    externalId: tenant(3),
    domain: 'contoso.example',
    autotaskCompanyName: 'Contoso Pharmaceuticals',
    expectation: 'suggestion',
  },
  {
    name: 'Fabrikam',
    externalId: tenant(4),
    domain: 'fabrikam.example',
    autotaskCompanyName: null,
    expectation: 'ambiguous',
  },
  {
    name: 'Adventure Works',
    externalId: tenant(5),
    domain: 'adventure-works.example',
    autotaskCompanyName: 'Adventure Works LLC',
    expectation: 'exact',
  },
  {
    name: 'Tailspin Toys',
    externalId: tenant(6),
    domain: 'tailspintoys.example',
    autotaskCompanyName: 'Tailspin Toys',
    expectation: 'exact',
  },
  {
    name: 'Wide World Importers',
    externalId: tenant(7),
    domain: 'wideworldimporters.example',
    autotaskCompanyName: 'Wide World Importers GmbH',
    expectation: 'exact',
  },
  {
    name: 'Woodgrove Bank',
    externalId: tenant(8),
    domain: 'woodgrovebank.example',
    autotaskCompanyName: 'Woodgrove Bank PLC',
    expectation: 'exact',
  },
  {
    name: 'Litware Inc',
    externalId: tenant(9),
    domain: 'litware.example',
    autotaskCompanyName: 'Litware',
    expectation: 'exact',
  },
  {
    name: 'Proseware',
    externalId: tenant(10),
    domain: 'proseware.example',
    autotaskCompanyName: 'Proseware, Inc.',
    expectation: 'exact',
  },
  {
    name: 'Lamna Healthcare',
    externalId: tenant(11),
    domain: 'lamnahealthcare.example',
    autotaskCompanyName: 'Lamna Healthcare Company',
    expectation: 'suggestion',
  },
  {
    name: 'Coho Winery',
    externalId: tenant(12),
    domain: 'cohowinery.example',
    autotaskCompanyName: 'Coho Winery Pty Ltd',
    expectation: 'exact',
  },
  {
    name: 'Alpine Ski House',
    externalId: tenant(13),
    domain: 'alpineskihouse.example',
    autotaskCompanyName: 'Alpine Ski House AG',
    expectation: 'exact',
  },
  {
    name: 'Blue Yonder Airlines',
    externalId: tenant(14),
    domain: 'blueyonderairlines.example',
    autotaskCompanyName: 'Blue Yonder Airlines',
    expectation: 'exact',
  },
  {
    name: 'City Power & Light',
    externalId: tenant(15),
    domain: 'cpandl.example',
    autotaskCompanyName: 'City Power and Light',
    // exact: mapping's normalisation reads "&" as "and" (src/mapping/normaliseName.ts)
    expectation: 'exact',
  },
  {
    name: 'Consolidated Messenger',
    externalId: tenant(16),
    domain: 'consolidatedmessenger.example',
    autotaskCompanyName: 'Consolidated Messenger Co.',
    expectation: 'exact',
  },
  {
    name: 'Fourth Coffee',
    externalId: tenant(17),
    domain: 'fourthcoffee.example',
    autotaskCompanyName: 'Fourth Coffee B.V.',
    expectation: 'exact',
  },
  {
    name: 'Graphic Design Institute',
    externalId: tenant(18),
    domain: 'graphicdesigninstitute.example',
    autotaskCompanyName: 'Graphic Design Institute',
    expectation: 'exact',
  },
  {
    name: 'Humongous Insurance',
    externalId: tenant(19),
    domain: 'humongousinsurance.example',
    autotaskCompanyName: 'Humongous Insurance Corp',
    expectation: 'exact',
  },
  {
    name: 'Lucerne Publishing',
    externalId: tenant(20),
    domain: 'lucernepublishing.example',
    autotaskCompanyName: 'Lucerne Publishing S.A.',
    expectation: 'exact',
  },
  {
    name: 'Margie’s Travel',
    externalId: tenant(21),
    domain: 'margiestravel.example',
    autotaskCompanyName: "Margie's Travel",
    expectation: 'exact',
  },
  {
    name: 'Nod Publishers',
    externalId: tenant(22),
    domain: 'nodpublishers.example',
    autotaskCompanyName: 'Nod Publishers Limited',
    expectation: 'exact',
  },
  {
    name: 'Relecloud',
    externalId: tenant(23),
    domain: 'relecloud.example',
    autotaskCompanyName: 'Relecloud Inc',
    expectation: 'exact',
  },
  {
    name: 'School of Fine Art',
    externalId: tenant(24),
    domain: 'fineartschool.example',
    autotaskCompanyName: 'School of Fine Arts',
    expectation: 'suggestion',
  },
  {
    name: 'Southridge Video',
    externalId: tenant(25),
    domain: 'southridgevideo.example',
    autotaskCompanyName: 'Southridge Video',
    expectation: 'exact',
  },
  {
    name: 'Trey Research',
    externalId: tenant(26),
    domain: 'treyresearch.example',
    autotaskCompanyName: 'Trey Research Inc.',
    expectation: 'exact',
  },
  {
    name: 'VanArsdel',
    externalId: tenant(27),
    domain: 'vanarsdel.example',
    autotaskCompanyName: 'VanArsdel, Ltd.',
    expectation: 'exact',
  },
  {
    name: 'The Phone Company',
    externalId: tenant(28),
    domain: 'thephone-company.example',
    autotaskCompanyName: 'Phone Company',
    expectation: 'suggestion',
  },
  {
    name: 'Wingtip Toys',
    externalId: tenant(29),
    domain: 'wingtiptoys.example',
    autotaskCompanyName: 'Wingtip Toys',
    expectation: 'exact',
  },
  {
    name: 'Bellows College',
    externalId: tenant(30),
    domain: 'bellowscollege.example',
    autotaskCompanyName: null,
    expectation: 'missing',
  },
  {
    name: 'Best For You Organics',
    externalId: tenant(31),
    domain: 'bestforyouorganics.example',
    autotaskCompanyName: 'Best For You Organics Company',
    expectation: 'suggestion',
  },
  {
    name: 'Datum Corporation',
    externalId: tenant(32),
    domain: 'adatum.example',
    autotaskCompanyName: 'A. Datum Corporation',
    expectation: 'suggestion',
  },
];

/**
 * Autotask companies that are nobody's customer but look like one (traps for automatic mapping),
 * plus the MSP's own company. "Fabrikam Inc" and "Fabrikam Holdings" make customer "Fabrikam"
 * ambiguous; "Acme Corp Holdings" must not steal "Acme Corp"; "Contoso Electronics" competes with
 * "Contoso Pharmaceuticals" for "Contoso Ltd".
 */
export const DEMO_DECOY_COMPANIES: string[] = [
  'Fabrikam Inc',
  'Fabrikam Holdings',
  'Acme Corp Holdings',
  'Contoso Electronics',
  'Northwind Health',
  'Tailspin Toys Europe',
  'Woodgrove Financial Services',
  'Adventure Works Cycles',
  'Litware Labs',
  'Fineart Supplies',
  'Zava Partners MSP', // the partner itself
];

const P = (
  name: string,
  sku: string,
  monthlyPrice: string,
  autotaskServiceName: string | null,
  expectation: DemoExpectation,
  serviceHasSku = true,
  billingType: 'quantity' | 'usage' = 'quantity',
): DemoProduct => ({ name, sku, billingType, monthlyPrice, autotaskServiceName, serviceHasSku, expectation });

export const DEMO_PRODUCTS: DemoProduct[] = [
  P('Microsoft 365 Business Basic', 'CFQ7TTC0LH18:0001', '6.00', 'Microsoft 365 Business Basic', 'exact'),
  P(
    'Microsoft 365 Business Standard',
    'CFQ7TTC0LDPB:0001',
    '12.50',
    'Microsoft 365 Business Standard',
    'exact',
  ),
  P('Microsoft 365 Business Premium', 'CFQ7TTC0LCHC:0002', '22.00', 'M365 Business Premium', 'exact'), // by SKU
  P('Microsoft 365 E3', 'CFQ7TTC0LFLX:0001', '36.00', 'Microsoft 365 E3', 'exact'),
  P('Microsoft 365 E5', 'CFQ7TTC0LFLZ:0002', '57.00', 'Microsoft 365 E5', 'exact'),
  P('Office 365 E1', 'CFQ7TTC0LF8Q:0001', '10.00', 'Office 365 E1', 'exact', false),
  P('Exchange Online (Plan 1)', 'CFQ7TTC0LH16:0001', '4.00', 'Exchange Online Plan 1', 'exact', false), // punctuation only
  P('Exchange Online (Plan 2)', 'CFQ7TTC0LH1P:0001', '8.00', 'Exchange Online Plan 2', 'exact', false),
  P('Microsoft Teams Essentials', 'CFQ7TTC0RM8K:0001', '4.00', 'Teams Essentials', 'suggestion', false),
  P(
    'Microsoft Defender for Business',
    'CFQ7TTC0HCHW:0001',
    '3.00',
    'Microsoft Defender for Business',
    'exact',
  ),
  P('Microsoft Entra ID P1', 'CFQ7TTC0LFK5:0001', '6.00', 'Azure AD Premium P1', 'exact'), // by SKU only
  P('Power BI Pro', 'CFQ7TTC0L3PB:0001', '14.00', 'Power BI Pro', 'exact', false),
  P('Visio Plan 2', 'CFQ7TTC0HD33:0001', '15.00', 'Visio Online Plan 2', 'suggestion', false),
  P('Project Plan 3', 'CFQ7TTC0HDN0:0001', '30.00', 'Project Plan 3', 'exact'),
  P('Microsoft 365 Copilot', 'CFQ7TTC0MM8R:0001', '30.00', null, 'missing'),
  P(
    'Microsoft 365 Apps for business',
    'CFQ7TTC0LH1G:0001',
    '8.25',
    'Microsoft 365 Apps for Business',
    'exact',
    false,
  ),
  P('Azure plan', 'DZH318Z0BPS6:0001', '0.00', null, 'missing', false, 'usage'),
];

/**
 * Catalogue services that are nobody's product but look like one: "Microsoft 365 Business
 * Premium (Legacy)" must not take Business Premium; the backup and support services are what a
 * real MSP catalogue also holds.
 */
export const DEMO_DECOY_SERVICES: string[] = [
  'Microsoft 365 Business Premium (Legacy)',
  'Microsoft 365 E3 (no Teams)',
  'Office 365 E3',
  'Exchange Online Kiosk',
  'Teams Phone Standard',
  'Defender for Endpoint P2',
  'Power BI Premium Per User',
  'Visio Plan 1',
  'Project Plan 1',
  'Managed Backup - Microsoft 365',
  'Managed Backup - Server',
  'Managed Firewall',
  'Helpdesk Support per User',
  'Helpdesk Support per Device',
  'Remote Monitoring per Endpoint',
  'Email Security Gateway',
  'Security Awareness Training',
  'DNS Filtering',
  'Password Manager',
  'Domain Registration',
  'SSL Certificate',
  'Cloud Storage 1 TB',
  'Dynamics 365 Business Central Essentials',
  'Windows 365 Business',
  'Intune Suite',
];
