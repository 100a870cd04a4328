import { DEFAULT_PICKLISTS } from '../../../src/autotask/entities.js';
import type { AutotaskSnapshot } from '../../../src/sync/autotaskSnapshot.js';
import { validateCustomer, type CustomerValidationInput } from '../../../src/sync/validateCustomer.js';
import { CORRECTION_CODES } from '../../../src/sync/driftCorrection.js';
import { FINDING_CODES, finding, type FindingCode } from '../../../src/sync/validationFinding.js';
import { CUSTOMER, TARGETS, created, quantity, subscription } from '../../helpers/syncFixtures.js';

function snapshot(overrides: Partial<AutotaskSnapshot> = {}): AutotaskSnapshot {
  return {
    connectivity: { ok: true },
    picklists: DEFAULT_PICKLISTS,
    companies: [{ id: 1, companyName: 'Acme Corporation', isActive: true }],
    contracts: [
      {
        id: 100,
        companyID: 1,
        contractName: 'Acme monthly',
        contractType: 7,
        contractPeriodType: 2,
        status: 1,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
      },
      {
        id: 200,
        companyID: 1,
        contractName: 'Acme yearly',
        contractType: 7,
        contractPeriodType: 5,
        status: 1,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
      },
    ],
    services: [
      { id: 11, name: 'M365 Business Premium (monthly)', isActive: true },
      { id: 12, name: 'M365 Business Premium (annual)', isActive: true },
    ],
    contractServices: [],
    units: [],
    ...overrides,
  };
}

function input(overrides: Partial<CustomerValidationInput> = {}): CustomerValidationInput {
  return {
    customer: { id: CUSTOMER, name: 'Acme Corp', cutoverDate: null },
    asOf: '2026-11-25',
    subscriptions: [subscription()],
    events: [created('2026-01-05', 5), quantity('2026-02-10', 5, 8)],
    mapping: { targets: TARGETS, findings: [] },
    autotask: snapshot(),
    ledger: { pushed: [], knownLines: [] },
    ...overrides,
  };
}

const codes = (i: CustomerValidationInput) => validateCustomer(i).findings.map((f) => f.code);
const contract = (changes: object) =>
  snapshot({ contracts: [{ ...snapshot().contracts[0]!, ...changes }, snapshot().contracts[1]!] });

describe('validateCustomer', () => {
  it('finds nothing wrong with a clean customer and keeps its operations', () => {
    const result = validateCustomer(input());
    expect(result.findings).toEqual([]);
    expect(result.blocked).toBe(false);
    expect(result.encoded.operations).toHaveLength(3);
  });

  // One test per code of docs/billing-semantics.md §5; each also checks the finding names a fix.
  const cases: [FindingCode, () => CustomerValidationInput][] = [
    [
      'AUTOTASK_UNREACHABLE',
      () =>
        input({
          autotask: snapshot({
            connectivity: { ok: false, code: 'AUTOTASK_UNREACHABLE', message: 'Autotask did not answer' },
          }),
        }),
    ],
    [
      'AUTOTASK_AUTH',
      () =>
        input({
          autotask: snapshot({
            connectivity: { ok: false, code: 'AUTOTASK_AUTH', message: 'the secret is wrong' },
          }),
        }),
    ],
    [
      'AUTOTASK_ROW_UNREADABLE',
      () =>
        input({
          autotask: snapshot({
            connectivity: {
              ok: false,
              code: 'AUTOTASK_ROW_UNREADABLE',
              message: 'Autotask answered a ContractServices row (id 504) in a shape the bot cannot read',
            },
          }),
        }),
    ],
    [
      'CUSTOMER_UNMAPPED',
      () => input({ mapping: { targets: { ...TARGETS, companyId: null }, findings: [] } }),
    ],
    [
      'CUSTOMER_AMBIGUOUS',
      () =>
        input({
          mapping: {
            targets: { ...TARGETS, companyId: null },
            findings: [
              finding(
                'CUSTOMER_AMBIGUOUS',
                { customerId: CUSTOMER },
                'two companies fit',
                'pick one in chat',
              ),
            ],
          },
        }),
    ],
    [
      'COMPANY_INACTIVE',
      () => input({ autotask: snapshot({ companies: [{ id: 1, companyName: 'Acme', isActive: false }] }) }),
    ],
    [
      'CONTRACT_MISSING',
      () =>
        input({
          mapping: { targets: { ...TARGETS, contracts: { monthly: null, annual: 200 } }, findings: [] },
        }),
    ],
    [
      'CONTRACT_AMBIGUOUS',
      () =>
        input({
          mapping: {
            targets: { ...TARGETS, contracts: { monthly: null, annual: 200 } },
            findings: [
              finding(
                'CONTRACT_AMBIGUOUS',
                { customerId: CUSTOMER },
                'two monthly contracts',
                'mark one default',
              ),
            ],
          },
        }),
    ],
    [
      // found by the mapping part (an inactive contract mapped as default) and passed through
      'CONTRACT_INACTIVE',
      () =>
        input({
          mapping: {
            targets: { ...TARGETS, contracts: { monthly: null, annual: 200 } },
            findings: [
              finding(
                'CONTRACT_INACTIVE',
                { customerId: CUSTOMER },
                'contract 100 is inactive',
                'activate it or map another',
              ),
            ],
          },
        }),
    ],
    ['CONTRACT_NOT_RECURRING', () => input({ autotask: contract({ contractType: 1 }) })],
    ['CONTRACT_PERIOD_UNSUPPORTED', () => input({ autotask: contract({ contractPeriodType: 3 }) })],
    ['CONTRACT_EXPIRED', () => input({ autotask: contract({ endDate: '2026-01-31' }) })],
    ['CONTRACT_TERM_GAP', () => input({ autotask: contract({ startDate: '2026-02-01' }) })],
    [
      'PERIOD_POSTED',
      () =>
        input({
          autotask: snapshot({
            units: [
              {
                contractID: 100,
                serviceID: 99,
                contractServiceId: 5000,
                startDate: '2026-01-01',
                endDate: '2026-01-31',
                units: 1,
                approveAndPostDate: '2026-02-01T10:00:00Z',
              },
            ],
          }),
        }),
    ],
    ['SERVICE_UNMAPPED', () => input({ mapping: { targets: { ...TARGETS, services: [] }, findings: [] } })],
    [
      'SERVICE_INACTIVE',
      () => input({ autotask: snapshot({ services: [{ id: 11, name: 'M365 BP', isActive: false }] }) }),
    ],
    [
      'PRODUCT_MULTI_CONTRACT',
      () =>
        input({
          // both cycles on one service (a per-cycle mapping with two services is fine: see below)
          mapping: {
            targets: {
              ...TARGETS,
              services: TARGETS.services.map((t) => ({ ...t, serviceId: TARGETS.services[0]!.serviceId })),
            },
            findings: [],
          },
          subscriptions: [subscription(), subscription({ id: 'sub-2', billingCycle: 'annual' })],
          events: [created('2026-01-05', 5), created('2026-01-05', 2, 'sub-2', '250', 'annual')],
        }),
    ],
    [
      'DUPLICATE_BILLING_RISK',
      () =>
        input({
          autotask: snapshot({
            contracts: [
              ...snapshot().contracts,
              { ...snapshot().contracts[0]!, id: 300, contractName: 'Old MSA' },
            ],
            units: [
              {
                contractID: 300,
                serviceID: 11,
                contractServiceId: 3001,
                startDate: '2026-11-01',
                endDate: '2026-11-30',
                units: 4,
              },
            ],
          }),
        }),
    ],
    [
      'DRIFT',
      () => {
        const lineKey = 'sub-1|100|11|22';
        return input({
          ledger: {
            pushed: [
              {
                key: `adj:${lineKey}:2026-01-05`,
                subscriptionId: 'sub-1',
                lineKey,
                kind: 'adjust',
                effectiveDate: '2026-01-05',
                unitChange: 5,
              },
            ],
            knownLines: [{ lineKey, contractServiceId: 900 }],
          },
          autotask: snapshot({
            contractServices: [{ id: 900, contractID: 100, serviceID: 11 }],
            units: [
              {
                contractID: 100,
                serviceID: 11,
                contractServiceId: 900,
                startDate: '2026-01-05',
                endDate: '2026-01-31',
                units: 7,
              },
            ],
          }),
        });
      },
    ],
    [
      'HISTORY_INCONSISTENT',
      () => input({ events: [created('2026-01-05', 5), quantity('2026-02-10', 6, 8)] }),
    ],
    [
      'UNSUPPORTED_SUBSCRIPTION',
      () =>
        input({
          subscriptions: [
            subscription(),
            subscription({ id: 'azure', productName: 'Azure plan', billingType: 'usage' }),
          ],
          events: [created('2026-01-05', 5), created('2026-01-05', 1, 'azure')],
        }),
    ],
    ['NOTHING_TO_UPLOAD', () => input({ events: [], subscriptions: [] })],
  ];

  it('has a test for every code', () => {
    // the correction's codes come from correctDrift (test/unit/sync/driftCorrection.test.ts)
    const own = FINDING_CODES.filter((c) => !(CORRECTION_CODES as readonly string[]).includes(c));
    expect(cases.map(([c]) => c).sort()).toEqual(own.sort());
  });

  it.each(cases)('reports %s', (code, make) => {
    const result = validateCustomer(make());
    const found = result.findings.filter((f) => f.code === code);
    expect(found).toHaveLength(1);
    expect(found[0]!.message.length).toBeGreaterThan(5);
    expect(found[0]!.hint.length).toBeGreaterThan(5);
    expect(found[0]!.customerId).toBe(CUSTOMER);
    expect(result.blocked).toBe(found[0]!.severity === 'error');
    if (code !== 'NOTHING_TO_UPLOAD') expect(codes(make())).not.toContain('NOTHING_TO_UPLOAD');
  });

  it('lets a product be held monthly and annually when each cycle has its own service', () => {
    const result = validateCustomer(
      input({
        subscriptions: [subscription(), subscription({ id: 'sub-2', billingCycle: 'annual' })],
        events: [created('2026-01-05', 5), created('2026-01-05', 2, 'sub-2', '250', 'annual')],
      }),
    );
    expect(result.findings.map((f) => f.code)).toEqual([]);
    expect(result.blocked).toBe(false);
    // the monthly units on the monthly service and contract, the annual ones on the yearly ones
    expect(
      result.encoded.operations
        .filter((o) => o.kind === 'adjust')
        .map((o) => `${o.subscriptionId} ${o.contractId}/${o.serviceId} ${o.unitChange}`)
        .sort(),
    ).toEqual([
      `sub-1 ${TARGETS.contracts.monthly}/${TARGETS.services[0]!.serviceId} 5`,
      `sub-2 ${TARGETS.contracts.annual}/${TARGETS.services[1]!.serviceId} 2`,
    ]);
  });

  it('says what an expired contract concerns and how to fix it', () => {
    const term = validateCustomer(
      input({
        autotask: contract({ endDate: '2026-12-31' }),
        asOf: '2027-03-01',
        events: [created('2026-06-01', 5), quantity('2027-02-14', 5, 6)],
      }),
    );
    expect(term.findings.map((x) => x.code)).toEqual(['CONTRACT_EXPIRED']);
    expect(term.findings[0]).toMatchObject({
      subscriptionId: 'sub-1',
      productName: 'Microsoft 365 Business Premium',
    });
    expect(term.findings[0]!.message).toMatch(/ended on 2026-12-31.*2027-02-14/);
  });

  it('is not fooled into reporting drift when Autotask carries exactly what was pushed', () => {
    const lineKey = 'sub-1|100|11|22';
    const result = validateCustomer(
      input({
        events: [created('2026-01-05', 5)],
        ledger: {
          pushed: [
            {
              key: 'line:cust-1:100:11',
              subscriptionId: 'sub-1',
              lineKey,
              kind: 'create_line',
              effectiveDate: '2026-01-05',
              unitChange: 0,
            },
            {
              key: `adj:${lineKey}:2026-01-05`,
              subscriptionId: 'sub-1',
              lineKey,
              kind: 'adjust',
              effectiveDate: '2026-01-05',
              unitChange: 5,
            },
          ],
          knownLines: [{ lineKey, contractServiceId: 900 }],
        },
        autotask: snapshot({
          contractServices: [{ id: 900, contractID: 100, serviceID: 11 }],
          units: [
            {
              contractID: 100,
              serviceID: 11,
              contractServiceId: 900,
              startDate: '2026-01-01',
              endDate: '2026-01-04',
              units: 0,
            },
            {
              contractID: 100,
              serviceID: 11,
              contractServiceId: 900,
              startDate: '2026-01-05',
              endDate: '2026-01-31',
              units: 5,
            },
          ],
        }),
      }),
    );
    expect(result.findings.map((f) => f.code)).toEqual(['NOTHING_TO_UPLOAD']);
  });
});
