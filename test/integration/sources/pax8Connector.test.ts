// The Pax8 connector against the strict stand-in over real HTTP: a seeded world's history comes
// out as the world's own change log says, a re-pull gives the same events, tokens expiring
// mid-pull, 429/503 within and beyond the retry policy, wrong credentials, a malformed row, a
// pull limited to some companies, and the demo partner pulled as its CSV would import.
import { Decimal } from 'decimal.js';
import { generateDemoPartner } from '../../../src/demo/demoPartner.js';
import { startPax8StandIn, type Pax8StandIn } from '../../../src/sandbox/pax8/pax8StandIn.js';
import { pax8WorldFromPartner } from '../../../src/sandbox/pax8/pax8WorldFromPartner.js';
import type { Pax8World } from '../../../src/sandbox/pax8/pax8World.js';
import { randomPax8World } from '../../../src/sandbox/pax8/randomPax8World.js';
import { createPax8Connector, type Pax8ConnectorOptions } from '../../../src/sources/pax8/pax8Connector.js';
import type { HistoryPull, SourcePull } from '../../../src/sources/sourceConnector.js';
import { SourceError } from '../../../src/sources/sourceError.js';
import { csvRowToEvents } from '../../../src/subscriptions/csvImportRow.js';
import type { HistoryEvent } from '../../../src/subscriptions/historyEvent.js';

const WORLD = { seed: 8, companies: 50, subscriptions: 500, days: 3 };
const PAGE = 200;

let standIn: Pax8StandIn;
let waits: number[];

beforeEach(async () => {
  standIn = await startPax8StandIn({ world: randomPax8World(WORLD) });
  waits = [];
});
afterEach(async () => {
  await standIn.close();
});

function connector(overrides: Partial<{ clientSecret: string }> = {}, options: Pax8ConnectorOptions = {}) {
  return createPax8Connector(
    {
      clientId: standIn.clientId,
      clientSecret: overrides.clientSecret ?? standIn.clientSecret,
      baseUrl: standIn.url,
      tokenUrl: standIn.tokenUrl,
    },
    {
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...options,
    },
  );
}

function history(pull: SourcePull): HistoryPull {
  if (pull.kind !== 'history') throw new Error('a Pax8 pull is a history pull');
  return pull;
}

const money = (n: number) => new Decimal(String(n)).toFixed();
const STATUS_AFTER = { suspended: 'suspended', cancelled: 'cancelled', reactivated: 'active' } as const;

/** What the world's change log says happened, per subscription in order (replayed on its own). */
function expectedFromWorld(world: Pax8World, only?: Set<string>): Map<string, object[]> {
  const status = new Map<string, string>();
  const out = new Map<string, object[]>();
  for (const r of world.changeLog) {
    if (only && !only.has(r.subscriptionId)) continue;
    const list = out.get(r.subscriptionId) ?? [];
    out.set(r.subscriptionId, list);
    const base = { subscriptionId: r.subscriptionId, effectiveDate: r.date, kind: r.kind };
    const before = r.before!;
    switch (r.kind) {
      case 'created':
        status.set(r.subscriptionId, 'active');
        list.push({
          ...base,
          quantityAfter: r.after.quantity,
          statusAfter: 'active',
          priceAfter: money(r.after.price),
          billingCycleAfter: r.after.billingTerm.toLowerCase(),
        });
        break;
      case 'quantity_changed':
        list.push({ ...base, quantityBefore: before.quantity, quantityAfter: r.after.quantity });
        break;
      case 'price_changed':
        list.push({ ...base, priceBefore: money(before.price), priceAfter: money(r.after.price) });
        break;
      case 'billing_cycle_changed':
        list.push({
          ...base,
          billingCycleBefore: before.billingTerm.toLowerCase(),
          billingCycleAfter: r.after.billingTerm.toLowerCase(),
        });
        break;
      default: {
        const after = STATUS_AFTER[r.kind];
        list.push({ ...base, statusBefore: status.get(r.subscriptionId), statusAfter: after });
        status.set(r.subscriptionId, after);
      }
    }
  }
  return out;
}

function pulledBySubscription(events: readonly HistoryEvent[]): Map<string, object[]> {
  const out = new Map<string, object[]>();
  for (const { sourceEventId: _id, ...event } of events) {
    const list = out.get(event.subscriptionId) ?? [];
    out.set(event.subscriptionId, list);
    list.push(event);
  }
  return out;
}

const tokenRequests = () => standIn.requests.filter((r) => r.path === '/v1/token');

describe('a pull of a seeded world (50 companies, 500 subscriptions, 3 days of changes)', () => {
  test('the events are what the world’s change log says, each kind present, ids unique', async () => {
    const pull = history(await connector().pull({ today: standIn.world.today }));
    expect(pull.problems).toEqual([]);
    expect(pulledBySubscription(pull.events)).toEqual(expectedFromWorld(standIn.world));
    const kinds = new Set(pull.events.map((e) => e.kind));
    for (const kind of [
      'created',
      'quantity_changed',
      'suspended',
      'reactivated',
      'cancelled',
      'price_changed',
      'billing_cycle_changed',
    ])
      expect(kinds).toContain(kind);
    // the changes are of the last three days
    const changed = pull.events.filter((e) => e.kind !== 'created').map((e) => e.effectiveDate);
    expect(new Set(changed).size).toBe(3);
    expect(new Set(pull.events.map((e) => e.sourceEventId)).size).toBe(pull.events.length);

    const world = standIn.world;
    expect(pull.customers.map((c) => c.sourceId).sort()).toEqual(world.companies.map((c) => c.id).sort());
    for (const company of world.companies) {
      const customer = pull.customers.find((c) => c.sourceId === company.id)!;
      expect(customer.name).toBe(company.name);
      expect(company.website).toContain(customer.domain!);
    }
    expect(pull.subscriptions).toHaveLength(world.subscriptions.length);
    for (const s of world.subscriptions) {
      const pulled = pull.subscriptions.find((p) => p.id === s.id)!;
      const product = world.products.find((p) => p.id === s.productId)!;
      expect(pulled).toMatchObject({
        customerSourceId: s.companyId,
        productName: product.name,
        sku: product.vendorSku,
        billingType: 'quantity',
        billingCycle: s.billingTerm.toLowerCase(),
        currency: s.currencyCode,
      });
    }
  });

  test('the budget: one token, the pages of companies and subscriptions, one request per product and per subscription', async () => {
    const pull = history(await connector().pull({ today: standIn.world.today }));
    const world = standIn.world;
    const products = new Set(world.subscriptions.map((s) => s.productId)).size;
    const expected =
      1 +
      Math.ceil(world.companies.length / PAGE) +
      Math.ceil(world.subscriptions.length / PAGE) +
      products +
      world.subscriptions.length;
    expect(pull.requests).toBe(expected);
    expect(standIn.requests).toHaveLength(expected);
    expect(standIn.requests.filter((r) => r.path !== '/v1/token').every((r) => r.authorization)).toBe(true);
    expect(standIn.requests.filter((r) => r.path === '/v1/subscriptions').map((r) => r.query.size)).toEqual(
      Array(Math.ceil(world.subscriptions.length / PAGE)).fill(String(PAGE)),
    );
  });

  test('a second pull returns identical events with the same ids; a later change adds only its own', async () => {
    const first = history(await connector().pull({ today: standIn.world.today }));
    const second = history(await connector().pull({ today: standIn.world.today }));
    expect(second.events).toEqual(first.events);

    const target = standIn.world.subscriptions.find((s) => s.status === 'Active')!;
    standIn.controls.advanceDays(1);
    standIn.controls.changeSubscription(target.id, { quantity: target.quantity + 4 });
    const third = history(await connector().pull({ today: standIn.world.today }));
    const firstIds = new Set(first.events.map((e) => e.sourceEventId));
    const added = third.events.filter((e) => !firstIds.has(e.sourceEventId));
    expect(added).toEqual([
      expect.objectContaining({
        subscriptionId: target.id,
        kind: 'quantity_changed',
        effectiveDate: standIn.world.today,
        quantityBefore: target.quantity,
        quantityAfter: target.quantity + 4,
      }),
    ]);
    expect(third.events.filter((e) => firstIds.has(e.sourceEventId))).toEqual(first.events);
  });

  test('tokens expiring half way: the pull signs in again and completes', async () => {
    standIn.controls.expireTokensAfter(Math.floor(standIn.world.subscriptions.length / 2));
    const pull = history(await connector().pull({ today: standIn.world.today }));
    expect(pull.problems).toEqual([]);
    expect(pulledBySubscription(pull.events)).toEqual(expectedFromWorld(standIn.world));
    expect(tokenRequests().length).toBeGreaterThanOrEqual(2);
    expect(standIn.requests.some((r) => r.status === 401)).toBe(true);
  });

  test('429 with Retry-After and 503 within the retry policy: waited, retried, complete', async () => {
    standIn.controls.fail(3, 429, 2);
    const limited = history(await connector().pull({ today: standIn.world.today }));
    expect(waits.filter((ms) => ms === 2000)).toHaveLength(3);
    expect(pulledBySubscription(limited.events)).toEqual(expectedFromWorld(standIn.world));

    standIn.controls.fail(4, 503);
    const unavailable = history(await connector().pull({ today: standIn.world.today }));
    expect(unavailable.events).toEqual(limited.events);
    expect(standIn.requests.filter((r) => r.status === 503)).toHaveLength(4);
  });

  test('429 beyond the policy ends the pull with SOURCE_RATE_LIMITED, 503 with SOURCE_UNREACHABLE', async () => {
    standIn.controls.fail(5, 429, 1);
    await expect(connector().pull({ today: standIn.world.today })).rejects.toMatchObject({
      code: 'SOURCE_RATE_LIMITED',
    });
    standIn.controls.fail(1, 429, 3600);
    await expect(connector().pull({ today: standIn.world.today })).rejects.toMatchObject({
      code: 'SOURCE_RATE_LIMITED',
    });
    standIn.controls.fail(5, 503);
    await expect(connector().pull({ today: standIn.world.today })).rejects.toMatchObject({
      code: 'SOURCE_UNREACHABLE',
      status: 503,
    });
  });

  test('a wrong secret is SOURCE_AUTH_FAILED naming the settings; no API request is sent', async () => {
    const error = await connector({ clientSecret: 'not-the-secret' })
      .pull({ today: standIn.world.today })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'SOURCE_AUTH_FAILED', status: 401 });
    expect((error as SourceError).hint).toMatch(/PAX8_CLIENT_ID/);
    expect((error as SourceError).hint).toMatch(/PAX8_CLIENT_SECRET/);
    expect(standIn.requests.map((r) => [r.path, r.status])).toEqual([['/v1/token', 401]]);
  });

  test('a malformed subscription is one problem with its Pax8 id; every other subscription’s events are there', async () => {
    const broken = standIn.world.subscriptions[137]!;
    standIn.controls.malform(broken.id);
    const pull = history(await connector().pull({ today: standIn.world.today }));
    expect(pull.problems).toEqual([
      { entity: 'subscription', sourceId: broken.id, reason: expect.stringContaining('quantity') },
    ]);
    const others = new Set(standIn.world.subscriptions.filter((s) => s.id !== broken.id).map((s) => s.id));
    expect(pulledBySubscription(pull.events)).toEqual(expectedFromWorld(standIn.world, others));
    expect(pull.subscriptions.map((s) => s.id)).not.toContain(broken.id);
  });

  test('a malformed company is a problem, and so is each of its subscriptions; the rest is pulled', async () => {
    const company = standIn.world.companies[4]!;
    standIn.controls.malform(company.id);
    const pull = history(await connector().pull({ today: standIn.world.today }));
    const itsSubscriptions = standIn.world.subscriptions
      .filter((s) => s.companyId === company.id)
      .map((s) => s.id);
    expect(pull.problems[0]).toMatchObject({ entity: 'company', sourceId: company.id });
    expect(
      pull.problems
        .slice(1)
        .map((p) => p.sourceId)
        .sort(),
    ).toEqual([...itsSubscriptions].sort());
    const others = new Set(
      standIn.world.subscriptions.filter((s) => s.companyId !== company.id).map((s) => s.id),
    );
    expect(pulledBySubscription(pull.events)).toEqual(expectedFromWorld(standIn.world, others));
  });

  test('customerSourceIds limits the pull to those companies; an unknown one is a problem', async () => {
    const chosen = standIn.world.companies.slice(10, 13).map((c) => c.id);
    const unknown = '11111111-2222-4333-8444-555555555555';
    const pull = history(
      await connector().pull({ today: standIn.world.today, customerSourceIds: [...chosen, unknown] }),
    );
    expect(pull.customers.map((c) => c.sourceId)).toEqual(chosen);
    expect(pull.problems).toEqual([{ entity: 'company', sourceId: unknown, reason: expect.any(String) }]);
    const theirs = new Set(
      standIn.world.subscriptions.filter((s) => chosen.includes(s.companyId)).map((s) => s.id),
    );
    expect(pulledBySubscription(pull.events)).toEqual(expectedFromWorld(standIn.world, theirs));
    expect(
      standIn.requests.filter((r) => r.path === '/v1/subscriptions').map((r) => r.query.companyId),
    ).toEqual(chosen);
  });
});

describe('source test', () => {
  test('signs in and counts companies, products and subscriptions from the page envelopes', async () => {
    const report = await connector().test();
    expect(report.checks.map((c) => [c.name, c.outcome])).toEqual([
      ['sign-in', 'ok'],
      ['companies', 'ok'],
      ['products', 'ok'],
      ['subscriptions', 'ok'],
    ]);
    expect(report.counts).toEqual({
      customers: standIn.world.companies.length,
      products: standIn.world.products.length,
      subscriptions: standIn.world.subscriptions.length,
    });
    expect(report.latencyMs).toBeDefined();
    expect(report.requests).toBe(standIn.requests.length);
  });

  test('a wrong secret fails the sign-in with SOURCE_AUTH_FAILED; the rest cannot be checked', async () => {
    const report = await connector({ clientSecret: 'wrong' }).test();
    expect(report.checks.map((c) => [c.name, c.outcome])).toEqual([
      ['sign-in', 'failed'],
      ['companies', 'cannot-check'],
      ['products', 'cannot-check'],
      ['subscriptions', 'cannot-check'],
    ]);
    expect(report.checks[0]!.problem).toMatchObject({
      code: 'SOURCE_AUTH_FAILED',
      hint: expect.stringMatching(/PAX8_CLIENT_SECRET/),
    });
  });
});

describe('the demo partner as a Pax8 world', () => {
  const END = '2026-03-01';
  const partner = generateDemoPartner(END);

  test('pulled, it gives what importing its CSV gives: customers, subscriptions, products, cycles, prices, quantities, dates', async () => {
    const demo = await startPax8StandIn({ world: pax8WorldFromPartner(partner) });
    try {
      const pull = history(
        await createPax8Connector(
          {
            clientId: demo.clientId,
            clientSecret: demo.clientSecret,
            baseUrl: demo.url,
            tokenUrl: demo.tokenUrl,
          },
          { retry: { baseDelayMs: 1, maxDelayMs: 5 } },
        ).pull({ today: END }),
      );
      expect(pull.problems).toEqual([]);

      const imported = partner.rows.map((cells, i) => csvRowToEvents(i + 1, cells, END));
      expect(imported.flatMap((r) => r.problems)).toEqual([]);
      const incoming = imported.flatMap((r) => r.events);
      expect(pulledBySubscription(pull.events)).toEqual(pulledBySubscription(incoming.map((i) => i.event)));

      const customers = new Map(incoming.map((i) => [i.customer.externalId, i.customer.name]));
      expect(new Map(pull.customers.map((c) => [c.sourceId, c.name]))).toEqual(customers);
      for (const c of pull.customers)
        expect(c.domain).toBe(partner.customers.find((p) => p.externalId === c.sourceId)!.domain);

      const lastRow = new Map(partner.rows.map((r) => [r.subscription_id!, r]));
      expect(pull.subscriptions.map((s) => s.id).sort()).toEqual([...lastRow.keys()].sort());
      for (const s of pull.subscriptions) {
        const row = lastRow.get(s.id)!;
        expect(s).toMatchObject({
          customerSourceId: row.customer_external_id,
          productName: row.product,
          sku: row.sku,
          billingType: row.billing_type,
          billingCycle: row.billing_cycle,
          currency: row.currency,
        });
        expect(s.term?.duration).toBe(row.term);
      }
    } finally {
      await demo.close();
    }
  });
});
