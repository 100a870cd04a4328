import { DEMO_CUSTOMERS } from '../../../src/demo/demoWorld.js';
import { BENCHMARK_PARTNER, generatePartner } from '../../../src/demo/partnerGenerator.js';
import { parseCsvFile } from '../../../src/subscriptions/importFile.js';
import { checkHistoryConsistency } from '../../../src/subscriptions/historyConsistency.js';
import type { HistoryEvent } from '../../../src/subscriptions/historyEvent.js';

const END = '2026-11-25';

describe('generatePartner', () => {
  const partner = generatePartner({ ...BENCHMARK_PARTNER, endDate: END });

  it('is deterministic: same seed, same file; another seed, another file', () => {
    expect(generatePartner({ ...BENCHMARK_PARTNER, endDate: END }).csv).toBe(partner.csv);
    expect(generatePartner({ ...BENCHMARK_PARTNER, seed: 43, endDate: END }).csv).not.toBe(partner.csv);
  });

  it('makes the benchmark partner: 200 customers, 2,000 subscriptions, 10,000 events, demo customers first', () => {
    expect(partner.customers).toHaveLength(200);
    expect(new Set(partner.customers.map((c) => c.name)).size).toBe(200);
    expect(partner.customers.slice(0, DEMO_CUSTOMERS.length)).toEqual(
      DEMO_CUSTOMERS.map((c) => ({ name: c.name, externalId: c.externalId, domain: c.domain })),
    );
    expect(new Set(partner.rows.map((r) => r.subscription_id)).size).toBe(2_000);
    expect(new Set(partner.rows.map((r) => r.customer_external_id)).size).toBe(200);
  });

  it('writes a CSV the importer reads without a problem: one event per row, every kind, dates in range', () => {
    const parsed = parseCsvFile(partner.csv);
    expect(parsed.problems).toEqual([]);
    expect(parsed.events).toHaveLength(10_000);
    const kinds = new Set(parsed.events.map((e) => e.event.kind));
    expect([...kinds].sort()).toEqual(
      [
        'billing_cycle_changed',
        'cancelled',
        'created',
        'price_changed',
        'quantity_changed',
        'reactivated',
        'suspended',
      ].sort(),
    );
    expect(new Set(parsed.events.map((e) => e.subscription.billingCycle))).toEqual(
      new Set(['monthly', 'annual']),
    );
    const dates = parsed.events.map((e) => e.event.effectiveDate).sort();
    expect(dates[0]! >= '2025-01-01' && dates[dates.length - 1]! <= END).toBe(true);
  });

  it('writes histories that pass the consistency checks', () => {
    const bySubscription = new Map<string, HistoryEvent[]>();
    for (const e of parseCsvFile(partner.csv).events) {
      const list = bySubscription.get(e.event.subscriptionId) ?? [];
      list.push(e.event);
      bySubscription.set(e.event.subscriptionId, list);
    }
    const findings = [...bySubscription.values()].flatMap((events) => checkHistoryConsistency(events, END));
    expect(findings).toEqual([]);
  });
});
