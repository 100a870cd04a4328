// Demo mode at start (src/demo/demoMode.ts): the partner and the playground's people once; a
// restart — even days later, when "today" has moved — stores nothing new and re-grants nothing.
import { loadConfig } from '../../../src/config.js';
import { DEMO_PEOPLE, prepareDemo } from '../../../src/demo/demoMode.js';
import { RoleStore } from '../../../src/chat/roleStore.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const rows = async () => ({
  customers: await db.prisma.customer.count(),
  subscriptions: await db.prisma.subscription.count(),
  events: await db.prisma.subscriptionEvent.count(),
  grants: await db.prisma.chatRoleGrant.count(),
  audit: await db.prisma.auditRecord.count(),
});

describe('demo mode at start', () => {
  it('imports the partner and grants the demo roles once; later starts change nothing', async () => {
    const config = loadConfig({ DATABASE_URL: db.url, DEMO_PARTNER: 'on' });
    const first = await prepareDemo(db.prisma, config, { today: '2026-11-25' });
    expect(first).toEqual({ endDate: '2026-11-25', imported: true, customers: 32, from: 'csv' });
    const roles = new RoleStore(db.prisma, []);
    for (const person of DEMO_PEOPLE) expect(await roles.roleOf(person.identity)).toBe(person.role);
    const before = await rows();

    // an admin revokes a demo role; a restart a week later neither re-imports nor re-grants
    await roles.revoke('cli:victor', 'viewer', { id: 'cli:admin' });
    const revoked = await rows();
    const again = await prepareDemo(db.prisma, config, { today: '2026-12-02' });
    expect(again).toEqual({ endDate: '2026-11-25', imported: false, customers: 32, from: 'csv' });
    expect(await rows()).toEqual(revoked);
    expect(revoked.events).toBe(before.events);
  });

  it('is on only when nothing is configured (database, Autotask), unless DEMO_PARTNER says otherwise', () => {
    expect(loadConfig({}).demoPartner).toBe('on');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).demoPartner).toBe('off');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db', DEMO_PARTNER: 'on' }).demoPartner).toBe('on');
    expect(loadConfig({ AUTOTASK_MODE: 'sandbox' }).demoPartner).toBe('off');
    expect(loadConfig({ AUTOTASK_MODE: 'sandbox', DEMO_PARTNER: 'on' }).demoPartner).toBe('on');
    expect(loadConfig({ SANDBOX_SEED: 'seed.json' }).demoPartner).toBe('off');
    expect(loadConfig({ DEMO_PARTNER: 'off' }).demoPartner).toBe('off');
    expect(
      loadConfig({ AUTOTASK_USERNAME: 'a@b.c', AUTOTASK_SECRET: 's', AUTOTASK_INTEGRATION_CODE: 'C' })
        .demoPartner,
    ).toBe('off');
  });
});
