// Issue #20 point 4: the client is tolerant where the vendor is loose. Over real HTTP to a
// stand-in tenant answering vendor-shaped bodies: unknown fields pass through, a null isActive
// reads as active, one unreadable row is that row's problem (skipped when the caller allows it,
// AUTOTASK_ROW_UNREADABLE otherwise), and a GET of a missing id is "not found" whether it comes
// as 404 (HTML or JSON) or `{ item: null }`, without dropping the zone.
import { AutotaskError, isAutotaskError } from '../../../src/autotask/autotaskError.js';
import { CompanySchema, ServiceSchema } from '../../../src/autotask/entities.js';
import { TEST_CREDENTIALS } from '../../helpers/autotaskSandbox.js';
import { clientForLooseTenant, page, startLooseTenant, type LooseTenant } from '../../helpers/looseTenant.js';

const acme = {
  id: 1,
  companyName: 'Acme Corporation, Inc.',
  companyNumber: null,
  companyType: 1,
  isActive: true,
  // fields the bot does not read, as a real tenant sends them
  phone: '555-0100',
  webAddress: null,
  lastActivityDate: '2026-11-30T14:02:11.58Z',
  userDefinedFields: [
    { name: 'Billing Region', value: 'EMEA' },
    { name: 'Legacy ID', value: null },
  ],
};
const northwind = { id: 2, companyName: 'Northwind Traders Ltd', isActive: null, companyType: null };
const contoso = { id: 3, companyName: 'Contoso', isActive: false };

async function rejection(promise: Promise<unknown>): Promise<AutotaskError> {
  try {
    await promise;
  } catch (error) {
    if (isAutotaskError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to reject with an AutotaskError');
}

describe('the Autotask client over a loose tenant', () => {
  let tenant: LooseTenant;
  beforeEach(async () => (tenant = await startLooseTenant()));
  afterEach(() => tenant.close());

  it('passes fields it does not check through to the parsed rows, user-defined fields included', async () => {
    tenant.answer('POST Companies/query', page([acme]));
    const [company] = await clientForLooseTenant(tenant).query('Companies', CompanySchema);
    expect(company).toEqual({ ...acme, isActive: true });
    expect((company as Record<string, unknown>).userDefinedFields).toEqual(acme.userDefinedFields);
    // and it asked the way Autotask wants: POST …/V1.0/Companies/query with the three auth headers
    const query = tenant.requests.find((r) => r.path === '/ATServicesRest/V1.0/Companies/query');
    expect(query).toMatchObject({
      method: 'POST',
      headers: {
        username: TEST_CREDENTIALS.username,
        secret: TEST_CREDENTIALS.secret,
        apiintegrationcode: TEST_CREDENTIALS.integrationCode,
      },
      body: { MaxRecords: 500 },
    });
  });

  it('reads isActive null or absent as active, and only false as inactive (Companies and Services)', async () => {
    const { isActive: _dropped, ...noFlag } = { ...acme, id: 4 };
    tenant.answer('POST Companies/query', page([acme, northwind, contoso, noFlag]));
    tenant.answer(
      'POST Services/query',
      page([
        { id: 20, name: 'Microsoft 365 Business Basic', isActive: null, unitPrice: 12.5 },
        { id: 21, name: 'Exchange Online Plan 1', isActive: false, unitPrice: null },
      ]),
    );
    const client = clientForLooseTenant(tenant);
    const companies = await client.query('Companies', CompanySchema);
    expect(companies.map((c) => [c.id, c.isActive])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
    ]);
    const services = await client.query('Services', ServiceSchema);
    expect(services.map((s) => [s.id, s.isActive])).toEqual([
      [20, true],
      [21, false],
    ]);
  });

  describe('a row the schema cannot read', () => {
    const malformed = { id: 7, companyName: 12345, isActive: true };
    beforeEach(() => tenant.answer('POST Companies/query', page([acme, malformed, northwind])));

    it('is skipped and handed to onUnreadableRow as AUTOTASK_ROW_UNREADABLE naming entity, id and path', async () => {
      const unreadable: AutotaskError[] = [];
      const rows = await clientForLooseTenant(tenant).query('Companies', CompanySchema, {
        onUnreadableRow: (e) => unreadable.push(e),
      });
      expect(rows.map((r) => r.id)).toEqual([1, 2]);
      expect(unreadable).toHaveLength(1);
      expect(unreadable[0]!.code).toBe('AUTOTASK_ROW_UNREADABLE');
      expect(unreadable[0]!.message).toContain('a Companies row (id 7)');
      expect(unreadable[0]!.message).toMatch(/companyName: /);
      expect(unreadable[0]!.hint).toBeTruthy();
    });

    it('fails the query with AUTOTASK_ROW_UNREADABLE when the caller cannot do without it (queryIn too)', async () => {
      const client = clientForLooseTenant(tenant);
      const error = await rejection(client.query('Companies', CompanySchema));
      expect(error.code).toBe('AUTOTASK_ROW_UNREADABLE');
      expect(error.message).toContain('a Companies row (id 7)');
      expect(error.message).toMatch(/companyName: /);
      const viaIn = await rejection(client.queryIn('Companies', CompanySchema, 'id', [1, 2, 7]));
      expect(viaIn.code).toBe('AUTOTASK_ROW_UNREADABLE');
      // a row problem is not a transport problem: each query went out once, not retried
      expect(tenant.requests.filter((r) => /Companies\/query$/.test(r.path))).toHaveLength(2);
    });
  });

  describe('GET of an id Autotask does not have', () => {
    const answers = {
      '404 with an HTML body': {
        status: 404,
        html: '<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body><h2>404 - File or directory not found.</h2></body></html>',
      },
      '404 with a JSON body': { status: 404, json: { errors: ['No matching records found.'] } },
      '200 { item: null }': { json: { item: null } },
    } as const;

    it('is AUTOTASK_NOT_FOUND alike for a 404 (HTML or JSON) and { item: null }, and keeps the zone', async () => {
      const client = clientForLooseTenant(tenant);
      tenant.answer('GET Companies/1', { json: { item: acme } });
      expect((await client.get('Companies', CompanySchema, 1)).companyName).toBe(acme.companyName);
      expect(tenant.zoneLookups()).toBe(1);

      const errors: Record<string, AutotaskError> = {};
      for (const [name, reply] of Object.entries(answers)) {
        tenant.answer('GET Companies/999', reply);
        errors[name] = await rejection(client.get('Companies', CompanySchema, 999));
      }
      const seen = Object.values(errors).map((e) => ({ ...e.problem, endpoint: e.endpoint }));
      expect(seen[0]).toEqual({
        code: 'AUTOTASK_NOT_FOUND',
        message: 'Autotask has no Companies with id 999.',
        hint: expect.any(String) as string,
        endpoint: 'GET Companies',
      });
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[2]).toEqual(seen[0]);
      // each went out once (not retried) and none sent the client back to the zone lookup
      expect(tenant.requests.filter((r) => r.path === '/ATServicesRest/V1.0/Companies/999')).toHaveLength(3);
      expect(tenant.zoneLookups()).toBe(1);
      expect((await client.get('Companies', CompanySchema, 1)).id).toBe(1);
      expect(tenant.zoneLookups()).toBe(1);
    });

    it('while a 404 on a query still drops the zone, so the next request looks it up afresh', async () => {
      const client = clientForLooseTenant(tenant);
      tenant.answer('GET Companies/1', { json: { item: acme } });
      await client.get('Companies', CompanySchema, 1);
      expect(tenant.zoneLookups()).toBe(1);
      tenant.answer('POST Companies/query', answers['404 with an HTML body']);
      const error = await rejection(client.query('Companies', CompanySchema));
      expect(error.code).toBe('AUTOTASK_NOT_FOUND');
      expect(error.status).toBe(404);
      expect(tenant.zoneLookups()).toBe(1);
      await client.get('Companies', CompanySchema, 1);
      expect(tenant.zoneLookups()).toBe(2);
    });
  });
});
