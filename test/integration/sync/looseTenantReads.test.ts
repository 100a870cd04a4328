// Issue #20 point 4, end to end: what validation reads (readAutotaskSnapshots) and what the
// upload reads back (the gateway's units timeline), over real HTTP to a tenant that leaves
// ContractServiceUnits.contractServiceID empty, isActive null, and adds fields of its own.
import { clientAutotaskGateway } from '../../../src/sync/clientAutotaskGateway.js';
import { readAutotaskSnapshots, type SnapshotRequest } from '../../../src/sync/readAutotaskState.js';
import { clientForLooseTenant, page, startLooseTenant, type LooseTenant } from '../../helpers/looseTenant.js';

const company = {
  id: 1,
  companyName: 'Acme Corporation, Inc.',
  isActive: null,
  userDefinedFields: [{ name: 'Billing Region', value: 'EMEA' }],
};
const contract = {
  id: 10,
  companyID: 1,
  contractName: 'Acme monthly',
  contractType: 7,
  contractPeriodType: 2,
  status: 1,
  startDate: '2026-01-01T00:00:00Z',
  endDate: '2026-12-31T00:00:00Z',
  userDefinedFields: [],
};
const service = {
  id: 20,
  name: 'Microsoft 365 Business Basic',
  isActive: null,
  unitPrice: 12.5,
  periodType: 2,
};
// two lines of service 20 (503 a repeat line) and one of service 21
const lines = [
  { id: 503, contractID: 10, serviceID: 20, unitPrice: 12.5, adjustedPrice: null },
  { id: 501, contractID: 10, serviceID: 20, unitPrice: 12.5, adjustedPrice: null },
  { id: 502, contractID: 10, serviceID: 21, unitPrice: 4, adjustedPrice: null },
];
const units = (contractServiceID: number | null | undefined, id: number, serviceID: number, n: number) => ({
  id,
  contractID: 10,
  ...(contractServiceID === undefined ? {} : { contractServiceID }),
  serviceID,
  startDate: '2026-03-01T00:00:00Z',
  endDate: '2026-03-31T00:00:00Z',
  units: n,
  price: 12.5 * n,
  approveAndPostDate: null,
  organizationalLevelAssociationID: 7, // a field the bot does not read
});
const unitRows = [
  units(undefined, 1, 20, 5), // no contractServiceID at all → the base line 501
  units(503, 2, 20, 3), // names its repeat line
  units(null, 3, 21, 2), // null → the only line of service 21, 502
  units(null, 4, 99, 9), // a service with no line on the contract → left out
];

const request: SnapshotRequest = {
  customerId: 'cust-1',
  targets: {
    companyId: 1,
    contracts: { monthly: 10, annual: null },
    services: [
      { productName: 'Microsoft 365 Business Basic', billingCycle: 'monthly', serviceId: 20 },
      { productName: 'Exchange Online Plan 1', billingCycle: 'monthly', serviceId: 21 },
    ],
  },
};

const queriesOf = (tenant: LooseTenant, entity: string) =>
  tenant.requests.filter((r) => r.method === 'POST' && r.path === `/ATServicesRest/V1.0/${entity}/query`);

describe('reading a loose tenant', () => {
  let tenant: LooseTenant;
  beforeEach(async () => {
    tenant = await startLooseTenant();
    tenant.answer('GET Contracts/entityInformation/fields', { json: { fields: [] } });
    tenant.answer('GET Services/entityInformation/fields', { json: { fields: [] } });
    tenant.answer('POST Companies/query', page([company]));
    tenant.answer('POST Contracts/query', page([contract]));
    tenant.answer(
      'POST Services/query',
      page([service, { ...service, id: 21, name: 'Exchange Online Plan 1' }]),
    );
    tenant.answer('POST ContractServices/query', page(lines));
    tenant.answer('POST ContractServiceUnits/query', page(unitRows));
  });
  afterEach(() => tenant.close());

  it('validation reads each units row on its line: by contractServiceID, else the oldest line of its service', async () => {
    const snapshot = (await readAutotaskSnapshots(clientForLooseTenant(tenant), [request])).get('cust-1');
    expect(snapshot?.connectivity).toEqual({ ok: true });
    expect(snapshot?.companies).toEqual([{ id: 1, companyName: company.companyName, isActive: true }]);
    expect(snapshot?.services.map((s) => [s.id, s.isActive])).toEqual([
      [20, true],
      [21, true],
    ]);
    expect(snapshot?.units.map((u) => [u.contractServiceId, u.serviceID, u.units])).toEqual([
      [501, 20, 5],
      [503, 20, 3],
      [502, 21, 2],
    ]);
    expect(snapshot?.units[0]).toEqual({
      contractServiceId: 501,
      contractID: 10,
      serviceID: 20,
      startDate: '2026-03-01',
      endDate: '2026-03-31',
      units: 5,
      approveAndPostDate: null,
    });
    // the units were asked for by contract and mapped service, in one query
    expect(queriesOf(tenant, 'ContractServiceUnits').map((r) => r.body)).toEqual([
      {
        filter: [
          { op: 'in', field: 'contractID', value: [10] },
          { op: 'in', field: 'serviceID', value: [20, 21] },
        ],
        MaxRecords: 500,
      },
    ]);
  });

  it('leaves out a company row it cannot read (the customer then has no company) but fails on an unreadable line', async () => {
    tenant.answer('POST Companies/query', page([{ ...company, companyName: 12345 }]));
    const snapshot = (await readAutotaskSnapshots(clientForLooseTenant(tenant), [request])).get('cust-1');
    expect(snapshot?.connectivity).toEqual({ ok: true });
    expect(snapshot?.companies).toEqual([]);
    expect(snapshot?.units.map((u) => u.contractServiceId)).toEqual([501, 503, 502]);

    tenant.answer(
      'POST ContractServices/query',
      page([...lines, { id: 504, contractID: 10, serviceID: 'x' }]),
    );
    const failed = (await readAutotaskSnapshots(clientForLooseTenant(tenant), [request])).get('cust-1');
    // a row problem, said as one: not "unreachable" with a hint about the network
    expect(failed?.connectivity).toEqual({
      ok: false,
      code: 'AUTOTASK_ROW_UNREADABLE',
      message: expect.stringContaining('a ContractServices row (id 504)') as string,
    });
    expect(failed?.units).toEqual([]);
  });

  it("the upload's units read-back attributes rows by line too, asking for the lines only when a row lacks one", async () => {
    const gateway = clientAutotaskGateway(clientForLooseTenant(tenant));
    const read = await gateway.contractServiceUnits([10]);
    expect(read.ok && read.value.map((u) => [u.contractServiceId, u.serviceId, u.units])).toEqual([
      [501, 20, 5],
      [503, 20, 3],
      [502, 21, 2],
    ]);
    expect(queriesOf(tenant, 'ContractServices').map((r) => r.body)).toEqual([
      { filter: [{ op: 'in', field: 'contractID', value: [10] }], MaxRecords: 500 },
    ]);

    tenant.answer('POST ContractServiceUnits/query', page([units(501, 1, 20, 5)]));
    const named = await gateway.contractServiceUnits([10]);
    expect(named.ok && named.value.map((u) => u.contractServiceId)).toEqual([501]);
    expect(queriesOf(tenant, 'ContractServices')).toHaveLength(1);
  });
});
