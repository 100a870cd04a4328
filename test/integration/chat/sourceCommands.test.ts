// The source commands through the chat router: grammar, who may do what (adding and removing a
// source is an admin's; testing and pulling an operator's), customer resolution, and the cards.
import type { ChatReply } from '../../../src/chat/cardModel.js';
import { ChatRouter } from '../../../src/chat/chatRouter.js';
import { DeliveryLedger } from '../../../src/chat/deliveryLedger.js';
import type { Identity } from '../../../src/chat/identity.js';
import { RoleStore } from '../../../src/chat/roleStore.js';
import { renderCardAsText } from '../../../src/chat/console/textRenderer.js';
import { createLogger } from '../../../src/observability/logger.js';
import { InMemoryChatServices } from '../../helpers/inMemoryChatServices.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const ADMIN: Identity = 'slack:T1:UADMIN';
const OPS: Identity = 'slack:T1:UOPS';
const VIEWER: Identity = 'slack:T1:UVIEW';
let db: TestDatabase;
let services: InMemoryChatServices;
let router: ChatRouter;
let northwind: { id: string; name: string };

const say = (id: Identity, text: string): Promise<ChatReply> =>
  router.handle({
    actor: { id },
    text,
    via: 'typed',
    channel: { platform: 'slack', id: 'C1', workspace: 'T1', label: '#billing' },
    prefix: '/autotask ',
  });
const textOf = (reply: ChatReply) => reply.cards.map((c) => renderCardAsText(c)).join('\n');

beforeAll(async () => {
  db = await createTestDatabase();
  northwind = await db.prisma.customer.create({
    data: { name: 'Northwind Traders' },
    select: { id: true, name: true },
  });
  services = new InMemoryChatServices({ customers: [northwind], prisma: db.prisma });
  router = new ChatRouter({
    services,
    roles: new RoleStore(db.prisma, [ADMIN]),
    ledger: new DeliveryLedger(db.prisma),
    logger: createLogger({ level: 'silent', format: 'json', secrets: [] }),
  });
  await say(ADMIN, 'grant <@UOPS> operator');
  await say(ADMIN, 'grant <@UVIEW> viewer');
});
afterAll(() => db.drop());

describe('source commands', () => {
  it('answers a wrong action or source with the usage', async () => {
    const wrongAction = textOf(await say(OPS, 'source fetch pax8'));
    expect(wrongAction).toContain('source needs add, remove, test or sync');
    expect(wrongAction).toContain('Usage: /autotask source add pax8|partner-center');
    expect(textOf(await say(OPS, 'source sync xero'))).toContain('needs the source: pax8 or partner-center');
    expect(textOf(await say(ADMIN, 'source add pax8 now'))).toContain("takes only the source's name");
    expect(services.callsOf('syncSource')).toHaveLength(0);
  });

  it('lets an admin add and remove a source, and refuses an operator (audited)', async () => {
    const denied = await say(OPS, 'source add pax8');
    expect(denied.denied).toBe(true);
    expect(textOf(denied)).toContain('admin');
    expect(services.callsOf('addSource')).toHaveLength(0);
    const audit = await db.prisma.auditRecord.findFirstOrThrow({
      where: { action: 'chat.denied', actorId: OPS },
    });
    expect(audit.details).toMatchObject({ command: 'source', needed: 'admin', held: 'operator' });

    const added = await say(ADMIN, 'source add pax8');
    expect(added.cards[0]!.kind).toBe('sources');
    expect(textOf(added)).toContain('on (0 1 * * *)');
    expect((await say(OPS, 'source remove pax8')).denied).toBe(true);
    expect(textOf(await say(ADMIN, 'source remove pax8'))).toContain('Pax8 is off');
  });

  it('lets an operator test and pull, a viewer only list', async () => {
    expect((await say(VIEWER, 'source sync pax8')).denied).toBe(true);
    expect((await say(VIEWER, 'sources')).cards[0]!.kind).toBe('sources');
    expect((await say(OPS, 'source test partner-center')).cards[0]!.kind).toBe('source-test');
    const pulled = await say(OPS, 'source sync pax8 northwind');
    expect(pulled.cards[0]!.kind).toBe('source-pull');
    expect(services.callsOf('syncSource').at(-1)!.input).toMatchObject({
      source: 'pax8',
      customerId: northwind.id,
    });
    await say(OPS, 'source sync partner-center');
    expect(services.callsOf('syncSource').at(-1)!.input).toMatchObject({
      source: 'partner-center',
      customerId: null,
    });
  });
});
