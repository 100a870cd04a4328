// Pulls from the strict stand-ins over real HTTP into a real PostgreSQL, through pullSource:
// the demo's Pax8 stand-in stores exactly what the demo's CSV import stores; a Pax8 world's
// new changes, and only those, are stored by the next pull; a Partner Center change is dated by
// its activity record; a second pull stores nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectSources } from '../../../src/app/sourceConnections.js';
import { loadConfig } from '../../../src/config.js';
import { importDemoPartner } from '../../../src/demo/demoPartner.js';
import { startPartnerCenterStandIn } from '../../../src/sandbox/partnerCenter/partnerCenterStandIn.js';
import { randomPartnerCenterWorld } from '../../../src/sandbox/partnerCenter/partnerCenterWorld.js';
import { startPax8StandIn } from '../../../src/sandbox/pax8/pax8StandIn.js';
import { randomPax8World } from '../../../src/sandbox/pax8/randomPax8World.js';
import { createPartnerCenterConnector } from '../../../src/sources/partnerCenter/partnerCenterConnector.js';
import { createPax8Connector } from '../../../src/sources/pax8/pax8Connector.js';
import type { PrismaClient } from '../../../src/db/prismaClient.js';
import { pullSource } from '../../../src/useCases/pullSource.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const actor = { id: 'system:test', name: 'test' };
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => undefined };

/** What billing depends on, with nothing of where it came from (ids of rows, channels, keys). */
async function storedHistory(prisma: PrismaClient) {
  const subscriptions = await prisma.subscription.findMany({
    include: { customer: { select: { name: true } } },
    orderBy: { id: 'asc' },
  });
  const events = await prisma.subscriptionEvent.findMany();
  return {
    subscriptions: subscriptions.map((s) => ({
      id: s.id,
      customer: s.customer.name,
      productName: s.productName,
      sku: s.sku,
      billingCycle: s.billingCycle,
      status: s.status,
      quantity: s.quantity,
      unitPrice: s.unitPrice.toString(),
      currency: s.currency,
    })),
    events: events
      .map((e) =>
        [
          e.subscriptionId,
          e.effectiveDate,
          e.kind,
          e.quantityBefore,
          e.quantityAfter,
          e.statusBefore,
          e.statusAfter,
          e.priceBefore?.toString() ?? null,
          e.priceAfter?.toString() ?? null,
          e.billingCycleBefore,
          e.billingCycleAfter,
        ].join('|'),
      )
      .sort(),
  };
}

describe('pulls stored from the stand-ins', () => {
  const dbs: TestDatabase[] = [];
  const database = async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it("the demo's Pax8 stand-in stores what the demo's CSV import stores, and a second pull nothing", async () => {
    const endDate = '2026-11-30';
    const [pulled, imported] = [await database(), await database()];
    const sources = await connectSources(loadConfig({}), { demoEndDate: endDate });
    try {
      expect(sources.modes.pax8).toBe('stand-in');
      const first = await pullSource(
        {
          prisma: pulled.prisma,
          connectors: sources.connectors,
          now: () => new Date(`${endDate}T08:00:00Z`),
        },
        { source: 'pax8', actor },
      );
      expect(first.outcome).toBe('ok');
      const csv = await importDemoPartner(imported.prisma, { endDate, actor });
      expect(csv.stored).toBe(true);
      const fromPax8 = await storedHistory(pulled.prisma);
      expect(fromPax8.events.length).toBe(csv.eventsNew);
      expect(fromPax8).toEqual(await storedHistory(imported.prisma));

      const again = await pullSource(
        {
          prisma: pulled.prisma,
          connectors: sources.connectors,
          now: () => new Date(`${endDate}T09:00:00Z`),
        },
        { source: 'pax8', actor },
      );
      expect(again).toMatchObject({ outcome: 'ok', eventsNew: 0, eventsAlreadyStored: first.eventsNew });
    } finally {
      await sources.close();
    }
  });

  describe('Pax8: 50 companies, 500 subscriptions', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await database();
    });

    it("stores every event of the world's history, then only the day's new changes", async () => {
      const standIn = await startPax8StandIn({
        world: randomPax8World({ seed: 21, companies: 50, subscriptions: 500, days: 3 }),
      });
      try {
        const connector = createPax8Connector(
          {
            clientId: standIn.clientId,
            clientSecret: standIn.clientSecret,
            baseUrl: standIn.url,
            tokenUrl: standIn.tokenUrl,
          },
          fast,
        );
        const direct = await connector.pull({ today: standIn.world.today });
        const deps = { prisma: db.prisma, connectors: { pax8: connector } };
        const first = await pullSource(deps, { source: 'pax8', actor });
        expect(first).toMatchObject({
          outcome: 'ok',
          eventsNew: direct.kind === 'history' ? direct.events.length : -1,
        });
        expect(first.customers).toBe(50);
        expect(await db.prisma.customerSourceLink.count({ where: { source: 'pax8' } })).toBe(50);
        expect(await db.prisma.subscription.count({ where: { origin: 'pax8' } })).toBe(first.subscriptions);

        // a day later: one subscription grows by 3, one is suspended
        standIn.controls.advanceDays(1);
        const live = standIn.world.subscriptions.filter((s) => s.status === 'Active');
        const [grows, paused] = [live[0]!, live[1]!];
        const before = grows.quantity;
        standIn.controls.changeSubscription(grows.id, { quantity: before + 3 });
        standIn.controls.changeSubscription(paused.id, { status: 'Suspended' });
        const second = await pullSource(deps, { source: 'pax8', actor });
        expect(second.eventsNew).toBe(2);
        const fresh = await db.prisma.subscriptionEvent.findMany({
          where: { subscriptionId: { in: [grows.id, paused.id] }, effectiveDate: standIn.world.today },
        });
        expect(fresh.map((e) => [e.subscriptionId, e.kind, e.quantityAfter, e.statusAfter]).sort()).toEqual(
          [
            [grows.id, 'quantity_changed', before + 3, null],
            [paused.id, 'suspended', null, 'suspended'],
          ].sort(),
        );
        expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: grows.id } })).quantity).toBe(
          before + 3,
        );

        // a row Pax8 sends broken is reported by its id; the rest of the day is stored, and the
        // broken subscription keeps what it had (not cancelled, not changed)
        standIn.controls.advanceDays(1);
        const [broken, other] = [live[2]!, live[3]!];
        const brokenBefore = await db.prisma.subscription.findUniqueOrThrow({ where: { id: broken.id } });
        standIn.controls.malform(broken.id);
        standIn.controls.changeSubscription(other.id, { quantity: other.quantity + 1 });
        const third = await pullSource(deps, { source: 'pax8', actor });
        expect(third.outcome).toBe('partial');
        expect(third.findings.map((f) => [f.code, f.sourceId])).toEqual([
          ['SOURCE_ROW_UNREADABLE', broken.id],
        ]);
        expect(third.eventsNew).toBe(1);
        expect(await db.prisma.subscription.findUniqueOrThrow({ where: { id: broken.id } })).toEqual(
          brokenBefore,
        );
        const record = await db.prisma.sourcePull.findUniqueOrThrow({ where: { id: third.pullId } });
        expect(record.findings).toEqual([expect.objectContaining({ sourceId: broken.id })]);
      } finally {
        await standIn.close();
      }
    });
  });

  it('Partner Center: a change is dated by its activity record, and a second pull stores nothing', async () => {
    const db = await database();
    const world = randomPartnerCenterWorld({
      seed: 5,
      customers: 20,
      subscriptions: 120,
      today: '2026-11-20',
    });
    const standIn = await startPartnerCenterStandIn({ world });
    try {
      const connector = createPartnerCenterConnector(
        {
          appId: standIn.credentials.appId,
          appSecret: standIn.credentials.appSecret,
          tenantId: standIn.credentials.tenantId,
          refreshToken: standIn.credentials.refreshToken,
          baseUrl: standIn.url,
          loginUrl: standIn.loginUrl,
        },
        fast,
      );
      let today = '2026-11-20';
      const deps = {
        prisma: db.prisma,
        connectors: { 'partner-center': connector },
        now: () => new Date(`${today}T06:00:00Z`),
      };
      const first = await pullSource(deps, { source: 'partner-center', actor });
      expect(first.outcome).toBe('ok');
      // Microsoft's deleted, expired and disabled are cancelled: nothing to bill, nothing stored
      const billable = world.subscriptions.filter(
        (s) => !['deleted', 'expired', 'disabled'].includes(s.status),
      );
      expect(first.subscriptionsCreated).toBe(billable.length);
      expect(await db.prisma.subscription.count({ where: { origin: 'partner-center' } })).toBe(
        billable.length,
      );

      // two days later: one subscription went from q to q+2 yesterday (the audit record says so)
      const target = billable.find((s) => s.status === 'active')!;
      const yesterday = standIn.controls.advanceDay();
      standIn.controls.advanceDay();
      standIn.controls.changeSubscription(
        target.customerId,
        target.id,
        { quantity: target.quantity + 2 },
        yesterday,
      );
      today = '2026-11-22';
      const second = await pullSource(deps, { source: 'partner-center', actor });
      expect(second).toMatchObject({ outcome: 'ok', eventsNew: 1 });
      const change = await db.prisma.subscriptionEvent.findFirstOrThrow({
        where: { subscriptionId: target.id, kind: 'quantity_changed' },
      });
      expect([change.effectiveDate, change.quantityBefore, change.quantityAfter]).toEqual([
        '2026-11-21',
        target.quantity - 2,
        target.quantity,
      ]);

      const third = await pullSource(deps, { source: 'partner-center', actor });
      expect(third).toMatchObject({ outcome: 'ok', eventsNew: 0 });
    } finally {
      await standIn.close();
    }
  });
});
