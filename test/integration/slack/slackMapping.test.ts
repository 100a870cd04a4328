// The mapping card clicked through Slack on the real bot with the demo tenant's catalogue (40
// services: static selects): choosing a service maps the product, a viewer's choice is refused,
// "Confirm all suggestions" confirms them. And the mapping mode: what chat sets is what the mapping
// part reads (one setting, one vocabulary: automatic | manual; `auto` accepted as input).
import { getMappingMode, MAPPING_MODE_KEY } from '../../../src/mapping/mappingMode.js';
import type { SlackAction } from '../../helpers/signedSlackRequests.js';
import { ADMIN, OPS, startSlackHarness, VIEWER, type SlackHarness } from '../../helpers/slackBotHarness.js';
import { button, limitProblems, selectsOf, textOfCall } from '../../helpers/slackMessages.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
}, 120_000);
afterAll(() => h?.close());

const customerId = async (name: string) =>
  (await h.db.prisma.customer.findFirstOrThrow({ where: { name } })).id;
const answerTo = async (id: string) => (await h.recorder.waitFor((c) => c.responseId === id, 1, 30_000))[0]!;

describe('the mapping card in Slack', () => {
  it('a static select over the demo catalogue: a viewer choosing is refused, an operator choosing maps the product', async () => {
    const { message } = await h.command(OPS, 'map contoso');
    expect(limitProblems(message)).toEqual([]);
    const [select] = selectsOf(message, 'static_select');
    const options = (select!.accessory as { options: { value: string; text: { text: string } }[] }).options;
    // the demo catalogue: 40 Monthly services and the Yearly twin of each of the 15 products
    expect(options).toHaveLength(55);
    // each option names its service so that twins of one name can be told apart
    expect(options.map((o) => o.text.text)).toContainEqual(
      expect.stringMatching(/^\d+ · Azure AD Premium P1 · Yearly · CFQ7TTC0LFK5:0001-P1Y · 68\.40$/),
    );
    expect(textOfCall(message)).toContain('Microsoft 365 Copilot');
    const choice = options[0]!;
    const action: SlackAction = {
      type: 'static_select',
      action_id: 'select',
      block_id: String(select!.block_id),
      selected_option: { value: choice.value },
    };
    const byViewer = await h.click(VIEWER, action, '1.1');
    expect(textOfCall(await answerTo(byViewer.id))).toContain('needs the *operator* role');
    const contoso = await customerId('Contoso Ltd');
    expect(await h.db.prisma.customerProductOverride.count({ where: { customerId: contoso } })).toBe(0);

    const byOps = await h.click(OPS, action, '1.2');
    expect(textOfCall(await answerTo(byOps.id))).toContain(`service ${choice.value}`);
    expect(
      await h.db.prisma.customerProductOverride.findMany({
        where: { customerId: contoso },
        select: { productName: true, serviceId: true },
      }),
    ).toEqual([{ productName: 'Microsoft 365 Copilot', serviceId: Number(choice.value) }]);
  });

  it('"Confirm all suggestions" confirms every pending suggestion of the customer', async () => {
    const { message } = await h.command(OPS, 'map northwind');
    const confirm = button(message, 'Confirm all suggestions');
    const pending = await h.db.prisma.mappingSuggestion.count({
      where: { status: 'pending', productName: 'Visio Plan 2' },
    });
    expect(pending).toBeGreaterThan(0);
    const clicked = await h.click(OPS, confirm, '1.1');
    expect(textOfCall(await answerTo(clicked.id))).toContain('Visio Plan 2');
    expect(
      await h.db.prisma.mappingSuggestion.count({
        where: { status: 'pending', productName: 'Visio Plan 2' },
      }),
    ).toBe(0);
    const again = await h.command(OPS, 'map northwind');
    expect(textOfCall(again.message)).not.toContain('Confirm all suggestions');
  });
});

describe('mapping mode: chat and the mapping part read one setting', () => {
  it('`mode manual` stops automatic mapping; `mode auto` (or automatic) starts it again', async () => {
    expect(await getMappingMode(h.db.prisma)).toBe('automatic');
    const manual = await h.command(ADMIN, 'mode manual');
    expect(textOfCall(manual.message)).toContain('*manual*');
    expect(await getMappingMode(h.db.prisma)).toBe('manual');

    // in manual mode an exact company match is only suggested
    const wingtip = await customerId('Wingtip Toys');
    const card = await h.command(OPS, 'map "Wingtip Toys"');
    expect(textOfCall(card.message)).toContain('*Mode*\\nmanual');
    expect(await h.db.prisma.customerCompanyMapping.count({ where: { customerId: wingtip } })).toBe(0);

    const auto = await h.command(ADMIN, 'mode auto');
    expect(textOfCall(auto.message)).toContain('Mapping mode is now *automatic*');
    expect(await getMappingMode(h.db.prisma)).toBe('automatic');
    const mapped = await h.command(OPS, 'map "Wingtip Toys"');
    expect(textOfCall(mapped.message)).toContain('*Mode*\\nautomatic');
    expect(await h.db.prisma.customerCompanyMapping.count({ where: { customerId: wingtip } })).toBe(1);

    expect(textOfCall((await h.command(ADMIN, 'mode MANUAL')).message)).toContain('*manual*');
    expect(textOfCall((await h.command(ADMIN, 'mode automatic')).message)).toContain('*automatic*');
    const status = await h.command(VIEWER, 'status');
    expect(textOfCall(status.message)).toContain('*Mapping mode*\\nautomatic');
    // both changes were audited as settings changes, in the stored vocabulary
    const changes = await h.db.prisma.auditRecord.findMany({
      where: { action: 'settings.changed', actorId: 'slack:T1:UADMIN' },
      orderBy: { id: 'asc' },
    });
    expect(
      changes
        .map((c) => c.details as { key: string; after: unknown })
        .filter((d) => d.key === MAPPING_MODE_KEY)
        .map((d) => d.after),
    ).toEqual(['manual', 'automatic', 'manual', 'automatic']);
  });

  it('a mode stored as `auto` (what chat wrote before) reads as automatic', async () => {
    await h.db.prisma.setting.update({ where: { key: MAPPING_MODE_KEY }, data: { value: 'auto' } });
    expect(await getMappingMode(h.db.prisma)).toBe('automatic');
    await h.db.prisma.setting.update({ where: { key: MAPPING_MODE_KEY }, data: { value: 'manual' } });
    expect(await getMappingMode(h.db.prisma)).toBe('manual');
  });
});
