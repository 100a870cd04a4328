import { COMMANDS, findCommand, nearestVerb } from '../../../src/chat/commandTable.js';
import type { ParsedCommand } from '../../../src/chat/chatCommand.js';
import { quoteArgument, tokenizeCommand } from '../../../src/chat/commandTokenizer.js';
import { resolveUserArgument } from '../../../src/chat/identity.js';
import { normaliseName } from '../../../src/subscriptions/customerResolution.js';

const parse = (text: string) => {
  const tokens = tokenizeCommand(text);
  if (!tokens.ok) throw new Error(tokens.problem);
  const [verb, ...args] = tokens.tokens;
  return findCommand(verb!)!.parse(args);
};

describe('command tokenizer', () => {
  it('keeps quoted arguments together, with straight and curly quotes', () => {
    expect(tokenizeCommand('map acme product "Visio Plan 2" service 31')).toEqual({
      ok: true,
      tokens: ['map', 'acme', 'product', 'Visio Plan 2', 'service', '31'],
    });
    expect(tokenizeCommand("map acme product \u201cVisio Plan 2\u201d service 'Visio'")).toEqual({
      ok: true,
      tokens: ['map', 'acme', 'product', 'Visio Plan 2', 'service', 'Visio'],
    });
    expect(tokenizeCommand('reject run_1 ""')).toEqual({ ok: true, tokens: ['reject', 'run_1', ''] });
  });

  it('reports an unclosed quote instead of guessing', () => {
    expect(tokenizeCommand('map acme product "Visio')).toEqual({
      ok: false,
      problem: 'a quote is not closed (missing ")',
    });
  });

  it('quotes arguments so a built command reads back the same', () => {
    for (const value of ['acme', 'Visio Plan 2', "O'Brien & Sons", '']) {
      const tokens = tokenizeCommand(`map ${quoteArgument(value)}`);
      expect(tokens.ok && tokens.tokens[1]).toBe(value.replace(/"/g, "'"));
    }
  });
});

describe('command table', () => {
  it('covers every command of docs/chat-ux.md, each with usage, example and summary', () => {
    expect(COMMANDS.map((c) => c.verb).sort()).toEqual(
      [
        'help',
        'test',
        'verify',
        'status',
        'customers',
        'map',
        'confirm',
        'unmapped',
        'mode',
        'validate',
        'correct',
        'upload',
        'approve',
        'reject',
        'retry',
        'runs',
        'run',
        'explain',
        'reconcile',
        'schedule',
        'schedules',
        'unschedule',
        'sources',
        'source',
        'audit',
        'notify',
        'roles',
        'grant',
        'revoke',
      ].sort(),
    );
    for (const command of COMMANDS) {
      expect(command.usage.length).toBeGreaterThan(0);
      // every example parses
      expect(parse(command.example)).not.toHaveProperty('problem');
    }
  });

  it('parses each form of source, and asks an admin for add and remove', () => {
    const source = findCommand('source')!;
    expect(parse('source sync pax8 acme corp')).toEqual({
      name: 'source sync',
      source: 'pax8',
      customer: 'acme corp',
    });
    expect(parse('source sync partner-center')).toEqual({
      name: 'source sync',
      source: 'partner-center',
      customer: null,
    });
    expect(parse('source test PAX8')).toEqual({ name: 'source test', source: 'pax8' });
    expect(parse('source add xero')).toEqual({
      problem: 'source add needs the source: pax8 or partner-center',
    });
    const roleOf = (text: string) => source.roleFor!(parse(text) as ParsedCommand);
    expect(
      ['source add pax8', 'source remove pax8', 'source test pax8', 'source sync pax8'].map(roleOf),
    ).toEqual(['admin', 'admin', 'operator', 'operator']);
  });

  it('parses explain: the customer, the quoted product last, the cycle optional', () => {
    expect(parse('explain acme corp "Visio Plan 2" annual')).toEqual({
      name: 'explain',
      customer: 'acme corp',
      product: 'Visio Plan 2',
      billingCycle: 'annual',
    });
    expect(parse('explain "Acme Corp" "Visio Plan 2"')).toEqual({
      name: 'explain',
      customer: 'Acme Corp',
      product: 'Visio Plan 2',
      billingCycle: null,
    });
    expect(parse('explain acme')).toEqual({
      problem: 'explain needs a customer and a product in quotes, e.g. explain acme "Visio Plan 2"',
    });
    expect(parse('explain acme monthly')).toHaveProperty('problem');
    expect(findCommand('explain')!.role).toBe('viewer');
  });

  it('parses each form of map', () => {
    expect(parse('map acme')).toEqual({ name: 'map', customer: 'acme', page: 1 });
    expect(parse('map acme corp page 3')).toEqual({ name: 'map', customer: 'acme corp', page: 3 });
    expect(parse('map acme page x')).toEqual({ problem: 'page needs a page number, e.g. page 2' });
    expect(parse('map "Acme Corp" company 42')).toEqual({
      name: 'map company',
      customer: 'Acme Corp',
      company: '42',
    });
    expect(parse('map acme contract annual 77 default')).toEqual({
      name: 'map contract',
      customer: 'acme',
      billingCycle: 'annual',
      contract: '77',
      isDefault: true,
    });
    expect(parse('map acme product "Visio Plan 2" service Visio Online')).toEqual({
      name: 'map product',
      customer: 'acme',
      product: 'Visio Plan 2',
      billingCycle: null,
      service: 'Visio Online',
    });
    // the billing cycle goes between the product and `service`; absent = every cycle
    expect(parse('map acme product "Microsoft 365 Business Premium" annual service 12')).toEqual({
      name: 'map product',
      customer: 'acme',
      product: 'Microsoft 365 Business Premium',
      billingCycle: 'annual',
      service: '12',
    });
    expect(parse('map acme product Visio Plan 2 MONTHLY service 31')).toEqual({
      name: 'map product',
      customer: 'acme',
      product: 'Visio Plan 2',
      billingCycle: 'monthly',
      service: '31',
    });
    // a product literally called "Monthly" stays the product
    expect(parse('map acme product monthly service 31')).toEqual({
      name: 'map product',
      customer: 'acme',
      product: 'monthly',
      billingCycle: null,
      service: '31',
    });
    expect(parse('map acme contract weekly 3')).toEqual({
      problem: 'map … contract needs the billing cycle: monthly or annual',
    });
    expect(parse('map acme product Visio')).toHaveProperty('problem');
  });

  it('parses confirm, schedule, audit, grant and the run commands', () => {
    expect(parse('confirm sug_1')).toEqual({ name: 'confirm', suggestionId: 'sug_1' });
    expect(parse('confirm acme corp all')).toEqual({ name: 'confirm all', customer: 'acme corp' });
    expect(parse('schedule all "0 6 * * 1"')).toEqual({
      name: 'schedule',
      customer: 'all',
      cadence: '0 6 * * 1',
    });
    expect(parse('schedule acme weekly')).toEqual({ name: 'schedule', customer: 'acme', cadence: 'weekly' });
    expect(parse('schedule acme "every tuesday"')).toHaveProperty('problem');
    expect(parse('audit acme since 2026-11-01')).toEqual({
      name: 'audit',
      customer: 'acme',
      since: '2026-11-01',
    });
    expect(parse('audit since 2026-02-30')).toEqual({ problem: 'since needs a date as YYYY-MM-DD' });
    expect(parse('grant <@U1> Approver')).toEqual({ name: 'grant', user: '<@U1>', role: 'approver' });
    expect(parse('grant bob boss')).toHaveProperty('problem');
    expect(parse('reject run_4 wrong contract')).toEqual({
      name: 'reject',
      runId: 'run_4',
      reason: 'wrong contract',
    });
    expect(parse('approve')).toEqual({ problem: 'approve needs a run id (see `runs`)' });
    expect(parse('validate ALL')).toEqual({ name: 'validate', customer: 'all' });
    expect(parse('mode sometimes')).toEqual({ problem: 'mode needs auto or manual' });
    // one vocabulary with the mapping part: `auto` is typed, `automatic` is what it means
    expect(parse('mode auto')).toEqual({ name: 'mode', mode: 'automatic' });
    expect(parse('mode Automatic')).toEqual({ name: 'mode', mode: 'automatic' });
    expect(parse('mode MANUAL')).toEqual({ name: 'mode', mode: 'manual' });
    expect(parse('notify there')).toHaveProperty('problem');
    expect(parse('status now')).toEqual({ problem: 'status takes no arguments' });
  });

  it('suggests the nearest verb for a typo, and nothing for noise', () => {
    expect(nearestVerb('valdate')).toBe('validate');
    expect(nearestVerb('aprove')).toBe('approve');
    expect(nearestVerb('xyzzyplugh')).toBeUndefined();
  });
});

describe('identities and names', () => {
  it('reads grant targets relative to the caller', () => {
    expect(resolveUserArgument('<@U0456|dana>', 'slack:T0123:U0001')).toBe('slack:T0123:U0456');
    expect(resolveUserArgument('slack:T9:U9', 'cli:alice')).toBe('slack:T9:U9');
    expect(resolveUserArgument('bob', 'cli:alice')).toBe('cli:bob');
    expect(resolveUserArgument('<script>', 'slack:T1:U1')).toBeUndefined();
  });

  it('normalises customer names for forgiving matches', () => {
    expect(normaliseName('ACME Corporation, Inc.')).toBe('acme');
    expect(normaliseName('Smith & Wesson GmbH')).toBe('smith and wesson');
  });
});

describe('verify tenant', () => {
  it('reads the read-only check, the write probe, its service and the confirmation', () => {
    expect(parse('verify tenant')).toEqual({ name: 'verify tenant', writeProbe: null, confirmedFor: null });
    expect(parse('verify TENANT write-probe 4711')).toEqual({
      name: 'verify tenant',
      writeProbe: { contractId: 4711, serviceId: null },
      confirmedFor: null,
    });
    expect(parse('verify tenant write-probe 4711 service 31 confirm slack:T1:U1')).toEqual({
      name: 'verify tenant',
      writeProbe: { contractId: 4711, serviceId: 31 },
      confirmedFor: 'slack:T1:U1',
    });
  });

  it('answers anything else with what is wrong', () => {
    expect(parse('verify')).toHaveProperty('problem', 'verify takes the word tenant first');
    expect(parse('verify tenant write-probe')).toHaveProperty('problem');
    expect(parse('verify tenant write-probe acme')).toHaveProperty('problem');
    expect(parse('verify tenant write-probe 4711 service x')).toHaveProperty('problem');
    expect(parse('verify tenant write-probe 4711 confirm not-an-identity')).toHaveProperty('problem');
    expect(parse('verify tenant write-probe 4711 service 3 service 4')).toHaveProperty('problem');
  });
});
