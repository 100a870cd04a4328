// Issue #20, must show 3: an Autotask client this project did not write drives the sandbox in its
// own spelling. @apigrate/autotask-restapi 2.x (a dev dependency) is pointed at the sandbox with
// its documented `base_url` option; it looks the zone up itself, sends PascalCase create bodies,
// lowercase `includeFields`, `Id` in filters, child routes for contract services and adjustments,
// and PATCH for updates. The sandbox's snapshot and write log show what happened.
import apigrate from '@apigrate/autotask-restapi';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { TEST_CREDENTIALS, smallSeed, startTestSandbox } from '../../helpers/autotaskSandbox.js';

const { AutotaskRestApi } = apigrate;
type Json = Record<string, unknown>;

describe('an independent client (@apigrate/autotask-restapi) against the sandbox', () => {
  let sandbox: RunningSandbox;
  let api: InstanceType<typeof AutotaskRestApi>;
  beforeAll(async () => {
    sandbox = await startTestSandbox(smallSeed());
    api = new AutotaskRestApi(
      TEST_CREDENTIALS.username,
      TEST_CREDENTIALS.secret,
      TEST_CREDENTIALS.integrationCode,
      {
        base_url: sandbox.baseUrl,
      },
    );
  });
  afterAll(() => sandbox.stop());

  it('looks the zone up itself, then queries with includeFields and an `Id` filter, counts and gets', async () => {
    const acme = await api.Companies.query({
      filter: [{ op: 'beginsWith', field: 'CompanyName', value: 'acme' }],
      includeFields: ['Id', 'companyName', 'City'],
    });
    expect(acme.items).toEqual([
      { id: 1, companyName: 'Acme Corporation, Inc.', city: null, userDefinedFields: [] },
    ]);
    expect(await api.Companies.count({ filter: [{ op: 'gte', field: 'Id', value: 0 }] })).toEqual({
      queryCount: 2,
    });
    const one = await api.Companies.get(2);
    expect(one?.item).toMatchObject({ id: 2, companyName: 'Northwind Traders Ltd', isActive: false });
    // the sandbox answers a missing id as Autotask's samples do; the library passes it through
    expect(await api.Companies.get(999)).toEqual({ item: null });
    expect(sandbox.controls.counters().byEndpoint['GET zoneInformation']).toBe(1);
  });

  it('reads entity information and the full field list', async () => {
    const { info } = await api.Contracts.info();
    expect(info).toMatchObject({ name: 'Contract', canQuery: true, canDelete: false });
    const { fields } = await api.Contracts.fieldInfo();
    const names = fields.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['contractName', 'contractType', 'contractCategory', 'setupFee']),
    );
    expect(fields.find((f) => f.name === 'contractType')).toMatchObject({
      isPickList: true,
      picklistValues: expect.arrayContaining([
        expect.objectContaining({ value: '7', label: 'Recurring Service' }),
      ]),
    });
  });

  it('creates a contract service and adjustments with PascalCase bodies, updates the line with PATCH and reads the units back', async () => {
    const created = await api.ContractServices.create(12, { ContractID: 12, ServiceID: 21, UnitPrice: 4 });
    const lineId = created.itemId!;
    expect(lineId).toEqual(expect.any(Number));
    const adjustment = await api.ContractServiceAdjustments.create(12, {
      ContractID: 12,
      ContractServiceID: lineId,
      EffectiveDate: '2026-03-01T00:00:00.000',
      UnitChange: 3,
    });
    expect(adjustment).toEqual({ itemId: null });
    await api.ContractServiceAdjustments.create(12, {
      ContractID: 12,
      ServiceID: 21,
      EffectiveDate: '2026-06-15',
      UnitChange: -1,
    });
    expect(
      await api.ContractServices.update(12, {
        id: lineId,
        adjustedPrice: 3.5,
        invoiceDescription: 'Exchange, discounted',
      }),
    ).toEqual({
      itemId: lineId,
    });

    const line = await api.ContractServices.get(lineId);
    expect(line?.item).toMatchObject({
      id: lineId,
      contractID: 12,
      serviceID: 21,
      unitPrice: 4,
      internalCurrencyAdjustedPrice: 3.5,
      invoiceDescription: 'Exchange, discounted',
    });
    const units = await api.ContractServiceUnits.query({
      filter: [{ op: 'eq', field: 'ContractServiceID', value: lineId }],
      includeFields: ['startDate', 'endDate', 'units'],
    });
    const inForce = (date: string) =>
      units.items.find(
        (r) => String(r.startDate) <= `${date}T00:00:00Z` && String(r.endDate) >= `${date}T00:00:00Z`,
      )?.units;
    expect([inForce('2026-03-01'), inForce('2026-06-14'), inForce('2026-06-15')]).toEqual([3, 3, 2]);

    const writes = sandbox.controls.snapshot().writeLog.map((w) => [w.route, w.status]);
    expect(writes).toEqual([
      ['POST Contracts/Services', 200],
      ['POST Contracts/ServiceAdjustments', 200],
      ['POST Contracts/ServiceAdjustments', 200],
      ['PATCH Contracts/Services', 200],
    ]);
  });

  it('pages with MaxRecords by POSTing the same body to nextPageUrl, as the vendor documents', async () => {
    const search = { filter: [{ op: 'exist', field: 'Id' }], maxRecords: 1 };
    const first = await api.Companies.query(search);
    expect(first.items.map((c) => c.id)).toEqual([1]);
    const ids = first.items.map((c) => c.id);
    let next = first.pageDetails.nextPageUrl;
    while (next) {
      // the library has no paging helper: follow the link the way its README's users do
      const res = await fetch(next, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ApiIntegrationcode: TEST_CREDENTIALS.integrationCode,
          UserName: TEST_CREDENTIALS.username,
          Secret: TEST_CREDENTIALS.secret,
        },
        body: JSON.stringify(search),
      });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: Json[]; pageDetails: { nextPageUrl: string | null } };
      ids.push(...page.items.map((c) => c.id));
      next = page.pageDetails.nextPageUrl;
    }
    expect(ids).toEqual([1, 2]);
  });
});
