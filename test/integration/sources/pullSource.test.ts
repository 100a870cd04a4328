// pullSource against a real PostgreSQL, with scripted connectors (the vendor stand-ins have their
// own tests): what each kind of pull stores, links, refuses and records.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type {
  HistoryPull,
  SnapshotPull,
  SourceConnector,
  SourceName,
  SourcePull,
} from '../../../src/sources/sourceConnector.js';
import { SourceError } from '../../../src/sources/sourceError.js';
import { pullSource, type PullDependencies } from '../../../src/useCases/pullSource.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const actor = { id: 'cli:alice', name: 'alice' };

function scripted(name: SourceName, next: () => SourcePull): SourceConnector {
  return {
    name,
    baseUrl: `http://${name}.invalid/`,
    test: () => Promise.reject(new Error('not used')),
    pull: () => Promise.resolve(next()),
  };
}

/** A Partner Center connector whose pull tells `pull` (nothing else by default). */
function snapshotSource(pull: Partial<SnapshotPull>): SourceConnector {
  return scripted('partner-center', () => ({
    kind: 'snapshot',
    customers: [],
    subscriptions: [],
    activity: [],
    problems: [],
    requests: 1,
    ...pull,
  }));
}

/** A subscription as a snapshot lists it: active, monthly, no price of its own. */
function listed(
  id: string,
  customerSourceId: string,
  quantity: number,
): SnapshotPull['subscriptions'][number] {
  return {
    id,
    customerSourceId,
    productName: 'Microsoft 365 E3',
    billingType: 'quantity',
    billingCycle: 'monthly',
    currency: 'USD',
    state: { quantity, status: 'active', unitPrice: '0', billingCycle: 'monthly' },
  };
}

function pax8Pull(overrides: Partial<HistoryPull> = {}): HistoryPull {
  return {
    kind: 'history',
    customers: [
      { sourceId: 'co-1', name: 'Acme Corp', tenantId: 'Tenant-ACME', domain: 'acme.example' },
      { sourceId: 'co-2', name: 'Globex' },
    ],
    subscriptions: [
      {
        id: 'sub-a',
        customerSourceId: 'co-1',
        productName: 'Microsoft 365 Business Premium',
        sku: 'CFQ7TTC0LCHC',
        billingType: 'quantity',
        billingCycle: 'monthly',
        currency: 'USD',
        term: { duration: 'P1Y', endDate: '2027-01-14', autoRenew: true },
      },
      {
        id: 'sub-b',
        customerSourceId: 'co-2',
        productName: 'Exchange Online (Plan 1)',
        billingType: 'quantity',
        billingCycle: 'annual',
        currency: 'USD',
      },
    ],
    events: [
      {
        subscriptionId: 'sub-a',
        effectiveDate: '2026-01-15',
        kind: 'created',
        quantityAfter: 10,
        statusAfter: 'active',
        priceAfter: '22',
        billingCycleAfter: 'monthly',
        sourceEventId: 'h-1',
      },
      {
        subscriptionId: 'sub-a',
        effectiveDate: '2026-03-02',
        kind: 'quantity_changed',
        quantityBefore: 10,
        quantityAfter: 12,
        sourceEventId: 'h-2',
      },
      {
        subscriptionId: 'sub-b',
        effectiveDate: '2026-02-01',
        kind: 'created',
        quantityAfter: 3,
        statusAfter: 'active',
        priceAfter: '4.5',
        billingCycleAfter: 'annual',
        sourceEventId: 'h-3',
      },
    ],
    problems: [],
    requests: 7,
    ...overrides,
  };
}

describe('pullSource', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const deps = (connectors: PullDependencies['connectors'], today = '2026-12-01'): PullDependencies => ({
    prisma: db.prisma,
    connectors,
    now: () => new Date(`${today}T06:00:00Z`),
  });

  it('stores a history pull through the import path, links the customers, and a second pull stores nothing', async () => {
    const pull = pax8Pull();
    const first = await pullSource(deps({ pax8: scripted('pax8', () => pull) }), { source: 'pax8', actor });
    expect(first).toMatchObject({
      outcome: 'ok',
      customers: 2,
      customersCreated: 2,
      subscriptions: 2,
      subscriptionsCreated: 2,
      eventsNew: pull.events.length,
      requests: 7,
    });
    const a = await db.prisma.subscription.findUniqueOrThrow({ where: { id: 'sub-a' } });
    expect(a).toMatchObject({
      quantity: 12,
      origin: 'pax8',
      term: 'P1Y',
      termEndDate: '2027-01-14',
      autoRenew: true,
    });
    const events = await db.prisma.subscriptionEvent.findMany({ where: { subscriptionId: 'sub-a' } });
    expect(events.map((e) => [e.effectiveDate, e.kind, e.sourceEventId, e.source]).sort()).toEqual([
      ['2026-01-15', 'created', 'h-1', 'source:pax8'],
      ['2026-03-02', 'quantity_changed', 'h-2', 'source:pax8'],
    ]);
    // a tenant id is one tenant however it is written
    const acme = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Acme Corp' } });
    expect(acme).toMatchObject({
      tenantId: 'tenant-acme',
      externalId: 'tenant-acme',
      domain: 'acme.example',
    });
    const globex = await db.prisma.customer.findFirstOrThrow({ where: { name: 'Globex' } });
    expect(globex.externalId).toBe('co-2');

    const second = await pullSource(deps({ pax8: scripted('pax8', () => pax8Pull()) }, '2026-12-02'), {
      source: 'pax8',
      actor,
    });
    expect(second).toMatchObject({ outcome: 'ok', eventsNew: 0, eventsAlreadyStored: pull.events.length });
    expect(await db.prisma.customer.count()).toBe(2);
    const records = await db.prisma.sourcePull.findMany({ orderBy: { startedAt: 'asc' } });
    expect(records.map((r) => [r.outcome, r.eventsNew, r.pullDate])).toEqual([
      ['ok', 3, '2026-12-01'],
      ['ok', 0, '2026-12-02'],
    ]);
    const audits = await db.prisma.auditRecord.findMany({ where: { action: 'source.pulled' } });
    expect(audits).toHaveLength(2);
  });

  it('one customer across sources by tenant id; a tenant two customers claim is a finding, not a merge', async () => {
    const result = await pullSource(
      deps({
        'partner-center': snapshotSource({
          customers: [
            { sourceId: 'tenant-acme', tenantId: 'tenant-acme', name: 'ACME Corporation' },
            { sourceId: 'tenant-globex', tenantId: 'tenant-globex', name: 'Globex' },
          ],
          subscriptions: [listed('pc-1', 'tenant-acme', 5), listed('pc-2', 'tenant-globex', 2)],
        }),
      }),
      { source: 'partner-center', actor },
    );
    const acme = await db.prisma.customer.findFirstOrThrow({ where: { tenantId: 'tenant-acme' } });
    expect(acme.name).toBe('Acme Corp');
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: 'pc-1' } })).customerId).toBe(
      acme.id,
    );
    // Globex came from Pax8 with no tenant and its Pax8 id as external id: Partner Center's
    // Globex is a new customer (ids only; the same name alone merges nothing)
    expect(await db.prisma.customer.count({ where: { name: 'Globex' } })).toBe(2);
    expect(result).toMatchObject({
      outcome: 'ok',
      customers: 2,
      customersCreated: 1,
      subscriptionsCreated: 2,
    });

    // Pax8 now says its Globex (co-2) is of tenant-globex — which is Partner Center's other customer
    const conflicting = pax8Pull({
      customers: [{ sourceId: 'co-2', name: 'Globex', tenantId: 'tenant-globex' }],
      subscriptions: [pax8Pull().subscriptions[1]!],
      events: [
        {
          subscriptionId: 'sub-b',
          effectiveDate: '2026-11-20',
          kind: 'quantity_changed',
          quantityBefore: 3,
          quantityAfter: 4,
          sourceEventId: 'h-9',
        },
      ],
    });
    const held = await pullSource(deps({ pax8: scripted('pax8', () => conflicting) }, '2026-12-02'), {
      source: 'pax8',
      actor,
    });
    expect(held.outcome).toBe('partial');
    expect(held.findings).toEqual([
      expect.objectContaining({ code: 'SOURCE_CUSTOMER_CONFLICT', sourceId: 'co-2', entity: 'customer' }),
    ]);
    expect(held.eventsNew).toBe(0);
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: 'sub-b' } })).quantity).toBe(3);
  });

  it('a snapshot source diffs only its own subscriptions, dates changes by activity records, and refuses a mass cancel', async () => {
    const customers = [{ sourceId: 'tenant-acme', tenantId: 'tenant-acme', name: 'Acme Corp' }];
    const base = { source: 'partner-center' as const, actor, customerId: undefined };
    const pax8Before = await db.prisma.subscription.findMany({ where: { origin: 'pax8' } });

    // pc-1 grew on the 3rd (its activity record says so); pc-3 is new; the Pax8 ones are untouched
    const changed = await pullSource(
      deps(
        {
          'partner-center': snapshotSource({
            customers,
            subscriptions: [listed('pc-1', 'tenant-acme', 8), listed('pc-3', 'tenant-acme', 1)],
            activity: [
              { subscriptionId: 'pc-1', change: 'quantity', date: '2026-12-03', recordId: 'r-1' },
              { subscriptionId: 'pc-1', change: 'quantity', date: '2026-11-01', recordId: 'r-old' },
            ],
          }),
        },
        '2026-12-04',
      ),
      {
        ...base,
        customerId: (await db.prisma.customer.findFirstOrThrow({ where: { tenantId: 'tenant-acme' } })).id,
      },
    );
    expect(changed.outcome).toBe('ok');
    const pc1 = await db.prisma.subscriptionEvent.findMany({
      where: { subscriptionId: 'pc-1', kind: 'quantity_changed' },
    });
    expect(pc1.map((e) => [e.effectiveDate, e.quantityBefore, e.quantityAfter])).toEqual([
      ['2026-12-03', 5, 8],
    ]);
    const pc3 = await db.prisma.subscriptionEvent.findMany({ where: { subscriptionId: 'pc-3' } });
    expect(pc3.map((e) => [e.effectiveDate, e.kind])).toEqual([['2026-12-04', 'created']]);
    expect(await db.prisma.subscription.findMany({ where: { origin: 'pax8' } })).toEqual(pax8Before);

    // everything of Acme gone at once (a permission lost on the vendor's side, say): refused
    const empty = await pullSource(
      deps({ 'partner-center': snapshotSource({ customers }) }, '2026-12-05'),
      base,
    );
    expect(empty.outcome).toBe('failed');
    expect(empty.problem?.code).toBe('SOURCE_MASS_CANCEL');
    expect(
      await db.prisma.subscription.count({ where: { origin: 'partner-center', status: 'cancelled' } }),
    ).toBe(0);
  });

  it('an unreadable row is a finding carrying the source id; a failed pull is recorded with its problem', async () => {
    // a customer whose name the database cannot store (a NUL): left out by its id, the rest stored
    const withBadRow = pax8Pull({
      customers: [...pax8Pull().customers, { sourceId: 'co-\u0000x', name: 'Nul\u0000 Ltd' }],
      problems: [{ entity: 'subscription', sourceId: 'sub-zz', reason: 'quantity must be a whole number' }],
    });
    const partial = await pullSource(deps({ pax8: scripted('pax8', () => withBadRow) }, '2026-12-06'), {
      source: 'pax8',
      actor,
    });
    expect(partial.outcome).toBe('partial');
    expect(partial.findings).toEqual([
      expect.objectContaining({ code: 'SOURCE_ROW_UNREADABLE', sourceId: 'sub-zz', entity: 'subscription' }),
      expect.objectContaining({ code: 'SOURCE_ROW_UNREADABLE', sourceId: 'co-\uFFFDx', entity: 'customer' }),
    ]);
    const stored = await db.prisma.sourcePull.findUniqueOrThrow({ where: { id: partial.pullId } });
    expect(stored.findings).toHaveLength(2);

    const refusing: SourceConnector = {
      name: 'pax8',
      baseUrl: 'http://pax8.invalid/',
      test: () => Promise.reject(new Error('not used')),
      pull: () =>
        Promise.reject(
          new SourceError(
            'pax8',
            'SOURCE_AUTH_FAILED',
            'Pax8 refused the client credentials',
            'check PAX8_CLIENT_SECRET',
            401,
          ),
        ),
    };
    const failed = await pullSource(deps({ pax8: refusing }, '2026-12-07'), { source: 'pax8', actor });
    expect(failed).toMatchObject({ outcome: 'failed', problem: { code: 'SOURCE_AUTH_FAILED' } });
    const record = await db.prisma.sourcePull.findUniqueOrThrow({ where: { id: failed.pullId } });
    expect(record.outcome).toBe('failed');
    expect(record.problem).toMatchObject({ code: 'SOURCE_AUTH_FAILED', hint: 'check PAX8_CLIENT_SECRET' });

    const unconfigured = await pullSource(deps({}), { source: 'partner-center', actor });
    expect(unconfigured.problem?.code).toBe('SOURCE_NOT_CONFIGURED');
    expect(unconfigured.problem?.hint).toContain('PARTNER_CENTER_APP_ID');
  });
});

describe('a snapshot pull, where other inputs were first', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  const deps = (connector: SourceConnector, today: string): PullDependencies => ({
    prisma: db.prisma,
    connectors: { 'partner-center': connector },
    now: () => new Date(`${today}T06:00:00Z`),
  });

  it('never creates again what a file brought, and matches its external id in any case', async () => {
    // a CSV exported from Partner Center: the tenant id in capitals, the subscription already known
    const customer = await db.prisma.customer.create({
      data: { name: 'Fabrikam', externalId: 'TENANT-FAB' },
    });
    await db.prisma.subscription.create({
      data: {
        id: 'pc-fab-1',
        customerId: customer.id,
        productName: 'Microsoft 365 E3',
        billingCycle: 'monthly',
        billingType: 'quantity',
        status: 'active',
        quantity: 7,
        unitPrice: '36',
        currency: 'USD',
      },
    });
    await db.prisma.subscriptionEvent.create({
      data: {
        subscriptionId: 'pc-fab-1',
        effectiveDate: '2026-01-01',
        kind: 'created',
        quantityAfter: 7,
        statusAfter: 'active',
        priceAfter: '36',
        billingCycleAfter: 'monthly',
        idempotencyKey: 'csv-1',
        source: 'import:fabrikam.csv',
      },
    });
    const pulled = await pullSource(
      deps(
        snapshotSource({
          customers: [{ sourceId: 'tenant-fab', tenantId: 'tenant-fab', name: 'Fabrikam, Inc.' }],
          subscriptions: [listed('pc-fab-1', 'tenant-fab', 7)],
        }),
        '2026-12-01',
      ),
      { source: 'partner-center', actor },
    );
    expect(pulled).toMatchObject({ outcome: 'ok', customersCreated: 0, eventsNew: 0 });
    expect(await db.prisma.customer.count()).toBe(1);
    const events = await db.prisma.subscriptionEvent.findMany({ where: { subscriptionId: 'pc-fab-1' } });
    expect(events.map((e) => e.kind)).toEqual(['created']);
    const subscription = await db.prisma.subscription.findUniqueOrThrow({ where: { id: 'pc-fab-1' } });
    expect(subscription).toMatchObject({
      origin: 'partner-center',
      unitPrice: expect.anything(),
      quantity: 7,
    });
    expect(subscription.unitPrice.toString()).toBe('36');
  });

  it('does not cancel the subscriptions of a customer the vendor did not answer for', async () => {
    const customers = [
      { sourceId: 'tenant-fab', tenantId: 'tenant-fab', name: 'Fabrikam, Inc.' },
      { sourceId: 'tenant-tail', tenantId: 'tenant-tail', name: 'Tailspin' },
    ];
    const subs = ['a', 'b', 'c', 'd', 'e'].map((k) => listed(`pc-tail-${k}`, 'tenant-tail', 2));
    expect(
      (
        await pullSource(
          deps(
            snapshotSource({ customers, subscriptions: [listed('pc-fab-1', 'tenant-fab', 7), ...subs] }),
            '2026-12-02',
          ),
          {
            source: 'partner-center',
            actor,
          },
        )
      ).outcome,
    ).toBe('ok');
    // Tailspin's subscriptions list answered 404 today: a problem for the customer, no rows
    const unanswered = await pullSource(
      deps(
        snapshotSource({
          customers,
          subscriptions: [listed('pc-fab-1', 'tenant-fab', 7)],
          problems: [{ entity: 'customer', sourceId: 'tenant-tail', reason: 'Partner Center answered 404' }],
        }),
        '2026-12-03',
      ),
      { source: 'partner-center', actor },
    );
    expect(unanswered).toMatchObject({ outcome: 'partial', eventsNew: 0 });
    expect(
      await db.prisma.subscription.count({ where: { id: { startsWith: 'pc-tail-' }, status: 'active' } }),
    ).toBe(5);
  });

  it('a refused pull stores nothing at all: no customer, no link', async () => {
    const before = {
      customers: await db.prisma.customer.count(),
      links: await db.prisma.customerSourceLink.count(),
    };
    const refused = await pullSource(
      deps(
        snapshotSource({
          // a new customer, and every subscription of the others gone at once
          customers: [{ sourceId: 'tenant-new', tenantId: 'tenant-new', name: 'Newcomer' }],
          subscriptions: [listed('pc-new-1', 'tenant-new', 1)],
        }),
        '2026-12-04',
      ),
      { source: 'partner-center', actor },
    );
    expect(refused.problem?.code).toBe('SOURCE_MASS_CANCEL');
    expect({
      customers: await db.prisma.customer.count(),
      links: await db.prisma.customerSourceLink.count(),
    }).toEqual(before);
    expect(await db.prisma.subscription.count({ where: { id: 'pc-new-1' } })).toBe(0);
    expect(await db.prisma.auditRecord.count({ where: { action: 'source.pull_failed' } })).toBe(1);
  });
});
