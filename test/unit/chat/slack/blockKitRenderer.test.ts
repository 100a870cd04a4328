import { Decimal } from 'decimal.js';
import { approvalCard } from '../../../../src/chat/approvalCard.js';
import { auditCard } from '../../../../src/chat/auditCard.js';
import type { Card } from '../../../../src/chat/cardModel.js';
import type { MappingView, RunSummary, ValidationResult } from '../../../../src/chat/chatServices.js';
import { COMMANDS, findCommand } from '../../../../src/chat/commandTable.js';
import { tokenizeCommand } from '../../../../src/chat/commandTokenizer.js';
import { connectivityCard } from '../../../../src/chat/connectivityCard.js';
import { renderCardAsText } from '../../../../src/chat/console/textRenderer.js';
import { customersCard, plainCustomersCard, unmappedCard } from '../../../../src/chat/customersCards.js';
import { failureNotificationCard } from '../../../../src/chat/failureNotificationCard.js';
import { commandHelpCard, helpCard } from '../../../../src/chat/helpCard.js';
import { mappingCard, mappingChangeCard } from '../../../../src/chat/mappingCard.js';
import * as messages from '../../../../src/chat/messageCards.js';
import { rolesCard } from '../../../../src/chat/rolesCard.js';
import { runDetailCard, runsCard } from '../../../../src/chat/runCards.js';
import { scheduledCard, schedulesCard } from '../../../../src/chat/scheduleCards.js';
import { statusCard } from '../../../../src/chat/statusCard.js';
import { validationCard } from '../../../../src/chat/validationCard.js';
import { checkBlockKitMessage, SLACK_LIMITS } from '../../../../src/chat/slack/blockKitLimits.js';
import { commandOfAction, renderCardsAsBlocks } from '../../../../src/chat/slack/blockKitRenderer.js';

const P = '/autotask ';
const long = (n: number, word = 'Microsoft 365 Business Premium ') =>
  word.repeat(Math.ceil(n / word.length)).slice(0, n);
const now = new Date('2026-11-25T13:00:00Z');

function bigMapping(unmapped: number, services: number): MappingView {
  return {
    customerId: '3f1c1a4e-0000-4000-8000-000000000001',
    customerName: 'Acme Corporation — the customer with a very long legal name, Inc.',
    mode: 'manual',
    company: {
      state: 'suggested',
      companyId: 7,
      companyName: 'ACME Corporation, Inc.',
      confidence: 0.87,
      suggestionId: 's1',
    },
    contracts: [
      { billingCycle: 'monthly', state: 'mapped', contractId: 70, contractName: long(120) },
      { billingCycle: 'annual', state: 'missing', contractId: null, contractName: null },
    ],
    products: [
      ...Array.from({ length: 60 }, (_, i) => ({
        productName: `Mapped product ${i} ${long(60)}`,
        sku: null,
        state: i % 2 ? ('mapped' as const) : ('suggested' as const),
        serviceId: i,
        serviceName: long(90),
        confidence: 0.7,
      })),
      ...Array.from({ length: unmapped }, (_, i) => ({
        productName: `Unmapped product ${i} ${i % 5 === 0 ? long(200) : ''}`,
        sku: `SKU-${i}`,
        state: 'missing' as const,
        serviceId: null,
        serviceName: null,
      })),
    ],
    services: Array.from({ length: services }, (_, i) => ({
      serviceId: 5000 + i,
      name: `Service ${i} ${long(i % 4 === 0 ? 120 : 20)}`,
    })),
  };
}

function run(state: RunSummary['state'], extra: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'run_42',
    customerIds: ['c1'],
    customerNames: Array.from({ length: 40 }, (_, i) => `Customer ${i} ${long(30)}`),
    state,
    operations: 1200,
    changes: Array.from({ length: 500 }, (_, i) => `Change ${i}: ${long(400)}`),
    requestedBy: 'slack:T1:U1',
    requestedAt: now,
    validatedAt: new Date(now.getTime() - 3 * 3600_000),
    decidedBy: state === 'awaiting_approval' ? null : 'slack:T1:U2',
    decidedAt: null,
    rejectReason: state === 'rejected' ? long(600) : null,
    progress: { done: 340, total: 1200 },
    outcome: { succeeded: 1190, failed: 10 },
    ...extra,
  };
}

function validation(customers: number, errors: number): ValidationResult {
  return {
    runId: 'run_7',
    ok: errors === 0,
    validatedAt: now,
    customers: Array.from({ length: customers }, (_, i) => ({
      customerId: `c${i}`,
      customerName: `Customer ${i} ${long(50)}`,
      subscriptions: 12,
      operations: 30,
      netUnits: -4,
      monthlyRevenueChange: new Decimal('-1234.567'),
      currency: 'EUR',
      apiCalls: 45,
      estimatedSeconds: 4000,
      errors,
    })),
    issues: Array.from({ length: errors }, (_, i) => ({
      customerName: 'Acme',
      subscription: `sub-${i}`,
      severity: i % 3 ? ('error' as const) : ('warning' as const),
      error: { code: 'CONTRACT_TERM_GAP', message: long(900), hint: 'extend the contract end date' },
    })),
  };
}

/** every card the bot renders, at sizes that push the limits */
function everyCard(): Card[] {
  const people = Array.from({ length: 300 }, (_, i) => ({
    identity: `slack:T1:U${i}`,
    roles: ['viewer' as const],
    bootstrapAdmin: i === 0,
  }));
  return [
    helpCard(P),
    ...COMMANDS.map((c) => commandHelpCard(c, P)),
    ...COMMANDS.map((c) => messages.usageCard(c, long(500), P)),
    messages.unknownCommandCard(long(5000), undefined, P),
    messages.unknownCommandCard('valdate', 'validate', P),
    messages.quoteProblemCard('a quote is not closed', P),
    messages.deniedCard('approve', 'approver', 'operator'),
    messages.deniedCard('validate', 'operator', undefined),
    messages.fourEyesCard('run_1'),
    messages.failedCard('validate'),
    messages.infoCard('info', long(12_000)),
    messages.ambiguousCustomerCard(
      'acme',
      Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, name: `Acme ${i} ${long(200)}` })),
      (c) => `${P}validate "${c.name}"`,
    ),
    messages.noCustomerCard(long(3000), P),
    statusCard({
      mappingMode: 'automatic',
      notificationTarget: { platform: 'slack', channel: 'C1', workspace: 'T1', label: '#billing' },
      schedules: Array.from({ length: 80 }, (_, i) => ({
        id: `s${i}`,
        target: long(40),
        cadence: 'daily',
        nextRunAt: now,
        createdBy: 'x',
      })),
      recentRuns: [run('succeeded')],
      apiBudget: { used: 1, limit: 10_000, windowMinutes: 60 },
      tenantFacts: Array.from({ length: 40 }, (_, i) => ({
        behaviour: `fields.${long(30)}${i}`,
        observed: long(300),
        holds: i % 3 === 0 ? false : i % 3 === 1 ? true : null,
        source: 'read-only' as const,
        checkedAt: now,
        checkedBy: 'slack:T1:U1',
        reliedOn: i === 0,
      })),
    }),
    statusCard({
      mappingMode: 'manual',
      notificationTarget: null,
      schedules: [],
      recentRuns: [],
      apiBudget: { used: 0, limit: 10_000, windowMinutes: 60 },
      tenantFacts: [],
    }),
    rolesCard(people, P),
    auditCard(
      Array.from({ length: 20 }, (_, i) => ({
        id: String(i),
        at: now,
        actorId: 'slack:T1:U1',
        actorName: null,
        action: long(80),
        customerId: null,
        runId: null,
        outcome: 'ok',
        details: {},
      })),
      'Acme since 2026-11-01',
      true,
    ),
    connectivityCard({
      ok: false,
      mode: 'live',
      zoneUrl: null,
      authenticated: false,
      permissions: Array.from({ length: 30 }, (_, i) => ({
        entity: `Entity${i}`,
        read: true,
        create: false,
        update: i % 2 === 0,
      })),
      latencyMs: null,
      apiBudget: { used: 9999, limit: 10_000, windowMinutes: 60 },
      errors: Array.from({ length: 20 }, () => ({
        code: 'AUTH_REFUSED',
        message: long(300),
        hint: 'check the API user',
      })),
    }),
    customersCard(
      Array.from({ length: 400 }, (_, i) => ({
        customerId: `c${i}`,
        name: `Customer ${i}`,
        company: 'mapped',
        contracts: 'missing',
        unmappedProducts: i,
      })),
      P,
    ),
    plainCustomersCard(
      Array.from({ length: 50 }, (_, i) => ({ id: `c${i}`, name: long(100) })),
      900,
    ),
    unmappedCard(
      Array.from({ length: 700 }, (_, i) => ({
        customerId: 'c',
        customerName: 'Acme',
        what: 'product',
        name: `P${i} ${long(100)}`,
      })),
      'Acme',
      P,
    ),
    mappingCard(bigMapping(300, 250), P),
    mappingCard(bigMapping(5, 80), P),
    mappingCard(bigMapping(0, 0), P),
    mappingChangeCard(
      {
        ok: false,
        changes: [],
        errors: Array.from({ length: 50 }, () => ({ code: 'X', message: long(200), hint: '' })),
      },
      'x',
    ),
    validationCard(validation(1, 0)),
    validationCard(validation(200, 0)),
    validationCard(validation(3, 400)),
    ...(
      [
        'awaiting_approval',
        'approved',
        'uploading',
        'rejected',
        'succeeded',
        'failed',
        'partially_failed',
      ] as const
    ).map((s) => approvalCard(run(s), now)),
    runsCard(
      Array.from({ length: 20 }, () => run('succeeded')),
      'Acme',
    ),
    runDetailCard({
      run: run('partially_failed'),
      issues: validation(1, 300).issues,
      operations: Array.from({ length: 1200 }, (_, i) => ({
        customerName: 'Acme',
        description: long(150),
        state: 'failed',
        error: { code: `E${i}`, message: long(100), hint: '' },
      })),
    }),
    schedulesCard(
      Array.from({ length: 100 }, (_, i) => ({
        id: `s${i}`,
        target: 'all',
        cadence: '0 6 * * 1',
        nextRunAt: null,
        createdBy: 'slack:T1:U1',
      })),
      P,
    ),
    scheduledCard({ id: 's1', target: long(500), cadence: 'daily', nextRunAt: now, createdBy: 'x' }),
    failureNotificationCard({
      runId: 'run_9',
      customerName: long(300),
      what: long(4000),
      errors: Array.from({ length: 30 }, () => ({ code: 'E', message: long(500), hint: '' })),
      retryCommand: 'retry run_9',
    }),
  ];
}

describe('Block Kit limit checker', () => {
  it('finds each kind of broken limit', () => {
    const button = (i: number) => ({
      type: 'button',
      action_id: `b${i}`,
      text: { type: 'plain_text', text: 'x'.repeat(76) },
      value: 'v',
    });
    const problems = checkBlockKitMessage({
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
        { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(i)) },
        { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'pick' },
          accessory: {
            type: 'static_select',
            action_id: 's',
            options: Array.from({ length: 101 }, (_, i) => ({
              text: { type: 'plain_text', text: 'o'.repeat(76) },
              value: String(i),
            })),
          },
        },
        ...Array.from({ length: 46 }, () => ({ type: 'divider' })),
      ],
    });
    const text = problems.join('\n');
    for (const expected of [
      'blocks: 51 > 50',
      'blocks[0].text: 151 > 150',
      'blocks[1].text: 3001 > 3000',
      'blocks[2].elements: 26 > 25',
      'blocks[2].elements[0].text: 76 > 75',
      'blocks[3].elements: 11 > 10',
      'blocks[4].accessory.options: 101 > 100',
      'blocks[4].accessory.options[0].text: 76 > 75',
    ])
      expect(text).toContain(expected);
  });
});

describe('Block Kit renderer', () => {
  const cards = everyCard();

  it.each(cards.map((card, i) => [`${i} ${card.kind}`, card] as const))(
    'renders %s within every Slack limit',
    (_name, card) => {
      const message = renderCardsAsBlocks([card], P);
      expect(checkBlockKitMessage(message)).toEqual([]);
      expect(message.blocks.length).toBeGreaterThan(0);
    },
  );

  it('renders all cards of a reply together within the limits', () => {
    expect(checkBlockKitMessage(renderCardsAsBlocks(cards.slice(0, 12), P))).toEqual([]);
  });

  it('maps a customer with 300 unmapped products and 250 services to searchable selects, naming what is left out', () => {
    const message = renderCardsAsBlocks([mappingCard(bigMapping(300, 250), P)], P);
    const accessories = message.blocks
      .map((b) => b.accessory as { type: string } | undefined)
      .filter(Boolean);
    expect(accessories.length).toBe(20);
    expect(accessories.every((a) => a!.type === 'external_select')).toBe(true);
    expect(JSON.stringify(message.blocks)).toContain('… and 280 more');
    expect(JSON.stringify(message.blocks)).toContain('Confirm all suggestions');
  });

  it('uses a static select up to 100 services', () => {
    const message = renderCardsAsBlocks([mappingCard(bigMapping(5, 80), P)], P);
    const selects = message.blocks.filter(
      (b) => (b.accessory as { type?: string } | undefined)?.type === 'static_select',
    );
    expect(selects).toHaveLength(5);
    expect((selects[0]!.accessory as { options: unknown[] }).options).toHaveLength(80);
  });

  it('never sends an empty text, header or context (Slack refuses them)', () => {
    const empty = renderCardsAsBlocks([
      {
        kind: 'x',
        summary: '',
        blocks: [
          { type: 'header', text: ' ' },
          { type: 'text', text: '' },
          { type: 'context', items: ['', ' '] },
        ],
      },
    ]);
    expect(checkBlockKitMessage(empty)).toEqual([]);
    expect(empty.blocks.length).toBe(1);
    expect(
      checkBlockKitMessage({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ' ' } }] }),
    ).toEqual(['blocks[0].text: empty']);
  });

  it('splits long text over sections instead of cutting it', () => {
    const message = renderCardsAsBlocks(
      [messages.infoCard('info', Array.from({ length: 300 }, (_, i) => `line ${i} ${long(30)}`).join('\n'))],
      P,
    );
    expect(message.blocks.length).toBeGreaterThan(3);
    expect(message.blocks.map((b) => (b.text as { text: string }).text).join('\n')).toContain('line 299');
  });

  it('keeps the approval buttons when a card has to be shortened, and removes them after a decision', () => {
    const waiting = renderCardsAsBlocks([approvalCard(run('awaiting_approval'), now)], P);
    const actions = waiting.blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(1);
    const [approve, reject] = actions[0]!.elements as { value: string; confirm?: unknown; style: string }[];
    expect([approve!.value, reject!.value]).toEqual(['approve run_42', 'reject run_42']);
    expect(approve!.confirm).toBeDefined();
    for (const state of ['rejected', 'uploading', 'succeeded'] as const) {
      const decided = renderCardsAsBlocks([approvalCard(run(state), now)], P);
      expect(JSON.stringify(decided.blocks)).not.toContain('approve run_42');
    }
    expect(JSON.stringify(renderCardsAsBlocks([approvalCard(run('uploading'), now)], P).blocks)).toContain(
      '340 / 1,200 operations · 28 %',
    );
  });

  it('turns every button and select of every card into a command of the table', async () => {
    let actions = 0;
    for (const card of cards) {
      const message = renderCardsAsBlocks([card], P);
      const refs = new Map(message.refs.map((r) => [r.key, r.command]));
      for (const block of message.blocks) {
        const elements = [
          ...((block.elements as Record<string, unknown>[] | undefined) ?? []),
          ...(block.accessory ? [block.accessory as Record<string, unknown>] : []),
        ];
        for (const element of elements) {
          if (!['button', 'static_select', 'external_select'].includes(String(element.type))) continue;
          const command = await commandOfAction(
            {
              type: String(element.type),
              value: element.value as string,
              block_id: block.block_id as string,
              selected_option: { value: '5001' },
            },
            async (key) => refs.get(key),
          );
          const tokens = tokenizeCommand(command!);
          expect(tokens.ok).toBe(true);
          const [verb, ...args] = tokens.ok ? tokens.tokens : [];
          const definition = findCommand(verb!);
          expect(definition).toBeDefined();
          expect(definition!.parse(args)).not.toHaveProperty('problem');
          actions++;
        }
      }
    }
    expect(actions).toBeGreaterThan(30);
  });

  it('pages a run with 1,200 operations: a whole page in one message, Previous/Next as commands', () => {
    const detail = {
      run: run('partially_failed'),
      issues: [],
      operations: Array.from({ length: 1200 }, (_, i) => ({
        customerName: 'Acme',
        description: `operation number ${i} ${long(150)}`,
        state: 'done' as const,
        error: null,
      })),
    };
    const first = renderCardsAsBlocks([runDetailCard(detail)], P);
    const text = JSON.stringify(first.blocks);
    expect(text).toContain('operation number 24 ');
    expect(text).not.toContain('operation number 25 ');
    expect(text).not.toContain('more');
    expect(text).toContain('Page 1 of 48');
    // the state as people say it, not the stored code
    expect(text).toContain('partially failed');
    expect(text).not.toContain('partially_failed');
    const values = first.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => (b.elements as { value: string }[]).map((e) => e.value));
    expect(values).toEqual(['run run_42 page 2', 'retry run_42']);
    const last = JSON.stringify(renderCardsAsBlocks([runDetailCard(detail, 48)], P).blocks);
    expect(last).toContain('operation number 1199 ');
    expect(last).toContain('run run_42 page 47');
    expect(last).not.toContain('page 49');
  });

  it('offers "Request upload" only for a clean plan with something in it', () => {
    const buttons = (result: ValidationResult) =>
      validationCard(result).blocks.flatMap((b) =>
        b.type === 'actions' ? b.elements.map((e) => e.label) : [],
      );
    const empty = validation(2, 0);
    empty.customers = empty.customers.map((c) => ({ ...c, operations: 0 }));
    expect(buttons(validation(2, 0))).toEqual(['Show all', 'Request upload']);
    expect(buttons(validation(2, 3))).toEqual(['Show all']);
    expect(buttons(empty)).toEqual(['Show all']);
    expect(JSON.stringify(validationCard(empty).blocks)).toContain('Nothing to upload');
  });

  it('escapes what Slack would read as markup but keeps mentions', () => {
    const message = renderCardsAsBlocks([messages.infoCard('x', 'Smith & Sons <b> for <@U123>')], P);
    expect((message.blocks[0]!.text as { text: string }).text).toBe('Smith &amp; Sons &lt;b&gt; for <@U123>');
  });
});

describe('text renderer', () => {
  it('numbers actions with the command each runs, and aligns tables', () => {
    const text = renderCardAsText(
      approvalCard(run('awaiting_approval', { customerNames: ['Acme'], changes: ['a'] }), now),
    );
    expect(text).toContain('[1] Approve: autotask-bot approve run_42');
    expect(text).toContain('[2] Reject: autotask-bot reject run_42');
    const table = renderCardAsText(
      customersCard(
        [{ customerId: 'c', name: 'Acme', company: 'mapped', contracts: 'missing', unmappedProducts: 2 }],
        P,
      ),
    );
    expect(table).toMatch(/customer\s+company\s+contracts\s+unmapped products/);
    expect(table).not.toContain('`');
  });

  it('never exceeds Slack limits because of a text renderer detail (limits constant sanity)', () => {
    expect(SLACK_LIMITS.blocksPerMessage).toBe(50);
  });
});
