// `reconcile` against the sandbox over HTTP and real PostgreSQL: a history uploaded by the real
// executor, October's period posted by the sandbox from its units timeline, and each reason for
// a variance brought about by a sandbox state a partner would meet.
import { Decimal } from 'decimal.js';
import type { AutotaskClient } from '../../../src/autotask/autotaskClient.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { readAutotaskSnapshots } from '../../../src/sync/readAutotaskState.js';
import type { SubscriptionEventInput } from '../../../src/sync/syncInputs.js';
import type { ValidateDependencies } from '../../../src/sync/validateRun.js';
import { reconcileCustomers } from '../../../src/useCases/reconcileCustomers.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import {
  created,
  MONTHLY_CONTRACT,
  PREMIUM_MONTHLY_SERVICE,
  quantity,
  TARGETS,
} from '../../helpers/syncFixtures.js';
import { RUN_CLOCK } from '../../helpers/syncRuns.js';
import { SYNC_TENANT } from '../../helpers/syncTenant.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { addEvents as addHistoryEvents, uploadedHistory } from '../../helpers/uploadedHistory.js';

let db: TestDatabase;
let sandbox: RunningSandbox;
let client: AutotaskClient;
let mapped: string[] = [];
let planning: ValidateDependencies;

beforeAll(async () => {
  db = await createTestDatabase();
  sandbox = await startTestSandbox(SYNC_TENANT);
  client = clientFor(sandbox);
  planning = {
    prisma: db.prisma,
    resolveMapping: async (ids) =>
      new Map(ids.filter((id) => mapped.includes(id)).map((id) => [id, { targets: TARGETS, findings: [] }])),
    readAutotask: (requests) => readAutotaskSnapshots(client, requests),
    budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.5 },
    now: () => RUN_CLOCK,
  };
});
afterAll(async () => {
  await sandbox.stop();
  await db.drop();
});

/** A fresh sandbox, the customer stored, mapped and its history uploaded by the real executor. */
async function uploaded(customerId: string, events: SubscriptionEventInput[], price = '22') {
  mapped = [customerId];
  return uploadedHistory({ prisma: db.prisma, sandbox, client }, customerId, events, price);
}

const addEvents = (subscriptionId: string, events: SubscriptionEventInput[]) =>
  addHistoryEvents(db.prisma, subscriptionId, events);

async function october(customerId: string) {
  const outcome = await reconcileCustomers(
    { planning, client, now: () => RUN_CLOCK },
    { scope: customerId, scopeLabel: customerId, month: '2026-10' },
  );
  if (!outcome.ok) throw new Error(outcome.problem.message);
  expect(outcome.report.lines).toHaveLength(1);
  return outcome.report.lines[0]!;
}

const oct = (units: number, price: string) => new Decimal(price).times(units).toFixed(2);

describe('reconcile October against what the sandbox posted', () => {
  it('matches when the history was uploaded and the period posted', async () => {
    await uploaded('rc-match', [created('2026-01-05', 5, 'x', '22')]);
    sandbox.controls.postPeriodsThrough('2026-10-31');
    const line = await october('rc-match');
    expect(line).toMatchObject({
      contractId: MONTHLY_CONTRACT,
      serviceId: PREMIUM_MONTHLY_SERVICE,
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      reason: 'matches',
    });
    expect(line.expected.toFixed(2)).toBe(oct(5, '22'));
    expect(line.billed.toFixed(2)).toBe(oct(5, '22'));
  });

  it('says the period is not posted when Autotask has not posted October', async () => {
    await uploaded('rc-unposted', [created('2026-01-05', 5, 'x', '22')]);
    sandbox.controls.postPeriodsThrough('2026-09-30');
    const line = await october('rc-unposted');
    expect(line.reason).toBe('not-posted');
    expect(line.billed.toFixed(2)).toBe('0.00');
    expect(line.variance.toFixed(2)).toBe(`-${oct(5, '22')}`);
    expect(line.detail).toContain('2026-10-01 to 2026-10-31 is not posted');
  });

  it('says a change is not uploaded yet when the history moved on after the upload', async () => {
    await uploaded('rc-pending', [created('2026-01-05', 5, 'x', '22')]);
    await addEvents('rc-pending-sub', [quantity('2026-10-01', 5, 8, 'rc-pending-sub')]);
    sandbox.controls.postPeriodsThrough('2026-10-31');
    const line = await october('rc-pending');
    expect(line.reason).toBe('not-uploaded');
    expect(line.expected.toFixed(2)).toBe(oct(8, '22'));
    expect(line.billed.toFixed(2)).toBe(oct(5, '22'));
    expect(line.detail).toContain('dated 2026-10-01');
  });

  it('says the line was changed by hand when someone adjusted it in Autotask', async () => {
    await uploaded('rc-hand', [created('2026-01-05', 5, 'x', '22')]);
    await client.createContractServiceAdjustment(MONTHLY_CONTRACT, {
      serviceID: PREMIUM_MONTHLY_SERVICE,
      effectiveDate: '2026-10-01',
      unitChange: 2,
    });
    sandbox.controls.postPeriodsThrough('2026-10-31');
    const line = await october('rc-hand');
    expect(line.reason).toBe('hand-edit');
    expect(line.billed.toFixed(2)).toBe(oct(7, '22'));
    expect(line.variance.toFixed(2)).toBe(oct(2, '22'));
    expect(line.detail).toContain('on 2026-10-01 Autotask has 7 units, this system pushed 5');
  });

  it('says the price differs when the units agree but the line bills another price', async () => {
    await uploaded('rc-price', [created('2026-01-05', 5, 'x', '22')]);
    // a re-price by hand: no units change, a new unit price from October
    await client.createContractServiceAdjustment(MONTHLY_CONTRACT, {
      serviceID: PREMIUM_MONTHLY_SERVICE,
      effectiveDate: '2026-10-01',
      unitChange: 0,
      adjustedUnitPrice: 25,
    });
    sandbox.controls.postPeriodsThrough('2026-10-31');
    const line = await october('rc-price');
    expect(line.reason).toBe('price-differs');
    expect(line.billed.toFixed(2)).toBe(oct(5, '25'));
    expect(line.detail).toContain('about 25.00 a unit where the source history says 22.00');
  });

  it('calls a cent a row from rounding split rows proration', async () => {
    // a price at which rounding the two rows of a split October differs from rounding once
    const rowsRounded = (p: Decimal) =>
      p
        .times(5 * 10)
        .div(31)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
        .plus(
          p
            .times(8 * 21)
            .div(31)
            .toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
        );
    const once = (p: Decimal) =>
      p
        .times(5 * 10 + 8 * 21)
        .div(31)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    let price = new Decimal('20.00');
    while (rowsRounded(price).eq(once(price))) price = price.plus('0.01');
    await uploaded(
      'rc-prorate',
      [created('2026-01-05', 5, 'x', price.toFixed(2)), quantity('2026-10-11', 5, 8, 'x')],
      price.toFixed(2),
    );
    sandbox.controls.postPeriodsThrough('2026-10-31');
    const line = await october('rc-prorate');
    expect(line.reason).toBe('proration');
    expect(line.expected.toFixed(2)).toBe(once(price).toFixed(2));
    expect(line.billed.toFixed(2)).toBe(rowsRounded(price).toFixed(2));
    expect(line.variance.abs().lte('0.02')).toBe(true);
  });

  it('refuses a month that is not one, or has not begun', async () => {
    for (const month of ['2026-13', 'october', '2027-01']) {
      const outcome = await reconcileCustomers(
        { planning, client, now: () => RUN_CLOCK },
        { scope: 'all', scopeLabel: 'all customers', month },
      );
      expect(outcome).toMatchObject({ ok: false, problem: { code: 'RECONCILE_MONTH_INVALID' } });
    }
  });
});
