// "Must show" 1: every rule and error of the sandbox over real HTTP, each asserting the status
// and the text — and what the client makes of it (the AutotaskError code and whether it was
// re-sent).
import { AutotaskError } from '../../../src/autotask/autotaskError.js';
import { CompanySchema, ContractSchema, ContractServiceUnitSchema } from '../../../src/autotask/entities.js';
import { z } from 'zod';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import {
  TEST_CREDENTIALS,
  clientFor,
  rawCall,
  smallSeed,
  startTestSandbox,
} from '../../helpers/autotaskSandbox.js';

async function failure(promise: Promise<unknown>): Promise<AutotaskError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AutotaskError) return error;
    throw error;
  }
  throw new Error('expected an AutotaskError, but the call succeeded');
}

const ALL = [{ op: 'exist', field: 'id' }];

describe('Autotask sandbox rules over HTTP', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => (sandbox = await startTestSandbox(smallSeed())));
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.controls.reset());

  describe('zone lookup and credentials', () => {
    it('answers the zone for a known user and "Zone information could not be determined" (500) for an unknown one', async () => {
      const known = await rawCall(
        sandbox,
        'GET',
        `${sandbox.zoneUrl}zoneInformation?user=${TEST_CREDENTIALS.username}`,
      );
      expect(known.status).toBe(200);
      expect(known.body).toMatchObject({ url: sandbox.baseUrl });
      const unknown = await rawCall(
        sandbox,
        'GET',
        `${sandbox.zoneUrl}zoneInformation?user=nobody@example.com`,
      );
      expect(unknown.status).toBe(500);
      expect(unknown.body).toEqual({ errors: ['Zone information could not be determined'] });

      const error = await failure(clientFor(sandbox, { username: 'nobody@example.com' }).count('Companies'));
      expect(error.code).toBe('AUTOTASK_AUTH_UNKNOWN_USER');
      expect(error.hint).toContain('AUTOTASK_USERNAME');
    });

    it('looks the zone up once per user (cached for the process) and again after a 401', async () => {
      const own = await startTestSandbox(smallSeed());
      try {
        await clientFor(own).count('Companies');
        await clientFor(own).count('Contracts');
        expect(own.controls.counters().byEndpoint['GET zoneInformation']).toBe(1);
        await failure(clientFor(own, { secret: 'wrong' }).count('Companies'));
        await clientFor(own).count('Companies');
        // the 401 forgot the zone and explaining it looked again (and cached the fresh answer)
        expect(own.controls.counters().byEndpoint['GET zoneInformation']).toBe(2);
      } finally {
        await own.stop();
      }
    });

    it('refuses a wrong secret with 401 and the client names the secret', async () => {
      const res = await rawCall(sandbox, 'POST', 'Companies/query', { filter: ALL }, { Secret: 'wrong' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ Message: 'Authorization has been denied for this request.' });
      const error = await failure(clientFor(sandbox, { secret: 'wrong' }).count('Companies'));
      expect(error.code).toBe('AUTOTASK_AUTH_SECRET');
      expect(error.status).toBe(401);
      expect(error.hint).toContain('AUTOTASK_SECRET');
    });

    it('tells an unknown user from a wrong secret even when AUTOTASK_BASE_URL skips the zone lookup', async () => {
      const error = await failure(
        clientFor(sandbox, { username: 'typo@partner.example', baseUrl: sandbox.baseUrl }).count('Companies'),
      );
      expect(error.code).toBe('AUTOTASK_AUTH_UNKNOWN_USER');
    });

    it('refuses a wrong integration code with 500 "IntegrationCode is invalid." and the client names the code', async () => {
      const res = await rawCall(
        sandbox,
        'POST',
        'Companies/query',
        { filter: ALL },
        { ApiIntegrationCode: 'WRONG' },
      );
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ errors: ['IntegrationCode is invalid.'] });
      const client = clientFor(sandbox, { integrationCode: 'WRONG' });
      const error = await failure(client.count('Companies'));
      expect(error.code).toBe('AUTOTASK_AUTH_INTEGRATION_CODE');
      expect(error.hint).toContain('AUTOTASK_INTEGRATION_CODE');
      expect(client.requestStats().retries).toBe(0);
    });
  });

  describe('reading', () => {
    it('supports every operator, and/or groups, IncludeFields and /query/count', async () => {
      const client = clientFor(sandbox);
      const names = async (filter: unknown[]) =>
        (
          await client.query('Companies', CompanySchema, {
            filter: filter as never,
          })
        ).map((c) => c.companyName);
      expect(await names([{ op: 'eq', field: 'companyName', value: 'acme corporation, inc.' }])).toEqual([
        'Acme Corporation, Inc.',
      ]);
      expect(await names([{ op: 'noteq', field: 'id', value: 1 }])).toEqual(['Northwind Traders Ltd']);
      expect(await names([{ op: 'gt', field: 'id', value: 1 }])).toEqual(['Northwind Traders Ltd']);
      expect(await names([{ op: 'gte', field: 'id', value: 1 }])).toHaveLength(2);
      expect(await names([{ op: 'lt', field: 'id', value: 2 }])).toEqual(['Acme Corporation, Inc.']);
      expect(await names([{ op: 'lte', field: 'id', value: 2 }])).toHaveLength(2);
      expect(await names([{ op: 'beginsWith', field: 'companyName', value: 'NORTH' }])).toEqual([
        'Northwind Traders Ltd',
      ]);
      expect(await names([{ op: 'endsWith', field: 'companyName', value: 'inc.' }])).toEqual([
        'Acme Corporation, Inc.',
      ]);
      expect(await names([{ op: 'contains', field: 'companyName', value: 'TRADERS' }])).toEqual([
        'Northwind Traders Ltd',
      ]);
      expect(await names([{ op: 'notExist', field: 'companyNumber' }])).toHaveLength(2);
      expect(await names([{ op: 'in', field: 'id', value: [2, 3] }])).toEqual(['Northwind Traders Ltd']);
      expect(await names([{ op: 'notIn', field: 'id', value: [2, 3] }])).toEqual(['Acme Corporation, Inc.']);
      expect(
        await names([
          {
            op: 'or',
            items: [
              { op: 'eq', field: 'id', value: 2 },
              {
                op: 'and',
                items: [
                  { op: 'eq', field: 'isActive', value: true },
                  { op: 'exist', field: 'id' },
                ],
              },
            ],
          },
        ]),
      ).toHaveLength(2);
      // dates compare as dates whatever the time part
      const contracts = await client.query('Contracts', ContractSchema, {
        filter: [{ op: 'gte', field: 'startDate', value: '2026-01-15' }],
      });
      expect(contracts.map((c) => c.id)).toEqual([10]);

      const slim = await client.query('Companies', z.looseObject({ id: z.number(), isActive: z.boolean() }), {
        includeFields: ['isActive'],
      });
      // Autotask answers the user-defined fields with every row, included or not
      expect(slim).toEqual([
        { id: 1, isActive: true, userDefinedFields: [] },
        { id: 2, isActive: false, userDefinedFields: [] },
      ]);
      expect(await client.count('Contracts', [{ op: 'eq', field: 'contractType', value: 7 }])).toBe(2);
    });

    it('reports a row missing a required field, naming the field', async () => {
      const error = await failure(
        clientFor(sandbox).query('Companies', CompanySchema, { includeFields: ['isActive'] }),
      );
      expect(error.code).toBe('AUTOTASK_ROW_UNREADABLE');
      expect(error.message).toContain('companyName');
    });

    it('refuses a query without a filter, an unknown field and MaxRecords above 500 (500 with errors)', async () => {
      const none = await rawCall(sandbox, 'POST', 'Companies/query', { filter: [] });
      expect(none.status).toBe(500);
      expect((none.body as { errors: string[] }).errors[0]).toContain('A filter is required');
      const unknown = await rawCall(sandbox, 'POST', 'Companies/query', {
        filter: [{ op: 'eq', field: 'colour', value: 'red' }],
      });
      expect(unknown.status).toBe(500);
      expect(unknown.body).toEqual({ errors: ['Unable to find colour in the Company Entity.'] });
      const tooMany = await rawCall(sandbox, 'POST', 'Companies/query', { filter: ALL, MaxRecords: 501 });
      expect(tooMany.status).toBe(500);
      expect(tooMany.body).toEqual({ errors: ['MaxRecords must be between 1 and 500.'] });
    });

    it("answers 405 naming POST to a GET on a POST query's nextPageUrl, and serves the POST", async () => {
      const page = await rawCall(sandbox, 'POST', 'Companies/query', { filter: ALL, MaxRecords: 1 });
      const next = (page.body as { pageDetails: { nextPageUrl: string } }).pageDetails.nextPageUrl;
      expect(next).toContain('/V1.0/Companies/query/next?paging=');
      const got = await rawCall(sandbox, 'GET', next);
      expect(got.status).toBe(405);
      expect(got.headers.get('allow')).toBe('POST');
      expect(got.body).toEqual({
        Message: "The requested resource does not support http method 'GET'. It supports POST.",
      });
      const posted = await rawCall(sandbox, 'POST', next, { filter: ALL, MaxRecords: 1 });
      expect(posted.status).toBe(200);
      expect((posted.body as { items: { id: number }[] }).items.map((i) => i.id)).toEqual([2]);
    });

    it('gets by id, and the client turns {item: null} and unknown routes into AUTOTASK_NOT_FOUND', async () => {
      const client = clientFor(sandbox);
      expect((await client.get('Companies', CompanySchema, 2)).companyName).toBe('Northwind Traders Ltd');
      const missing = await rawCall(sandbox, 'GET', 'Companies/999');
      expect(missing).toMatchObject({ status: 200, body: { item: null } });
      expect((await failure(client.get('Companies', CompanySchema, 999))).code).toBe('AUTOTASK_NOT_FOUND');
      const route = await rawCall(sandbox, 'GET', 'Widgets/1');
      expect(route.status).toBe(404);
      expect(route.text).toContain('The resource cannot be found.');
    });

    it('serves picklists from entityInformation/fields and the client reads them by label', async () => {
      const fields = await rawCall(sandbox, 'GET', 'Contracts/entityInformation/fields');
      expect(fields.status).toBe(200);
      const contractType = (
        fields.body as { fields: { name: string; picklistValues: unknown[] }[] }
      ).fields.find((f) => f.name === 'contractType');
      expect(contractType?.picklistValues).toContainEqual(
        expect.objectContaining({ value: '7', label: 'Recurring Service', isActive: true }),
      );
      expect(await clientFor(sandbox).picklists()).toEqual({
        contractType: { recurringService: 7 },
        contractPeriodType: { monthly: 2, quarterly: 3, semiAnnual: 4, yearly: 5 },
        contractStatus: { active: 1 },
        servicePeriodType: { monthly: 2, quarterly: 3, semiAnnual: 4, yearly: 5 },
      });
      const info = await rawCall(sandbox, 'GET', 'ContractServiceAdjustments/entityInformation');
      expect(info.body).toMatchObject({ info: { canCreate: true, canQuery: false } });
      const query = await rawCall(sandbox, 'POST', 'ContractServiceAdjustments/query', { filter: ALL });
      expect(query.status).toBe(405);
      expect(query.body).toEqual({ errors: ['ContractServiceAdjustments cannot be queried.'] });
    });
  });

  it('reads picklist numbers from the tenant, not from the defaults', async () => {
    const seed = smallSeed();
    const tenant = await startTestSandbox({
      ...seed,
      picklists: {
        contractType: [{ value: 17, label: 'Recurring Service', isActive: true }],
        contractPeriodType: [
          { value: 21, label: 'Monthly', isActive: true },
          { value: 23, label: 'Quarterly', isActive: true },
          { value: 25, label: 'Yearly', isActive: true },
        ],
        contractStatus: [{ value: 9, label: 'Active', isActive: true }],
        companyType: [{ value: 1, label: 'Customer', isActive: true }],
        servicePeriodType: [{ value: 21, label: 'Monthly', isActive: true }],
      },
      contracts: [{ ...seed.contracts![0]!, contractType: 17, contractPeriodType: 21, status: 9 }],
    });
    try {
      const client = clientFor(tenant);
      const reading = await client.picklistsWithFallbacks();
      expect(reading.picklists).toEqual({
        contractType: { recurringService: 17 },
        contractPeriodType: { monthly: 21, quarterly: 23, semiAnnual: 4, yearly: 25 },
        contractStatus: { active: 9 },
        // the service period type is read from Services' own fields, by label as well
        servicePeriodType: { monthly: 21, quarterly: 3, semiAnnual: 4, yearly: 5 },
      });
      expect(reading.fallbacks).toEqual([
        'contractPeriodType.semiAnnual',
        'servicePeriodType.quarterly',
        'servicePeriodType.semiAnnual',
        'servicePeriodType.yearly',
      ]);
      // the sandbox itself judges "Recurring Service" by the tenant's picklist
      expect(
        await client.createContractServiceAdjustment(10, {
          serviceID: 20,
          effectiveDate: '2026-02-01',
          unitChange: 1,
        }),
      ).toBeNull();
    } finally {
      await tenant.stop();
    }
  });

  describe('writing', () => {
    it('creates a line through the child route, refuses a repeat POST of the service, and answers an adjustment with {itemId: null}', async () => {
      const client = clientFor(sandbox);
      const lineId = await client.createContractService(12, { serviceID: 21, unitPrice: 4 });
      expect(lineId).toBeGreaterThan(0);
      const again = await rawCall(sandbox, 'POST', 'Contracts/12/Services', {
        contractID: 12,
        serviceID: 21,
        unitPrice: 4,
      });
      expect(again.status).toBe(500);
      expect(again.body).toEqual({
        errors: [
          'The Service referenced by serviceID is already on this Contract; use a ContractServiceAdjustment with allowRepeatService to add a second line.',
        ],
      });
      expect(
        await client.createContractServiceAdjustment(12, {
          contractServiceID: lineId,
          effectiveDate: '2026-03-01',
          unitChange: 4,
        }),
      ).toBeNull();
      // a repeat line for the same service at a new price
      await client.createContractServiceAdjustment(12, {
        serviceID: 21,
        effectiveDate: '2026-03-01',
        unitChange: 4,
        adjustedUnitPrice: 5,
        allowRepeatService: true,
      });
      const lines = sandbox.controls.snapshot().contractServices.filter((l) => l.contractID === 12);
      expect(lines.map((l) => l.unitPrice)).toEqual([4, 5]);
    });

    it('auto-creates the line when an adjustment names a service not yet on the contract', async () => {
      await clientFor(sandbox).createContractServiceAdjustment(12, {
        serviceID: 20,
        effectiveDate: '2026-02-01',
        unitChange: 3,
      });
      const units = await clientFor(sandbox).query('ContractServiceUnits', ContractServiceUnitSchema, {
        filter: [{ op: 'eq', field: 'serviceID', value: 20 }],
      });
      expect(units[0]).toMatchObject({ startDate: '2026-02-01', units: 3 });
    });

    it("refuses an effective date outside the contract (500 with Autotask's text), never re-sent", async () => {
      const res = await rawCall(sandbox, 'POST', 'Contracts/10/ServiceAdjustments', {
        contractID: 10,
        serviceID: 20,
        effectiveDate: '2026-05-15',
        unitChange: 1,
      });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        errors: [
          'ContractServiceAdjustment effectiveDate must be between the start date and end date of the Contract referenced by contractID.',
        ],
      });
      const client = clientFor(sandbox);
      const error = await failure(
        client.createContractServiceAdjustment(10, {
          serviceID: 20,
          effectiveDate: '2026-01-14',
          unitChange: 1,
        }),
      );
      expect(error.code).toBe('AUTOTASK_BUSINESS_RULE');
      expect(error.autotaskMessages).toEqual([
        'ContractServiceAdjustment effectiveDate must be between the start date and end date of the Contract referenced by contractID.',
      ]);
      expect(client.requestStats().byEndpoint['POST Contracts/ServiceAdjustments']).toBe(1);
      expect(client.requestStats().retries).toBe(0);
    });

    it('checks a write before sending it: a bad date or a mismatched contract sends nothing', async () => {
      const client = clientFor(sandbox);
      const badDate = await failure(
        client.createContractServiceAdjustment(10, {
          serviceID: 20,
          effectiveDate: '1/2/2026',
          unitChange: 1,
        }),
      );
      expect(badDate.code).toBe('AUTOTASK_UNEXPECTED');
      expect(badDate.message).toContain('effectiveDate');
      const mismatch = await failure(
        client.createContractService(10, { contractID: 12, serviceID: 20, unitPrice: 1 }),
      );
      expect(mismatch.message).toContain('nothing was sent');
      expect(sandbox.controls.writeLog()).toEqual([]);
    });

    it('refuses two adjustments on one line on one date', async () => {
      const body = { contractID: 10, serviceID: 20, effectiveDate: '2026-02-01', unitChange: 2 };
      expect((await rawCall(sandbox, 'POST', 'Contracts/10/ServiceAdjustments', body)).status).toBe(200);
      const second = await rawCall(sandbox, 'POST', 'Contracts/10/ServiceAdjustments', {
        ...body,
        unitChange: 1,
      });
      expect(second.status).toBe(500);
      expect(second.body).toEqual({
        errors: ['Attempt to insert duplicate data into contract_service_period'],
      });
      // the root route exists too and follows the same rule
      const root = await rawCall(sandbox, 'POST', 'ContractServiceAdjustments', { ...body, unitChange: 1 });
      expect(root.status).toBe(500);
      expect(root.body).toEqual({
        errors: ['Attempt to insert duplicate data into contract_service_period'],
      });
    });

    it('refuses a contract that is not Recurring Service', async () => {
      const res = await rawCall(sandbox, 'POST', 'Contracts/11/ServiceAdjustments', {
        contractID: 11,
        serviceID: 20,
        effectiveDate: '2026-02-01',
        unitChange: 1,
      });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        errors: [
          'Contract services and adjustments can only be added to a Contract of type Recurring Service.',
        ],
      });
      const line = await rawCall(sandbox, 'POST', 'Contracts/11/Services', {
        contractID: 11,
        serviceID: 20,
        unitPrice: 1,
      });
      expect(line.status).toBe(500);
    });

    it('refuses an adjustment in a posted period, and posted periods have BillingItems', async () => {
      const client = clientFor(sandbox);
      await client.createContractServiceAdjustment(10, {
        serviceID: 20,
        effectiveDate: '2026-01-15',
        unitChange: 2,
      });
      sandbox.controls.postPeriodsThrough('2026-02-14');
      const res = await rawCall(sandbox, 'POST', 'Contracts/10/ServiceAdjustments', {
        contractID: 10,
        serviceID: 20,
        effectiveDate: '2026-02-10',
        unitChange: 1,
      });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        errors: [
          'ContractServiceAdjustment effectiveDate falls in a billing period that has already been approved and posted.',
        ],
      });
      // the next period is still open
      expect(
        await client.createContractServiceAdjustment(10, {
          serviceID: 20,
          effectiveDate: '2026-02-15',
          unitChange: 1,
        }),
      ).toBeNull();
      const billing = await rawCall(sandbox, 'POST', 'BillingItems/query', { filter: ALL });
      expect((billing.body as { items: unknown[] }).items).toEqual([
        expect.objectContaining({
          contractID: 10,
          quantity: 2,
          totalAmount: 25,
          itemDate: '2026-01-15T00:00:00Z',
        }),
      ]);
    });

    it('wants literal booleans and whole-number units', async () => {
      const res = await rawCall(sandbox, 'POST', 'Contracts/10/ServiceAdjustments', {
        contractID: 10,
        serviceID: 20,
        effectiveDate: '2026-02-01',
        unitChange: 1.5,
        allowRepeatService: 'true',
      });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        errors: [
          'Field allowRepeatService must be true or false.',
          'Field unitChange must be a whole number.',
        ],
      });
    });
  });

  describe('limits', () => {
    it('answers 429 with the thread threshold text to a 4th concurrent request on one endpoint', async () => {
      sandbox.controls.setLatency(300);
      const answers = await Promise.all(
        [1, 2, 3, 4].map(() => rawCall(sandbox, 'POST', 'Companies/query', { filter: ALL })),
      );
      const refused = answers.filter((a) => a.status === 429);
      expect(refused).toHaveLength(1);
      expect((refused[0]!.body as { errors: string[] }).errors[0]).toContain(
        'thread threshold of 3 threads has been exceeded',
      );
      expect(sandbox.controls.counters().threadLimitRefusals).toBe(1);
    });

    it('slows requests from 50 % and 75 % of the hourly threshold and refuses at 100 % with Retry-After', async () => {
      sandbox.controls.setThreshold({ limit: 8, atHalfMs: 1, atThreeQuartersMs: 2 });
      for (let i = 0; i < 8; i++) expect((await rawCall(sandbox, 'GET', 'Companies/1')).status).toBe(200);
      expect(sandbox.controls.counters().budgetSlowed).toEqual({ atHalf: 2, atThreeQuarters: 3 });
      const refused = await rawCall(sandbox, 'GET', 'Companies/1');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        errors: [
          'API request threshold of 8 requests per hour has been exceeded. Retry after the current timeframe.',
        ],
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const error = await failure(
        clientFor(sandbox, { baseUrl: sandbox.baseUrl, budgetShare: 1 }).count('Companies'),
      );
      expect(error.code).toBe('AUTOTASK_HOURLY_LIMIT');
    });

    it('the client stops at its budget share instead of exhausting the database', async () => {
      sandbox.controls.setThreshold({ limit: 20, atHalfMs: 0, atThreeQuartersMs: 0 });
      // while over its share the client looks at ThresholdInformation every pollMs (each look
      // costs a request too, hence a poll far rarer than requests)
      const client = clientFor(sandbox, { budgetShare: 0.5, budget: { pollMs: 100, maxWaitMs: 250 } });
      let done = 0;
      const error = await failure(
        (async () => {
          for (let i = 0; i < 30; i++) {
            await client.count('Companies');
            done++;
          }
        })(),
      );
      expect(error.code).toBe('AUTOTASK_HOURLY_LIMIT');
      expect(error.message).toContain('share');
      // 10 = the share; +1 the ThresholdInformation read that found it used; +3 polls in 250 ms
      expect(sandbox.controls.counters().hourlyUsed).toBeLessThanOrEqual(10 + 1 + 3);
      expect(sandbox.controls.counters().byEndpoint['POST Companies/query/count']).toBeLessThanOrEqual(5);
      expect(sandbox.controls.counters().hourlyLimitRefusals).toBe(0);
      expect(done).toBeGreaterThan(0);
    });
  });

  describe('faults and what the client re-sends', () => {
    it('a write answered with 500 without errors, or a dropped connection after commit, is AUTOTASK_OUTCOME_UNKNOWN and not re-sent', async () => {
      const client = clientFor(sandbox);
      const adjustment = { serviceID: 20, effectiveDate: '2026-02-01', unitChange: 1 };
      sandbox.controls.setFaults({
        rate: 1,
        kinds: ['500'],
        endpoints: ['POST Contracts/ServiceAdjustments'],
      });
      const e500 = await failure(client.createContractServiceAdjustment(10, adjustment));
      expect(e500.code).toBe('AUTOTASK_OUTCOME_UNKNOWN');
      expect(e500.status).toBe(500);

      sandbox.controls.setFaults({
        rate: 1,
        kinds: ['commitThenDrop'],
        endpoints: ['POST Contracts/ServiceAdjustments'],
      });
      const dropped = await failure(client.createContractServiceAdjustment(10, adjustment));
      expect(dropped.code).toBe('AUTOTASK_OUTCOME_UNKNOWN');
      expect(client.requestStats().byEndpoint['POST Contracts/ServiceAdjustments']).toBe(2);
      expect(client.requestStats().retries).toBe(0);
      // the write did happen: the timeline shows it
      sandbox.controls.clearFaults();
      const units = await client.query('ContractServiceUnits', ContractServiceUnitSchema, {
        filter: [{ op: 'eq', field: 'contractID', value: 10 }],
      });
      expect(units[0]).toMatchObject({ startDate: '2026-02-01', units: 1 });
      expect(sandbox.controls.writeLog().map((w) => w.status)).toEqual([200]);
    });

    it('a write timing out is AUTOTASK_OUTCOME_UNKNOWN; a read timing out or getting 502 is retried', async () => {
      const client = clientFor(sandbox, { timeoutMs: 150 });
      sandbox.controls.setFaults({
        rate: 1,
        kinds: ['timeout'],
        endpoints: ['POST Contracts/ServiceAdjustments'],
      });
      const timedOut = await failure(
        client.createContractServiceAdjustment(10, {
          serviceID: 20,
          effectiveDate: '2026-02-01',
          unitChange: 1,
        }),
      );
      expect(timedOut.code).toBe('AUTOTASK_OUTCOME_UNKNOWN');
      expect(timedOut.message).toContain('No answer in time');

      sandbox.controls.setFaults({
        rate: 0.5,
        kinds: ['timeout', '502', '500'],
        endpoints: ['POST Companies/query'],
      });
      const rows = await client.query('Companies', CompanySchema);
      for (let i = 0; i < 5; i++) await client.query('Companies', CompanySchema);
      expect(rows).toHaveLength(2);
      const injected = sandbox.controls.counters().faultsInjected;
      const readFaults = (injected['502'] ?? 0) + (injected['500'] ?? 0) + (injected.timeout ?? 0) - 1;
      expect(readFaults).toBeGreaterThan(0);
      expect(client.requestStats().retries).toBe(readFaults);
    });

    it('a write refused by the thread limit (429, or its text with status 500) was not processed: re-sent until it goes through', async () => {
      const client = clientFor(sandbox);
      sandbox.controls.setFaults({
        rate: 0.5,
        kinds: ['429', 'threadLimit500'],
        endpoints: ['POST Contracts/ServiceAdjustments'],
      });
      const dates = ['2026-01-20', '2026-01-25', '2026-02-03', '2026-02-20', '2026-03-01', '2026-03-10'];
      for (const effectiveDate of dates)
        await client.createContractServiceAdjustment(10, { serviceID: 20, effectiveDate, unitChange: 1 });
      const injected = sandbox.controls.counters().faultsInjected;
      const refusals = (injected['429'] ?? 0) + (injected.threadLimit500 ?? 0);
      expect(refusals).toBeGreaterThan(0);
      expect(client.requestStats().retries).toBe(refusals);
      // each adjustment exists exactly once
      expect(sandbox.controls.snapshot().adjustments.map((a) => a.effectiveDate)).toEqual(dates);
    });

    it('a write to a server that refuses the connection was surely not sent: retried, then AUTOTASK_UNREACHABLE', async () => {
      const gone = await startTestSandbox(smallSeed());
      const client = clientFor(gone, {
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
        baseUrl: gone.baseUrl,
      });
      await gone.stop();
      const error = await failure(
        client.createContractServiceAdjustment(10, {
          serviceID: 20,
          effectiveDate: '2026-02-01',
          unitChange: 1,
        }),
      );
      expect(error.code).toBe('AUTOTASK_UNREACHABLE');
      expect(error.message).toContain('nothing was sent');
      expect(client.requestStats().retries).toBe(2);
    });

    it('the admin path reports counters and refuses bad settings with 400', async () => {
      await rawCall(sandbox, 'POST', 'Companies/query', { filter: ALL });
      const counters = (await fetch(`${sandbox.url}/_sandbox/counters`).then((r) => r.json())) as {
        byEndpoint: Record<string, number>;
      };
      expect(counters.byEndpoint['POST Companies/query']).toBe(1);
      const bad = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: '{"rate": 3}' });
      expect(bad.status).toBe(400);
      const ok = await fetch(`${sandbox.url}/_sandbox/post-periods`, {
        method: 'POST',
        body: JSON.stringify({ through: '2026-02-14' }),
      });
      expect(ok.status).toBe(200);
      expect(sandbox.controls.snapshot().postedThrough).toBe('2026-02-14');
    });

    it('the patch control changes a contract as an admin would, and refuses unknown entities, fields and ids', async () => {
      const patch = (body: unknown) =>
        fetch(`${sandbox.url}/_sandbox/patch`, { method: 'POST', body: JSON.stringify(body) }).then(
          async (r) => ({ status: r.status, body: (await r.json()) as { message?: string } }),
        );
      const adjust = () =>
        rawCall(sandbox, 'POST', 'Contracts/10/ServiceAdjustments', {
          contractID: 10,
          serviceID: 20,
          effectiveDate: '2026-04-01',
          unitChange: 1,
        });
      // the contract (2026-01-15 – 2026-05-14) is shortened: a change inside the old term is refused
      expect(await patch({ entity: 'Contracts', id: 10, fields: { endDate: '2026-03-31' } })).toEqual({
        status: 200,
        body: { ok: true },
      });
      const refused = await adjust();
      expect(refused.status).toBe(500);
      expect(JSON.stringify(refused.body)).toContain('effectiveDate must be between');
      const contract = await clientFor(sandbox).get('Contracts', ContractSchema, 10);
      expect(contract.endDate).toBe('2026-03-31');
      // and put back: the same change goes through
      expect((await patch({ entity: 'Contracts', id: 10, fields: { endDate: '2026-05-14' } })).status).toBe(
        200,
      );
      expect((await adjust()).status).toBe(200);

      const unknownEntity = await patch({ entity: 'ContractServices', id: 10, fields: { unitPrice: 1 } });
      expect(unknownEntity.status).toBe(400);
      expect(unknownEntity.body.message).toMatch(
        /^SANDBOX_PATCH_INVALID: entity: .*Contracts: contractName, status, startDate, endDate/,
      );
      const unknownField = await patch({ entity: 'Contracts', id: 10, fields: { contractType: 3 } });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.message).toMatch(/^SANDBOX_PATCH_INVALID: fields: .*contractType/);
      const badDate = await patch({ entity: 'Contracts', id: 10, fields: { endDate: '2026-02-30' } });
      expect(badDate.body.message).toMatch(/^SANDBOX_PATCH_INVALID: fields\.endDate: a date like/);
      const reversed = await patch({ entity: 'Contracts', id: 10, fields: { endDate: '2026-01-01' } });
      expect(reversed).toMatchObject({
        status: 400,
        body: { message: expect.stringContaining('before it starts') },
      });
      const missing = await patch({ entity: 'Contracts', id: 999, fields: { endDate: '2026-03-31' } });
      expect(missing).toMatchObject({
        status: 404,
        body: { message: expect.stringMatching(/^SANDBOX_PATCH_NOT_FOUND: Contracts 999 does not exist/) },
      });
      // refusals changed nothing
      expect((await clientFor(sandbox).get('Contracts', ContractSchema, 10)).endDate).toBe('2026-05-14');
    });
  });
});
