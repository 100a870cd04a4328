// Issue 18, "must show" 4 and 7, through the real bot (Slack in, the CLI beside it) and its
// Autotask sandbox seeded with a catalogue shaped like most partners': every product as a Monthly
// and as a Yearly service of one name (and a Quarterly trap). Fabrikam holds Business Premium
// monthly (with a suspension and a price change), annually, and once switching from monthly to
// annual; Exchange monthly until cancelled; and a usage-based product that is skipped.
// `map` maps everything with no person, `validate` is clean, the upload runs, and on every date
// the units the sandbox has in force for each subscription equal what its history says — on the
// contract and service of the cycle it was billed in on that date.
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { ContractServiceUnitSchema } from '../../../src/autotask/entities.js';
import { chatCliBeside } from '../../helpers/chatCli.js';
import { OPS, startSlackHarness, type SlackHarness } from '../../helpers/slackBotHarness.js';
import { buttonsOf, limitProblems, selectsOf, textOfCall } from '../../helpers/slackMessages.js';

const SEED = path.resolve('src/sandbox/seeds/billing-periods.json');
const PREMIUM = 'Microsoft 365 Business Premium';
const EXCHANGE = 'Exchange Online (Plan 1)';
const MONTHLY_CONTRACT = 100;
const ANNUAL_CONTRACT = 200;
/** service per product and cycle in the seed: the Monthly and the Yearly service of one name */
const SERVICE: Record<string, Record<'monthly' | 'annual', number>> = {
  [PREMIUM]: { monthly: 11, annual: 12 },
  [EXCHANGE]: { monthly: 21, annual: 22 },
};

interface Ev {
  date: string;
  kind: string;
  quantityBefore?: number;
  quantityAfter?: number;
  priceBefore?: string;
  priceAfter?: string;
  billingCycleBefore?: string;
  billingCycleAfter?: string;
}
interface Sub {
  id: string;
  productName: string;
  sku: string | null;
  billingCycle: string;
  billingType: string;
  status: string;
  quantity: number;
  unitPrice: string;
  events: Ev[];
}

const SUBSCRIPTIONS: Sub[] = [
  {
    id: 'fab-premium-monthly',
    productName: PREMIUM,
    sku: 'CFQ7TTC0LCHC:0002',
    billingCycle: 'monthly',
    billingType: 'quantity',
    status: 'active',
    quantity: 12,
    unitPrice: '23.00',
    events: [
      {
        date: '2026-01-05',
        kind: 'created',
        quantityAfter: 10,
        priceAfter: '22.00',
        billingCycleAfter: 'monthly',
      },
      { date: '2026-02-10', kind: 'quantity_changed', quantityBefore: 10, quantityAfter: 12 },
      { date: '2026-03-01', kind: 'suspended' },
      { date: '2026-03-15', kind: 'reactivated' },
      { date: '2026-04-01', kind: 'price_changed', priceBefore: '22.00', priceAfter: '23.00' },
    ],
  },
  {
    id: 'fab-premium-annual',
    productName: PREMIUM,
    sku: 'CFQ7TTC0LCHC:0002',
    billingCycle: 'annual',
    billingType: 'quantity',
    status: 'active',
    quantity: 7,
    unitPrice: '264.00',
    events: [
      {
        date: '2026-01-10',
        kind: 'created',
        quantityAfter: 5,
        priceAfter: '264.00',
        billingCycleAfter: 'annual',
      },
      { date: '2026-05-01', kind: 'quantity_changed', quantityBefore: 5, quantityAfter: 7 },
    ],
  },
  {
    id: 'fab-premium-switch',
    productName: PREMIUM,
    sku: 'CFQ7TTC0LCHC:0002',
    billingCycle: 'annual',
    billingType: 'quantity',
    status: 'active',
    quantity: 3,
    unitPrice: '264.00',
    events: [
      {
        date: '2026-01-05',
        kind: 'created',
        quantityAfter: 3,
        priceAfter: '22.00',
        billingCycleAfter: 'monthly',
      },
      {
        date: '2026-03-01',
        kind: 'billing_cycle_changed',
        billingCycleBefore: 'monthly',
        billingCycleAfter: 'annual',
      },
      { date: '2026-03-01', kind: 'price_changed', priceBefore: '22.00', priceAfter: '264.00' },
    ],
  },
  {
    id: 'fab-exchange',
    productName: EXCHANGE,
    sku: null,
    billingCycle: 'monthly',
    billingType: 'quantity',
    status: 'cancelled',
    quantity: 4,
    unitPrice: '4.00',
    events: [
      {
        date: '2026-02-01',
        kind: 'created',
        quantityAfter: 4,
        priceAfter: '4.00',
        billingCycleAfter: 'monthly',
      },
      { date: '2026-06-01', kind: 'cancelled' },
    ],
  },
  {
    id: 'fab-azure',
    productName: 'Azure plan',
    sku: null,
    billingCycle: 'monthly',
    billingType: 'usage',
    status: 'active',
    quantity: 1,
    unitPrice: '0.00',
    events: [{ date: '2026-01-05', kind: 'created', quantityAfter: 1, priceAfter: '0.00' }],
  },
];

/** What the history says on a date: units in force (0 unless active) and the cycle billed. */
function historyOn(sub: Sub, date: string): { units: number; cycle: 'monthly' | 'annual' } | null {
  let state: { status: string; quantity: number; cycle: string } | null = null;
  for (const e of sub.events) {
    if (e.date > date) break;
    if (e.kind === 'created')
      state = {
        status: 'active',
        quantity: e.quantityAfter!,
        cycle: e.billingCycleAfter ?? sub.billingCycle,
      };
    else if (e.kind === 'quantity_changed') state = { ...state!, quantity: e.quantityAfter! };
    else if (e.kind === 'suspended' || e.kind === 'cancelled') state = { ...state!, status: e.kind };
    else if (e.kind === 'reactivated') state = { ...state!, status: 'active' };
    else if (e.kind === 'billing_cycle_changed') state = { ...state!, cycle: e.billingCycleAfter! };
  }
  if (!state) return null;
  return {
    units: state.status === 'active' ? state.quantity : 0,
    cycle: state.cycle as 'monthly' | 'annual',
  };
}

function everyDate(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}

let h: SlackHarness;
let customerId: string;
beforeAll(async () => {
  h = await startSlackHarness({ demo: false, env: { SANDBOX_SEED: SEED } });
  const customer = await h.db.prisma.customer.create({
    data: { name: 'Fabrikam', externalId: 'fabrikam-tenant' },
  });
  customerId = customer.id;
  for (const s of SUBSCRIPTIONS) {
    await h.db.prisma.subscription.create({
      data: {
        id: s.id,
        customerId,
        productName: s.productName,
        sku: s.sku,
        billingCycle: s.billingCycle,
        billingType: s.billingType,
        status: s.status,
        quantity: s.quantity,
        unitPrice: s.unitPrice,
        currency: 'EUR',
      },
    });
    for (const [n, e] of s.events.entries())
      await h.db.prisma.subscriptionEvent.create({
        data: {
          subscriptionId: s.id,
          effectiveDate: e.date,
          kind: e.kind,
          quantityBefore: e.quantityBefore ?? null,
          quantityAfter: e.quantityAfter ?? null,
          priceBefore: e.priceBefore ? new Decimal(e.priceBefore).toFixed() : null,
          priceAfter: e.priceAfter ? new Decimal(e.priceAfter).toFixed() : null,
          billingCycleBefore: e.billingCycleBefore ?? null,
          billingCycleAfter: e.billingCycleAfter ?? null,
          idempotencyKey: `${s.id}-${n}`,
          source: 'test',
        },
      });
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('a catalogue with every product as a Monthly and a Yearly service', () => {
  it('map: every product and cycle mapped with no person, to the service of its period', async () => {
    const { message } = await h.command(OPS, 'map Fabrikam');
    expect(limitProblems(message)).toEqual([]);
    const text = textOfCall(message);
    // one row per product and billing cycle, each service told apart by id · name · period · SKU · price
    expect(text).toContain(`11 · ${PREMIUM} · Monthly · CFQ7TTC0LCHC:0002-P1M · 22.00`);
    expect(text).toContain(`12 · ${PREMIUM} · Yearly · CFQ7TTC0LCHC:0002-P1Y · 264.00`);
    expect(text).toContain('Every product has a service.');
    // the usage-based product is listed as skipped with its reason, and asks for no service
    expect(text).toMatch(/Azure plan.*usage-based, not quantity-based: not uploaded/);
    expect(selectsOf(message, 'static_select')).toEqual([]);
    expect(selectsOf(message, 'external_select')).toEqual([]);

    const rules = await h.db.prisma.productServiceRule.findMany({ orderBy: { serviceId: 'asc' } });
    expect(rules.map((r) => `${r.productName}/${r.billingCycle} → ${r.serviceId} (${r.source})`)).toEqual([
      `${PREMIUM}/monthly → 11 (automatic)`,
      `${PREMIUM}/annual → 12 (automatic)`,
      `${EXCHANGE}/monthly → 21 (automatic)`,
    ]);
    expect(await h.db.prisma.mappingSuggestion.count({ where: { status: 'pending' } })).toBe(0);
    // audited like every automatic mapping, with the cycle and the period
    const audits = await h.db.prisma.auditRecord.findMany({ where: { action: 'mapping.product.mapped' } });
    expect(audits.map((a) => (a.details as { cycle: string }).cycle).sort()).toEqual([
      'annual',
      'monthly',
      'monthly',
    ]);
  });

  it('map … product "<product>" annual service <name>: one cycle, the service of its period', async () => {
    const help = await h.command(OPS, 'help map');
    expect(textOfCall(help.message)).toContain('[monthly|annual] service');
    // the name is shared by three services; the cycle says which is meant
    const { message } = await h.command(OPS, `map Fabrikam product "${PREMIUM}" annual service ${PREMIUM}`);
    expect(textOfCall(message)).toContain(`(annual) for Fabrikam → service 12 \\"${PREMIUM}\\" (Yearly`);
    expect(
      await h.db.prisma.customerProductOverride.findMany({
        where: { customerId },
        select: { productName: true, billingCycle: true, serviceId: true },
      }),
    ).toEqual([{ productName: PREMIUM, billingCycle: 'annual', serviceId: 12 }]);
    const bad = await h.command(OPS, `map Fabrikam product "${PREMIUM}" service ${PREMIUM}`);
    expect(textOfCall(bad.message)).toContain('say monthly or annual');
  });

  it('validate is clean: the cycle switch moves to the yearly service line in one plan, no finding', async () => {
    const { message } = await h.command(OPS, 'validate Fabrikam');
    expect(buttonsOf(message).map((b) => b.text.text)).toContain('Request upload');
    const run = await h.db.prisma.syncRun.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(run.hasErrors).toBe(false);
    // the only finding: the usage-based product is skipped (a warning, never silent)
    const codes = [...JSON.stringify(run.plan).matchAll(/"code":"([A-Z_]+)"/g)].map((m) => m[1]);
    expect([...new Set(codes)]).toEqual(['UNSUPPORTED_SUBSCRIPTION']);
    const ops = await h.db.prisma.syncOperationRecord.findMany({
      where: { runId: run.id, subscriptionId: 'fab-premium-switch', kind: 'adjust' },
      orderBy: { seq: 'asc' },
    });
    expect(ops.map((o) => `${o.effectiveDate} ${o.contractId}/${o.serviceId} ${o.unitChange}`)).toEqual([
      `2026-01-05 ${MONTHLY_CONTRACT}/11 3`,
      `2026-03-01 ${MONTHLY_CONTRACT}/11 -3`,
      `2026-03-01 ${ANNUAL_CONTRACT}/12 3`,
    ]);
  });

  it('upload runs, and the sandbox units equal the history for every subscription on every date', async () => {
    const { out, cli } = chatCliBeside(h.bot);
    expect(await cli('slack:T1:UOPS', 'upload', 'Fabrikam')).toBe(0);
    const runId = /run (r-[0-9a-f]+)/.exec(out.join('\n'))![1]!;
    expect(await cli('slack:T1:UAPP', 'approve', runId)).toBe(0);
    expect((await h.db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } })).state).toBe('succeeded');

    // validating again finds nothing to send (and learns the id of the last repeat line it opened)
    const again = await h.command(OPS, 'validate Fabrikam');
    expect(textOfCall(again.message)).toContain('Valid — 0 operations');

    const rows = await h.bot.autotask.client.query('ContractServiceUnits', ContractServiceUnitSchema);
    const lines: Array<{ lineKey: string; contractServiceId: number }> = await h.db.prisma.syncLine.findMany({
      where: { customerId },
    });
    // A repeat line (opened by an adjustment, which answers no id) is recorded when the engine next
    // reads Autotask; one opened by the run's last batch is not yet. It is the only line on its
    // contract and service that no recorded line claims, for the only logical line without an id.
    const planned = await h.db.prisma.syncOperationRecord.findMany({ where: { runId, kind: 'adjust' } });
    const claimed = new Set(lines.map((l) => l.contractServiceId));
    for (const key of new Set(planned.map((o) => o.lineKey))) {
      if (lines.some((l) => l.lineKey === key)) continue;
      const op = planned.find((o) => o.lineKey === key)!;
      const free = [
        ...new Set(
          rows
            .filter((r) => r.contractID === op.contractId && r.serviceID === op.serviceId)
            .map((r) => r.contractServiceID!)
            .filter((id) => !claimed.has(id)),
        ),
      ];
      expect(free).toHaveLength(1);
      lines.push({ lineKey: key, contractServiceId: free[0]! });
      claimed.add(free[0]!);
    }
    const mismatches: string[] = [];
    for (const sub of SUBSCRIPTIONS.filter((s) => s.billingType === 'quantity')) {
      const own = new Set(
        lines.filter((l) => l.lineKey.startsWith(`${sub.id}|`)).map((l) => l.contractServiceId),
      );
      for (const date of everyDate('2026-01-01', '2026-12-31')) {
        const wanted = historyOn(sub, date);
        const inForce = rows.filter(
          (r) => own.has(r.contractServiceID!) && r.startDate <= date && date <= r.endDate,
        );
        const units = inForce.reduce((sum, r) => sum + r.units, 0);
        if (units !== (wanted?.units ?? 0))
          mismatches.push(`${sub.id} ${date}: sandbox ${units}, history ${wanted?.units ?? 0}`);
        // the units sit on the contract and service of the cycle billed on that date
        const where = [
          ...new Set(inForce.filter((r) => r.units > 0).map((r) => `${r.contractID}/${r.serviceID}`)),
        ];
        if (wanted && wanted.units > 0) {
          const expected = `${wanted.cycle === 'annual' ? ANNUAL_CONTRACT : MONTHLY_CONTRACT}/${SERVICE[sub.productName]![wanted.cycle]}`;
          if (where.join() !== expected)
            mismatches.push(`${sub.id} ${date}: on ${where.join() || 'nothing'}, history ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // the quarterly service was never used
    expect(rows.filter((r) => r.serviceID === 13)).toEqual([]);
  });
});
