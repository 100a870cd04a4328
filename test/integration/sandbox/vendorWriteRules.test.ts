// Issue #20: the sandbox's writes ask what the vendor asks, no more and no less — unitPrice on a
// contract service is optional (the catalogue price is used), booleans must be literal true or
// false (null too is refused), and effective dates may be sent as the swagger's date-times.
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { rawCall, smallSeed, startTestSandbox } from '../../helpers/autotaskSandbox.js';

describe('sandbox writes follow the vendor description', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => (sandbox = await startTestSandbox(smallSeed())));
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.controls.reset());

  const line = async (serviceID: number) => {
    const res = await rawCall(sandbox, 'POST', 'ContractServices/query', {
      filter: [
        { op: 'eq', field: 'contractID', value: 12 },
        { op: 'eq', field: 'serviceID', value: serviceID },
      ],
    });
    return (res.body as { items: Record<string, unknown>[] }).items;
  };

  it('creates a contract service without unitPrice at the catalogue price', async () => {
    const res = await rawCall(sandbox, 'POST', 'Contracts/12/Services', { contractID: 12, serviceID: 20 });
    expect(res.status).toBe(200);
    const [row] = await line(20);
    expect(row).toMatchObject({ id: (res.body as { itemId: number }).itemId, unitPrice: 12.5, unitCost: 10 });
  });

  it('refuses null, "true" and 1 for a boolean, naming the field, and writes nothing', async () => {
    for (const value of [null, 'true', 1]) {
      const res = await rawCall(sandbox, 'POST', 'Contracts/12/ServiceAdjustments', {
        contractID: 12,
        serviceID: 21,
        effectiveDate: '2026-03-01',
        unitChange: 1,
        allowRepeatService: value,
      });
      expect([value, res.status, res.body]).toEqual([
        value,
        500,
        { errors: ['Field allowRepeatService must be true or false.'] },
      ]);
    }
    expect(await line(21)).toEqual([]);
  });

  it.each([
    '2026-03-01T00:00:00Z',
    '2026-03-01T00:00:00.000Z',
    '2026-03-01T00:00:00',
    '2026-03-01T00:00:00+00:00',
  ])('takes an effective date sent as the date-time %s, keeping its calendar date', async (effectiveDate) => {
    const res = await rawCall(sandbox, 'POST', 'Contracts/12/ServiceAdjustments', {
      contractID: 12,
      serviceID: 21,
      effectiveDate,
      unitChange: 2,
    });
    expect(res.status).toBe(200);
    const [created] = await line(21);
    const units = await rawCall(sandbox, 'POST', 'ContractServiceUnits/query', {
      filter: [{ op: 'eq', field: 'contractServiceID', value: created!.id as number }],
    });
    const rows = (units.body as { items: { startDate: string; units: number }[] }).items;
    expect(rows.find((r) => r.units === 2)?.startDate).toBe('2026-03-01T00:00:00Z');
  });

  it.each(['2026-03-01 00:00', '01/03/2026', '2026-03-01Tnoon', '2026-02-30'])(
    'refuses an effective date that is not an ISO date or date-time (%s)',
    async (effectiveDate) => {
      const res = await rawCall(sandbox, 'POST', 'Contracts/12/ServiceAdjustments', {
        contractID: 12,
        serviceID: 21,
        effectiveDate,
        unitChange: 2,
      });
      expect([res.status, res.body]).toEqual([
        500,
        { errors: ['Required field effectiveDate is missing or is not a date.'] },
      ]);
    },
  );
});
