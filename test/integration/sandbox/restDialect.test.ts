// Autotask's published REST dialect over real HTTP: body keys, operators and field names in any
// case, GET queries and counts with `search` (paged with GET), the contract child collections,
// updating a contract service with PATCH/PUT, and 405s that name the methods a path has.
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import type { SandboxSeedInput } from '../../../src/sandbox/sandboxSeed.js';
import { rawCall, smallSeed, startTestSandbox } from '../../helpers/autotaskSandbox.js';

interface Page {
  items: Record<string, unknown>[];
  pageDetails: { count: number; requestCount: number; nextPageUrl: string | null };
}
const page = (body: unknown) => body as Page;
const errorsOf = (body: unknown) => (body as { errors: string[] }).errors;

function seed(): SandboxSeedInput {
  const base = smallSeed();
  return {
    ...base,
    companies: [
      ...base.companies,
      { id: 3, companyName: 'Contoso Ltd' },
      { id: 4, companyName: 'Acme Holdings' },
      { id: 5, companyName: 'Fabrikam, Inc.' },
    ],
    contractServices: [
      { id: 30, contractID: 10, serviceID: 20, unitPrice: '12.50' },
      { id: 31, contractID: 12, serviceID: 21, unitPrice: '4.00', invoiceDescription: 'Exchange' },
    ],
    adjustments: [{ contractServiceID: 30, effectiveDate: '2026-01-15', unitChange: 5 }],
  };
}

describe('the Autotask REST dialect over HTTP', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => (sandbox = await startTestSandbox(seed())));
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.controls.reset());

  const lineOf = (id: number) => sandbox.controls.snapshot().contractServices.find((l) => l.id === id);

  describe('query bodies in any case', () => {
    it('reads Filter/Op/Field/Value, includeFields and maxRecords in any case and operators like EQ and beginswith', async () => {
      const res = await rawCall(sandbox, 'POST', 'Companies/query', {
        Filter: [{ Op: 'BEGINSWITH', Field: 'CompanyName', Value: 'acme' }],
        includeFields: ['companyName'],
        maxRecords: 1,
      });
      expect(res.status).toBe(200);
      expect(page(res.body).items).toEqual([
        { id: 1, companyName: 'Acme Corporation, Inc.', userDefinedFields: [] },
      ]);
      expect(page(res.body).pageDetails).toMatchObject({ count: 1, requestCount: 1 });
      expect(page(res.body).pageDetails.nextPageUrl).toContain('/V1.0/Companies/query/next?paging=');

      const grouped = await rawCall(sandbox, 'POST', 'Companies/query', {
        FILTER: [
          {
            OP: 'Or',
            ITEMS: [
              { op: 'EQ', field: 'id', value: 2 },
              { Op: 'Contains', Field: 'companyname', Value: 'FABRIKAM' },
            ],
          },
        ],
        IncludeFields: ['ID'],
      });
      expect(grouped.status).toBe(200);
      expect(page(grouped.body).items).toEqual([
        { id: 2, userDefinedFields: [] },
        { id: 5, userDefinedFields: [] },
      ]);

      const count = await rawCall(sandbox, 'POST', 'Companies/query/count', {
        filter: [{ op: 'NotEq', field: 'IsActive', value: false }],
      });
      expect(count).toMatchObject({ status: 200, body: { queryCount: 4 } });
    });

    it('still refuses an operator Autotask does not have, naming it', async () => {
      const res = await rawCall(sandbox, 'POST', 'Companies/query', {
        filter: [{ op: 'like', field: 'companyName', value: 'a' }],
      });
      expect(res.status).toBe(500);
      expect(errorsOf(res.body).join(' ')).toContain('filter.0');
    });
  });

  describe('write bodies in any case', () => {
    it("takes the swagger's PascalCase on a contract service and on adjustments (child and root route)", async () => {
      const line = await rawCall(sandbox, 'POST', 'Contracts/12/Services', {
        ContractID: 12,
        ServiceID: 20,
        UnitPrice: 5,
        INVOICEDESCRIPTION: 'Basic',
      });
      expect(line.status).toBe(200);
      const lineId = (line.body as { itemId: number }).itemId;
      expect(lineOf(lineId)).toMatchObject({
        contractID: 12,
        serviceID: 20,
        unitPrice: 5,
        invoiceDescription: 'Basic',
      });

      const child = await rawCall(sandbox, 'POST', 'Contracts/12/ServiceAdjustments', {
        ContractID: 12,
        ContractServiceID: lineId,
        EffectiveDate: '2026-02-01',
        UnitChange: 3,
      });
      expect(child).toMatchObject({ status: 200, body: { itemId: null } });
      const root = await rawCall(sandbox, 'POST', 'ContractServiceAdjustments', {
        contractid: 12,
        serviceid: 20,
        effectivedate: '2026-03-01',
        unitchange: -1,
      });
      expect(root).toMatchObject({ status: 200, body: { itemId: null } });
      const adjustments = sandbox.controls
        .snapshot()
        .adjustments.filter((a) => a.contractServiceID === lineId);
      expect(adjustments.map((a) => [a.effectiveDate, a.unitChange])).toEqual([
        ['2026-02-01', 3],
        ['2026-03-01', -1],
      ]);
    });

    it('refuses a body naming a field the entity does not have with 500 naming it, writes nothing and logs the refusal', async () => {
      const before = sandbox.controls.snapshot().contractServices.length;
      const res = await rawCall(sandbox, 'POST', 'Contracts/12/Services', {
        ContractID: 12,
        ServiceID: 20,
        UnitPrice: 5,
        Colour: 'red',
      });
      expect(res.status).toBe(500);
      expect(errorsOf(res.body)).toEqual([
        'Unable to find Colour in the ContractService Entity: the body names a field the entity does not have (see entityInformation/fields).',
      ]);
      const after = sandbox.controls.snapshot();
      expect(after.contractServices).toHaveLength(before);
      expect(after.writeLog.at(-1)).toMatchObject({ route: 'POST Contracts/Services', status: 500 });

      const adjustment = await rawCall(sandbox, 'POST', 'Contracts/10/ServiceAdjustments', {
        contractServiceID: 30,
        effectiveDate: '2026-02-01',
        unitChange: 1,
        units: 6,
      });
      expect(adjustment.status).toBe(500);
      expect(errorsOf(adjustment.body)[0]).toContain(
        'Unable to find units in the ContractServiceAdjustment Entity',
      );
    });
  });

  describe('GET queries with search', () => {
    it('queries with ?search=, pages with GET on the nextPageUrl (which carries the search) and counts', async () => {
      const search = JSON.stringify({
        Filter: [{ op: 'exist', field: 'id' }],
        IncludeFields: ['companyName'],
        MaxRecords: 2,
      });
      const first = await rawCall(sandbox, 'GET', `Companies/query?search=${encodeURIComponent(search)}`);
      expect(first.status).toBe(200);
      expect(page(first.body).items.map((i) => i.id)).toEqual([1, 2]);
      expect(Object.keys(page(first.body).items[0]!)).toEqual(['id', 'companyName', 'userDefinedFields']);
      const ids: unknown[] = page(first.body).items.map((i) => i.id);
      let next = page(first.body).pageDetails.nextPageUrl;
      let pages = 1;
      while (next) {
        expect(next).toContain('&search=');
        const got = await rawCall(sandbox, 'GET', next);
        expect(got.status).toBe(200);
        ids.push(...page(got.body).items.map((i) => i.id));
        expect(Object.keys(page(got.body).items[0]!)).toEqual(['id', 'companyName', 'userDefinedFields']);
        next = page(got.body).pageDetails.nextPageUrl;
        pages++;
      }
      expect(ids).toEqual([1, 2, 3, 4, 5]);
      expect(pages).toBe(3);

      const count = await rawCall(
        sandbox,
        'GET',
        `Companies/query/count?search=${encodeURIComponent('{"filter":[{"op":"beginsWith","field":"companyName","value":"Acme"}]}')}`,
      );
      expect(count).toMatchObject({ status: 200, body: { queryCount: 2 } });
    });

    it('answers a missing or unreadable search with 500 and an errors text', async () => {
      for (const path of ['Companies/query', 'Companies/query/count', 'Companies/query?search=']) {
        const res = await rawCall(sandbox, 'GET', path);
        expect(res.status).toBe(500);
        expect(errorsOf(res.body)[0]).toContain('The search parameter is required');
      }
      const broken = await rawCall(sandbox, 'GET', 'Companies/query?search=%7Bfilter');
      expect(broken.status).toBe(500);
      expect(errorsOf(broken.body)).toEqual([
        'The search parameter is not valid JSON: send the query body as URL-encoded JSON.',
      ]);
      const noFilter = await rawCall(
        sandbox,
        'GET',
        `Companies/query?search=${encodeURIComponent('{"filter":[]}')}`,
      );
      expect(noFilter.status).toBe(500);
      expect(errorsOf(noFilter.body)[0]).toContain('A filter is required');
    });
  });

  describe('contract child collections', () => {
    it('lists a contract’s services and service units, and gets one of them, like the vendor', async () => {
      const services = await rawCall(sandbox, 'GET', 'Contracts/10/Services');
      expect(services.status).toBe(200);
      expect(page(services.body).items).toEqual([
        expect.objectContaining({ id: 30, contractID: 10, serviceID: 20 }),
      ]);
      expect(page(services.body).pageDetails).toMatchObject({ count: 1, nextPageUrl: null });

      const units = await rawCall(sandbox, 'GET', 'contracts/10/serviceunits');
      expect(units.status).toBe(200);
      const rows = page(units.body).items;
      expect(rows.length).toBe(4); // four monthly periods from 2026-01-15 to 2026-05-14
      expect(rows.every((r) => r.contractID === 10 && r.contractServiceID === 30 && r.units === 5)).toBe(
        true,
      );

      const one = await rawCall(sandbox, 'GET', 'Contracts/12/Services/31');
      expect(one).toMatchObject({ status: 200, body: { item: { id: 31, invoiceDescription: 'Exchange' } } });
      const unit = await rawCall(sandbox, 'GET', `Contracts/10/ServiceUnits/${String(rows[0]!.id)}`);
      expect(unit).toMatchObject({ status: 200, body: { item: { id: rows[0]!.id, units: 5 } } });
      // a row of another contract is not a child of this one
      expect(await rawCall(sandbox, 'GET', 'Contracts/10/Services/31')).toMatchObject({
        status: 200,
        body: { item: null },
      });
    });

    it('answers 405 naming POST to a GET of a contract’s adjustments (create-only)', async () => {
      const res = await rawCall(sandbox, 'GET', 'Contracts/10/ServiceAdjustments');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.body).toEqual({
        Message: "The requested resource does not support http method 'GET'. It supports POST.",
      });
    });
  });

  describe('updating a contract service', () => {
    it('PATCH changes only the fields sent; the read answers the adjusted price', async () => {
      const res = await rawCall(sandbox, 'PATCH', 'Contracts/12/Services', { id: 31, AdjustedPrice: 3.5 });
      expect(res).toMatchObject({ status: 200, body: { itemId: 31 } });
      const read = await rawCall(sandbox, 'GET', 'ContractServices/31');
      expect(read.body).toMatchObject({
        item: { id: 31, unitPrice: 4, internalCurrencyAdjustedPrice: 3.5, invoiceDescription: 'Exchange' },
      });
      expect(sandbox.controls.snapshot().writeLog.at(-1)).toMatchObject({
        route: 'PATCH Contracts/Services',
        status: 200,
        itemId: 31,
      });
    });

    it('PUT sets the updatable fields not sent to null; read-only fields may be sent as they are', async () => {
      await rawCall(sandbox, 'PATCH', 'Contracts/12/Services', { id: 31, adjustedPrice: 3.5 });
      const res = await rawCall(sandbox, 'PUT', 'Contracts/12/Services', {
        id: 31,
        contractID: 12,
        serviceID: 21,
        unitPrice: 4,
        invoiceDescription: 'Exchange Online',
      });
      expect(res).toMatchObject({ status: 200, body: { itemId: 31 } });
      expect(lineOf(31)).toMatchObject({
        invoiceDescription: 'Exchange Online',
        internalCurrencyAdjustedPrice: 4, // adjustedPrice is null again: the unit price applies
      });
      expect(sandbox.controls.snapshot().writeLog.at(-1)).toMatchObject({ route: 'PUT Contracts/Services' });
    });

    it('refuses to change any other field, naming it, and changes nothing', async () => {
      const res = await rawCall(sandbox, 'PATCH', 'Contracts/12/Services', {
        id: 31,
        unitPrice: 9,
        invoiceDescription: 'new',
      });
      expect(res.status).toBe(500);
      expect(errorsOf(res.body)).toEqual([
        'Field unitPrice cannot be updated: only adjustedPrice and invoiceDescription of a ContractService can be changed.',
      ]);
      expect(lineOf(31)).toMatchObject({ unitPrice: 4, invoiceDescription: 'Exchange' });
    });

    it('refuses a line of another contract (500), an unknown contract (404) and a body without id', async () => {
      const other = await rawCall(sandbox, 'PATCH', 'Contracts/10/Services', { id: 31, adjustedPrice: 1 });
      expect(other.status).toBe(500);
      expect(errorsOf(other.body)).toEqual(['Value 31 does not exist for the field id on Contract 10.']);
      const missing = await rawCall(sandbox, 'PATCH', 'Contracts/999/Services', { id: 31, adjustedPrice: 1 });
      expect(missing.status).toBe(404);
      const noId = await rawCall(sandbox, 'PUT', 'Contracts/12/Services', { adjustedPrice: 1 });
      expect(noId.status).toBe(500);
      expect(errorsOf(noId.body)).toEqual(['Required field id is missing.']);
      expect(lineOf(31)).toMatchObject({ internalCurrencyAdjustedPrice: 4 });
    });
  });

  describe('405s and paths', () => {
    it.each([
      ['DELETE', 'Contracts/10/Services', 'GET, PUT, POST, PATCH'],
      ['POST', 'Contracts/10/ServiceUnits', 'GET'],
      ['PATCH', 'Contracts/10/ServiceAdjustments', 'POST'],
      ['GET', 'ContractServiceAdjustments', 'POST'],
      ['PUT', 'ContractServiceAdjustments', 'POST'],
      ['PATCH', 'Companies/1', 'GET'],
      ['DELETE', 'Companies/query', 'GET, POST'],
      ['PUT', 'Contracts/10/Services/30', 'GET'],
      ['POST', 'ThresholdInformation', 'GET'],
    ] as const)('%s %s answers 405 with Allow: %s', async (method, path, allow) => {
      const res = await rawCall(
        sandbox,
        method,
        path,
        method === 'GET' || method === 'DELETE' ? undefined : {},
      );
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.body).toEqual({
        Message: `The requested resource does not support http method '${method}'. It supports ${allow}.`,
      });
    });

    it('answers 404 for a root ContractServices write (the swagger has no such path) and 501 for a documented route it does not model', async () => {
      const root = await rawCall(sandbox, 'PATCH', 'ContractServices', { id: 30, adjustedPrice: 1 });
      expect(root.status).toBe(404);
      expect(root.text).toContain('The resource cannot be found.');
      const company = await rawCall(sandbox, 'POST', 'Companies', { companyName: 'New' });
      expect(company.status).toBe(501);
      expect(errorsOf(company.body)[0]).toContain('does not model POST Companies');
    });

    it('matches the version segment and entity names in any case', async () => {
      for (const version of ['v1.0', 'V1.0']) {
        const res = await rawCall(
          sandbox,
          'POST',
          `${sandbox.url}/ATServicesRest/${version}/companies/QUERY/Count`,
          { filter: [{ op: 'exist', field: 'id' }] },
        );
        expect(res).toMatchObject({ status: 200, body: { queryCount: 5 } });
      }
      expect(sandbox.controls.counters().byEndpoint['POST Companies/query/count']).toBe(2);
    });
  });
});
