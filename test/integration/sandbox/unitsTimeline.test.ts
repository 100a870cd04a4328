// "Must show" 3: the ContractServiceUnits timeline of a monthly contract starting on the 15th,
// read over HTTP from the sandbox after real adjustment calls, equals a table written by hand.
//
// Contract 10: monthly, 2026-01-15 .. 2026-05-14, service at 12.50 per unit per month.
// Periods step from the start: 01-15..02-14 (31 d), 02-15..03-14 (28 d), 03-15..04-14 (31 d),
// 04-15..05-14 (30 d). Adjustments: +10 on 01-15, +5 on 02-01 (mid-period), −15 on 03-20.
import { ContractServiceUnitSchema } from '../../../src/autotask/entities.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientFor, smallSeed, startTestSandbox } from '../../helpers/autotaskSandbox.js';

describe('ContractServiceUnits timeline', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => (sandbox = await startTestSandbox(smallSeed())));
  afterAll(() => sandbox.stop());

  it('splits periods at adjustment dates and prorates price by days, as computed by hand', async () => {
    const client = clientFor(sandbox);
    await client.createContractServiceAdjustment(10, {
      serviceID: 20,
      effectiveDate: '2026-01-15',
      unitChange: 10,
    });
    await client.createContractServiceAdjustment(10, {
      serviceID: 20,
      effectiveDate: '2026-02-01',
      unitChange: 5,
    });
    await client.createContractServiceAdjustment(10, {
      serviceID: 20,
      effectiveDate: '2026-03-20',
      unitChange: -15,
    });

    const rows = await client.query('ContractServiceUnits', ContractServiceUnitSchema, {
      filter: [{ op: 'eq', field: 'contractID', value: 10 }],
    });
    const table = rows.map((r) => [r.startDate, r.endDate, r.units, r.price!.toFixed(2)]);
    expect(table).toEqual([
      // start       end           units  price = units × 12.50 × days ÷ period days
      ['2026-01-15', '2026-01-31', 10, '68.55'], // 10 × 12.50 × 17/31 = 68.548…
      ['2026-02-01', '2026-02-14', 15, '84.68'], // 15 × 12.50 × 14/31 = 84.677…
      ['2026-02-15', '2026-03-14', 15, '187.50'], // full period (28 days)
      ['2026-03-15', '2026-03-19', 15, '30.24'], // 15 × 12.50 × 5/31 = 30.241…
      ['2026-03-20', '2026-04-14', 0, '0.00'], // −15 from 03-20
      ['2026-04-15', '2026-05-14', 0, '0.00'], // last period, ends with the contract
    ]);
    // one line, created by the first adjustment
    expect(new Set(rows.map((r) => r.contractServiceID)).size).toBe(1);
  });
});
