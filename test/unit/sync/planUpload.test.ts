import { Decimal } from 'decimal.js';
import { encodeHistory } from '../../../src/sync/encodeHistory.js';
import { canonicalJson, planHash } from '../../../src/sync/planHash.js';
import { planUpload } from '../../../src/sync/planUpload.js';
import type { CustomerValidation } from '../../../src/sync/validateCustomer.js';
import { CUSTOMER, TARGETS, created, event, quantity, subscription } from '../../helpers/syncFixtures.js';

const budget = { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.5 };

function validation(events: ReturnType<typeof created>[], blocked = false): CustomerValidation {
  const encoded = encodeHistory({
    customerId: CUSTOMER,
    cutoverDate: null,
    asOf: '2026-11-25',
    subscriptions: [subscription()],
    events,
    targets: TARGETS,
    pushed: [],
    knownLines: [],
    existingLines: [],
  });
  return { customerId: CUSTOMER, customerName: 'Acme Corp', findings: [], blocked, encoded };
}

describe('planUpload', () => {
  it('summarises lines, adjustments, units, MRR at sell price (annual ÷ 12) and API calls', () => {
    const plan = planUpload(
      [
        validation([
          created('2026-01-05', 5, 'sub-1', '22.10'),
          quantity('2026-02-01', 5, 8),
          event('2026-04-01', 'billing_cycle_changed', {
            billingCycleBefore: 'monthly',
            billingCycleAfter: 'annual',
          }),
        ]),
      ],
      { planHash: 'h', budget },
    );
    const [summary] = plan.customers;
    // monthly line: +5, +3, −8; yearly line: create, +8 at 22.10 a year
    expect(summary).toMatchObject({ linesToCreate: 2, adjustments: 4, netUnitChange: 8, blocked: false });
    // 8 × 22.10 ÷ 12 = 14.7333…; the monthly line nets to 0
    expect(summary!.mrrChange).toBe('14.73');
    // 6 writes + 1 line read + 1 units read
    expect(summary!.estimatedApiCalls).toBe(8);
    expect(summary!.estimatedSeconds).toBe(6);
    expect(plan.operations).toHaveLength(6);
  });

  it('leaves the operations of a blocked customer out of the plan', () => {
    const plan = planUpload([validation([created('2026-01-05', 5)], true)], { planHash: 'h', budget });
    expect(plan.operations).toEqual([]);
    expect(plan.customers[0]).toMatchObject({ blocked: true, adjustments: 0, estimatedApiCalls: 0 });
  });

  it('estimates time by the hourly budget when that is the tighter limit', () => {
    const plan = planUpload([validation([created('2026-01-05', 5)])], {
      planHash: 'h',
      budget: { requestsPerHour: 60, inFlight: 2, secondsPerCall: 0.1 },
    });
    // 2 writes + 2 reads at one a minute
    expect(plan.estimatedSeconds).toBe(240);
  });
});

describe('planHash', () => {
  const events = [created('2026-01-05', 5), quantity('2026-02-01', 5, 6)];
  const base = () => ({
    asOf: '2026-11-25',
    customers: [
      {
        customer: { id: CUSTOMER, cutoverDate: null },
        subscriptions: [subscription(), subscription({ id: 'sub-0' })],
        events: [...events],
        mapping: { targets: TARGETS, findings: [] },
        autotask: {
          companies: [{ id: 1 }],
          contracts: [{ id: 100 }, { id: 200 }],
          services: [],
          contractServices: [],
          units: [],
        },
        ledger: { pushed: [], knownLines: [] },
      },
    ],
  });

  it('is stable under reordering of records that have no order', () => {
    const a = base();
    const b = base();
    b.customers[0]!.subscriptions.reverse();
    b.customers[0]!.autotask.contracts.reverse();
    // the mapping part reads its rows without an order: a product list in another order is the
    // same mapping (an update moves a row in PostgreSQL, and the plan must not turn stale)
    b.customers[0]!.mapping = {
      targets: { ...TARGETS, services: [...TARGETS.services].reverse() },
      findings: [],
    };
    expect(planHash(b)).toBe(planHash(a));
    expect(planHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when source data, mapping, Autotask state or the ledger change', () => {
    const original = planHash(base());
    const changedPrice = base();
    changedPrice.customers[0]!.subscriptions[0] = subscription({
      unitPrice: subscription().unitPrice.add('0.01'),
    });
    const changedMapping = base();
    changedMapping.customers[0]!.mapping.targets = { ...TARGETS, companyId: 2 };
    const changedAutotask = base();
    changedAutotask.customers[0]!.autotask.contracts.push({ id: 300 });
    const changedLedger = base();
    (changedLedger.customers[0]!.ledger.knownLines as { lineKey: string }[]).push({ lineKey: 'x' });
    const hashes = [changedPrice, changedMapping, changedAutotask, changedLedger].map(planHash);
    expect(new Set([original, ...hashes]).size).toBe(5);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, writes decimals and dates as strings, drops undefined', () => {
    const value = {
      b: [2, { z: 1, a: undefined, m: new Decimal('1.50') }, undefined],
      a: { when: new Date('2026-11-25T09:00:00Z'), big: 10n, text: 'say "hi"' },
      c: null,
    };
    expect(canonicalJson(value)).toBe(
      '{"a":{"big":"10","text":"say \\"hi\\"","when":"2026-11-25T09:00:00.000Z"},' +
        '"b":[2,{"m":"d:1.5","z":1},null],"c":null}',
    );
  });
});
