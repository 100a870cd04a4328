import { encodeHistory, type EncodeHistoryInput } from '../../../src/sync/encodeHistory.js';
import type { SubscriptionEventInput } from '../../../src/sync/syncInputs.js';
import {
  CUSTOMER,
  MONTHLY_CONTRACT,
  PREMIUM_MONTHLY_SERVICE,
  TARGETS,
  created,
  describeOperation,
  event,
  quantity,
  subscription,
} from '../../helpers/syncFixtures.js';

function encode(events: SubscriptionEventInput[], extra: Partial<EncodeHistoryInput> = {}) {
  return encodeHistory({
    customerId: CUSTOMER,
    cutoverDate: null,
    asOf: '2026-11-25',
    subscriptions: [subscription()],
    events,
    targets: TARGETS,
    pushed: [],
    knownLines: [],
    existingLines: [],
    ...extra,
  });
}

interface GoldenScenario {
  name: string;
  events: SubscriptionEventInput[];
  cutoverDate?: string;
  expected: string[];
}

// Each table is written by hand from docs/billing-semantics.md §4; c100 = monthly contract, c200 = yearly.
const GOLDEN: GoldenScenario[] = [
  {
    name: 'new subscription: the line is created, then +quantity',
    events: [created('2026-01-05', 5)],
    expected: ['2026-01-05 create c100 s11 @22', '2026-01-05 +5 c100 s11 @22 =5 base'],
  },
  {
    name: 'quantity up and down mid-period: deltas',
    events: [created('2026-01-05', 5), quantity('2026-01-20', 5, 8), quantity('2026-02-10', 8, 6)],
    expected: [
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
      '2026-01-20 +3 c100 s11 @22 =8 base',
      '2026-02-10 -2 c100 s11 @22 =6 base',
    ],
  },
  {
    name: 'suspension goes to 0, reactivation comes back',
    events: [
      created('2026-01-05', 5),
      event('2026-02-01', 'suspended', { statusBefore: 'active', statusAfter: 'suspended' }),
      event('2026-03-01', 'reactivated', { statusBefore: 'suspended', statusAfter: 'active' }),
    ],
    expected: [
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
      '2026-02-01 -5 c100 s11 @22 =0 base',
      '2026-03-01 +5 c100 s11 @22 =5 base',
    ],
  },
  {
    name: 'price change: the old line to 0 and a new repeat line at the new price on the same date',
    events: [
      created('2026-01-05', 5),
      event('2026-03-01', 'price_changed', { priceBefore: '22', priceAfter: '20.5' }),
    ],
    expected: [
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
      '2026-03-01 -5 c100 s11 @22 =0 base',
      '2026-03-01 +5 c100 s11 @20.5 =5 repeat-new',
    ],
  },
  {
    name: 'monthly → annual: the monthly line to 0, the yearly contract line +quantity',
    events: [
      created('2026-01-05', 5),
      event('2026-04-01', 'billing_cycle_changed', {
        billingCycleBefore: 'monthly',
        billingCycleAfter: 'annual',
      }),
    ],
    expected: [
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
      '2026-04-01 create c200 s12 @22',
      '2026-04-01 -5 c100 s11 @22 =0 base',
      '2026-04-01 +5 c200 s12 @22 =5 base',
    ],
  },
  {
    name: 'cancellation goes to 0 (there is no delete)',
    events: [
      created('2026-01-05', 5),
      quantity('2026-01-20', 5, 7),
      event('2026-02-15', 'cancelled', { statusBefore: 'active', statusAfter: 'cancelled' }),
    ],
    expected: [
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
      '2026-01-20 +2 c100 s11 @22 =7 base',
      '2026-02-15 -7 c100 s11 @22 =0 base',
    ],
  },
  {
    name: 'three events on one day merge into one net operation per line',
    events: [
      created('2026-01-05', 5),
      quantity('2026-02-01', 5, 9),
      event('2026-02-01', 'suspended', { statusBefore: 'active' }),
      event('2026-02-01', 'reactivated', { statusBefore: 'suspended', quantityAfter: 8 }),
    ],
    expected: [
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
      '2026-02-01 +3 c100 s11 @22 =8 base',
    ],
  },
  {
    name: 'cutover date: earlier history collapses into one opening quantity',
    cutoverDate: '2026-03-01',
    events: [
      created('2025-06-01', 3),
      quantity('2025-09-01', 3, 5),
      quantity('2026-01-15', 5, 6),
      quantity('2026-04-01', 6, 4),
    ],
    expected: [
      '2026-03-01 create c100 s11 @22',
      '2026-03-01 +6 c100 s11 @22 =6 base',
      '2026-04-01 -2 c100 s11 @22 =4 base',
    ],
  },
];

describe('encodeHistory: the golden encoding table', () => {
  it.each(GOLDEN)('$name', ({ events, cutoverDate, expected }) => {
    const result = encode(events, { cutoverDate: cutoverDate ?? null });
    expect(result.findings).toEqual([]);
    expect(result.operations.map(describeOperation)).toEqual(expected);
  });
});

describe('encodeHistory: keys, ledger and edge cases', () => {
  const history = [created('2026-01-05', 5), quantity('2026-01-20', 5, 8)];

  it('gives the same deterministic keys for the same history', () => {
    const a = encode(history).operations.map((o) => o.key);
    const b = encode([...history]).operations.map((o) => o.key);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
    expect(a).toContain(`adj:sub-1|${MONTHLY_CONTRACT}|${PREMIUM_MONTHLY_SERVICE}|22:2026-01-20`);
  });

  it('plans nothing that the ledger says is done', () => {
    const first = encode(history);
    const pushed = first.operations.map((o) => ({
      key: o.key,
      subscriptionId: o.subscriptionId,
      lineKey: o.lineKey,
      kind: o.kind,
      effectiveDate: o.effectiveDate,
      unitChange: o.kind === 'adjust' ? o.unitChange : 0,
    }));
    const lineKey = first.operations[0]!.lineKey;
    const again = encode(history, { pushed, knownLines: [{ lineKey, contractServiceId: 900 }] });
    expect(again.operations).toEqual([]);
    const more = encode([...history, quantity('2026-03-01', 8, 10)], {
      pushed,
      knownLines: [{ lineKey, contractServiceId: 900 }],
    });
    expect(more.operations.map(describeOperation)).toEqual(['2026-03-01 +2 c100 s11 @22 =10 known']);
  });

  it('reports history changed after upload instead of sending a second same-day adjustment', () => {
    const first = encode(history);
    const pushed = first.operations.map((o) => ({
      key: o.key,
      subscriptionId: o.subscriptionId,
      lineKey: o.lineKey,
      kind: o.kind,
      effectiveDate: o.effectiveDate,
      unitChange: o.kind === 'adjust' ? o.unitChange : 0,
    }));
    const rewritten = encode([created('2026-01-05', 5), quantity('2026-01-20', 5, 9)], { pushed });
    expect(rewritten.operations).toEqual([]);
    expect(rewritten.findings.map((f) => f.code)).toEqual(['HISTORY_INCONSISTENT']);
    expect(rewritten.findings[0]!.message).toMatch(/changed after it was uploaded.*\+3.*\+4/);
  });

  it('uses an existing line instead of creating one', () => {
    const result = encode([created('2026-01-05', 5)], {
      existingLines: [
        { contractId: MONTHLY_CONTRACT, serviceId: PREMIUM_MONTHLY_SERVICE, contractServiceId: 77 },
      ],
    });
    expect(result.operations).toHaveLength(1);
    expect(result.operations[0]).toMatchObject({
      kind: 'adjust',
      line: { mode: 'base', contractServiceId: 77 },
    });
  });

  it('gives a second subscription of the same product its own repeat line', () => {
    const result = encode([created('2026-01-05', 5), created('2026-02-01', 2, 'sub-2')], {
      subscriptions: [subscription(), subscription({ id: 'sub-2', quantity: 2 })],
    });
    expect(result.operations.map(describeOperation)).toEqual([
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
      '2026-02-01 +2 c100 s11 @22 =2 repeat-new',
    ]);
  });

  it('sends the subscription that gets the base line first, whatever the ids (two of one product)', () => {
    // 'sub-b' starts first, so its line is the service's base line; 'sub-a' sorts first by id but
    // must open its repeat line after the base line exists (Autotask refuses the base line later)
    const result = encode(
      [
        created('2026-01-05', 5, 'sub-b'),
        created('2026-02-01', 2, 'sub-a'),
        quantity('2026-03-10', 2, 4, 'sub-a'),
        quantity('2026-04-01', 5, 6, 'sub-b'),
      ],
      { subscriptions: [subscription({ id: 'sub-a', quantity: 4 }), subscription({ id: 'sub-b' })] },
    );
    expect(result.findings).toEqual([]);
    expect(result.operations.map((o) => `${o.subscriptionId} ${describeOperation(o)}`)).toEqual([
      'sub-b 2026-01-05 create c100 s11 @22',
      'sub-b 2026-01-05 +5 c100 s11 @22 =5 base',
      'sub-b 2026-04-01 +1 c100 s11 @22 =6 base',
      'sub-a 2026-02-01 +2 c100 s11 @22 =2 repeat-new',
      'sub-a 2026-03-10 +2 c100 s11 @22 =4 repeat',
    ]);
    expect(result.operations.filter((o) => o.kind === 'create_line')).toHaveLength(1);
  });

  it('skips a zero net change on one day', () => {
    const result = encode([
      created('2026-01-05', 5),
      quantity('2026-02-01', 5, 7),
      quantity('2026-02-01', 7, 5),
    ]);
    expect(result.operations.map(describeOperation)).toEqual([
      '2026-01-05 create c100 s11 @22',
      '2026-01-05 +5 c100 s11 @22 =5 base',
    ]);
  });

  it('lists usage-based and unsupported-cycle subscriptions as skipped, never silently', () => {
    const result = encode([created('2026-01-05', 5), created('2026-01-05', 1, 'azure')], {
      subscriptions: [
        subscription({ billingCycle: 'quarterly' }),
        subscription({ id: 'azure', billingType: 'usage' }),
      ],
    });
    expect(result.operations).toEqual([]);
    expect(result.skipped.map((s) => s.subscriptionId).sort()).toEqual(['azure', 'sub-1']);
    expect(result.findings.map((f) => f.code)).toEqual([
      'UNSUPPORTED_SUBSCRIPTION',
      'UNSUPPORTED_SUBSCRIPTION',
    ]);
  });

  it('needs both contracts for a monthly → annual move', () => {
    const result = encode(
      [
        created('2026-01-05', 5),
        event('2026-04-01', 'billing_cycle_changed', {
          billingCycleBefore: 'monthly',
          billingCycleAfter: 'annual',
        }),
      ],
      { targets: { ...TARGETS, contracts: { monthly: MONTHLY_CONTRACT, annual: null } } },
    );
    expect(result.operations).toEqual([]);
    expect(result.findings.map((f) => f.code)).toEqual(['CONTRACT_MISSING']);
  });
});
