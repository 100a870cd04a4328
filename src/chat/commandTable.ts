// The whole chat command table: for each verb its usage, an example, who may use it and
// how its arguments are read. Typed text, CLI arguments and button clicks all parse here.
import type { ParsedCommand, ParseProblem } from './chatCommand.js';
import { parseMappingMode } from '../mapping/mappingMode.js';
import { IdentitySchema } from './identity.js';
import { RoleSchema, type Role } from './roles.js';
import { isCalendarDate } from '../core/calendarDate.js';
import { parseCadence } from '../core/scheduleCadence.js';
import { SOURCE_NAMES, type SourceName } from '../sources/sourceConnector.js';

export interface CommandDefinition {
  verb: string;
  /** one line per form, without the platform prefix */
  usage: string[];
  example: string;
  summary: string;
  /** null = anyone, even without a role */
  role: Role | null;
  /** a form that needs more than `role` (`source add` is an admin's) */
  roleFor?: (command: ParsedCommand) => Role | null;
  /** reads Autotask or computes a whole plan: counts against the person's per-minute budget */
  expensive?: true;
  parse(args: string[]): ParsedCommand | ParseProblem;
}

const problem = (text: string): ParseProblem => ({ problem: text });
const joined = (args: string[]): string => args.join(' ').trim();
const RUN_ARGUMENT = /^[A-Za-z0-9_.:-]{1,100}$/;

type ArgumentParser = CommandDefinition['parse'];

/** The parser of a command that needs arguments: given none, `missing` says what to give. */
function needingArguments(missing: string, parse: ArgumentParser): ArgumentParser {
  return (args) => (args.length === 0 ? problem(missing) : parse(args));
}

/** The parser of a command about one run: the run id first, then what `parse` reads of the rest. */
function aboutRun(
  verb: string,
  parse: (runId: string, rest: string[]) => ParsedCommand | ParseProblem,
): ArgumentParser {
  return needingArguments(`${verb} needs a run id (see \`runs\`)`, (args) =>
    RUN_ARGUMENT.test(args[0]!) ? parse(args[0]!, args.slice(1)) : problem(`"${args[0]}" is not a run id`),
  );
}

function noArguments(verb: string, name: ParsedCommand['name']) {
  return (args: string[]): ParsedCommand | ParseProblem =>
    args.length === 0 ? ({ name } as ParsedCommand) : problem(`${verb} takes no arguments`);
}

/** `explain <customer> "<product>" [monthly|annual]`: the product is the last word (quoted) */
function parseExplain(args: string[]): ParsedCommand | ParseProblem {
  const last = args[args.length - 1]?.toLowerCase();
  const billingCycle = last === 'monthly' || last === 'annual' ? last : null;
  const rest = billingCycle ? args.slice(0, -1) : args;
  if (rest.length < 2)
    return problem('explain needs a customer and a product in quotes, e.g. explain acme "Visio Plan 2"');
  return {
    name: 'explain',
    customer: joined(rest.slice(0, -1)),
    product: rest[rest.length - 1]!,
    billingCycle,
  };
}

/** `reconcile <customer>|all [YYYY-MM]`: a last word shaped like a month is the month */
function parseReconcile(args: string[]): ParsedCommand | ParseProblem {
  const last = args[args.length - 1]!;
  const month = args.length > 1 && /^\d{4}-\d{1,2}$/.test(last) ? last : null;
  const customer = joined(month ? args.slice(0, -1) : args);
  return { name: 'reconcile', customer: customer.toLowerCase() === 'all' ? 'all' : customer, month };
}

/** `args` start with the customer (the table asks for one first) */
function parseMap(args: string[]): ParsedCommand | ParseProblem {
  const keywordAt = args.findIndex(
    (a, i) => i > 0 && ['company', 'contract', 'product'].includes(a.toLowerCase()),
  );
  const last = args.length - 1;
  if (keywordAt === -1 && last >= 2 && args[last - 1]!.toLowerCase() === 'page') {
    if (!/^[1-9]\d{0,4}$/.test(args[last]!)) return problem('page needs a page number, e.g. page 2');
    return { name: 'map', customer: joined(args.slice(0, -2)), page: Number(args[last]) };
  }
  if (keywordAt === -1) return { name: 'map', customer: joined(args), page: 1 };
  const customer = joined(args.slice(0, keywordAt));
  const keyword = args[keywordAt]!.toLowerCase();
  const rest = args.slice(keywordAt + 1);
  if (keyword === 'company') {
    if (rest.length === 0) return problem('map … company needs an Autotask company id or name');
    return { name: 'map company', customer, company: joined(rest) };
  }
  if (keyword === 'contract') {
    const cycle = rest[0]?.toLowerCase();
    if (cycle !== 'monthly' && cycle !== 'annual')
      return problem('map … contract needs the billing cycle: monthly or annual');
    const isDefault = rest[rest.length - 1]?.toLowerCase() === 'default' && rest.length > 2;
    const contract = joined(rest.slice(1, isDefault ? -1 : undefined));
    if (!contract) return problem(`map … contract ${cycle} needs an Autotask contract id or name`);
    return { name: 'map contract', customer, billingCycle: cycle, contract, isDefault };
  }
  const serviceAt = rest.findIndex((a, i) => i > 0 && a.toLowerCase() === 'service');
  if (serviceAt === -1)
    return problem('map … product needs `"<product>" [monthly|annual] service <id or name>`');
  // `"<product>" monthly service 31`: the word before `service` may name the billing cycle
  const cycleWord = serviceAt > 1 ? rest[serviceAt - 1]!.toLowerCase() : '';
  const billingCycle = cycleWord === 'monthly' || cycleWord === 'annual' ? cycleWord : null;
  const product = joined(rest.slice(0, billingCycle ? serviceAt - 1 : serviceAt));
  const service = joined(rest.slice(serviceAt + 1));
  if (!service) return problem('map … product … service needs an Autotask service id or name');
  return { name: 'map product', customer, product, billingCycle, service };
}

function parseSchedule(args: string[]): ParsedCommand | ParseProblem {
  if (args.length < 2) return problem('schedule needs a customer (or all) and daily, weekly or "<cron>"');
  const cadence = args[args.length - 1]!;
  const lower = cadence.toLowerCase();
  const customer = joined(args.slice(0, -1));
  if (lower === 'daily' || lower === 'weekly')
    return {
      name: 'schedule',
      customer: customer.toLowerCase() === 'all' ? 'all' : customer,
      cadence: lower,
    };
  // the cadence's own parser (cron-parser); how often it may run is the use case's to refuse
  const parsed = parseCadence(cadence);
  if (!parsed.ok && parsed.code === 'SCHEDULE_CADENCE_INVALID')
    return problem(`"${cadence}" is not daily, weekly or a quoted five-field cron like "0 6 * * 1"`);
  return {
    name: 'schedule',
    customer: customer.toLowerCase() === 'all' ? 'all' : customer,
    cadence: cadence.trim().replace(/\s+/g, ' '),
  };
}

function parseAudit(args: string[]): ParsedCommand | ParseProblem {
  const sinceAt = args.findIndex((a) => a.toLowerCase() === 'since');
  if (sinceAt === -1) return { name: 'audit', customer: args.length ? joined(args) : null, since: null };
  const since = args[sinceAt + 1];
  if (!since || !isCalendarDate(since)) return problem('since needs a date as YYYY-MM-DD');
  if (args.length > sinceAt + 2) return problem('nothing may follow the date');
  const customer = joined(args.slice(0, sinceAt));
  return { name: 'audit', customer: customer || null, since };
}

const POSITIVE_ID = /^[1-9]\d{0,9}$/;

/** `verify tenant [write-probe <contract id> [service <id>] [confirm <identity>]]` */
function parseVerify(args: string[]): ParsedCommand | ParseProblem {
  if (args[0]?.toLowerCase() !== 'tenant') return problem('verify takes the word tenant first');
  const rest = args.slice(1).map((a, i) => (i % 2 === 0 ? a.toLowerCase() : a));
  if (rest.length === 0) return { name: 'verify tenant', writeProbe: null, confirmedFor: null };
  if (rest[0] !== 'write-probe' || !rest[1] || !POSITIVE_ID.test(rest[1]))
    return problem('write-probe needs the id of a contract whose name contains "verify"');
  const contractId = Number(rest[1]);
  let serviceId: number | null = null;
  let confirmedFor: string | null = null;
  for (let i = 2; i < rest.length; i += 2) {
    const [word, value] = [rest[i], rest[i + 1]];
    if (word === 'service' && value && POSITIVE_ID.test(value) && serviceId === null)
      serviceId = Number(value);
    else if (word === 'confirm' && value && IdentitySchema.safeParse(value).success && confirmedFor === null)
      confirmedFor = value;
    else
      return problem(`"${rest[i]}${value ? ` ${value}` : ''}" is not \`service <id>\` or the confirmation`);
  }
  return { name: 'verify tenant', writeProbe: { contractId, serviceId }, confirmedFor };
}

function parseGrant(verb: 'grant' | 'revoke') {
  return (args: string[]): ParsedCommand | ParseProblem => {
    if (args.length !== 2) return problem(`${verb} needs a user and a role`);
    const role = RoleSchema.safeParse(args[1]!.toLowerCase());
    if (!role.success) return problem(`"${args[1]}" is not a role: use viewer, operator, approver or admin`);
    return { name: verb, user: args[0]!, role: role.data };
  };
}

function parseSource(args: string[]): ParsedCommand | ParseProblem {
  const action = args[0]?.toLowerCase();
  const source = args[1]?.toLowerCase();
  if (!action || !['add', 'remove', 'test', 'sync'].includes(action))
    return problem('source needs add, remove, test or sync, then pax8 or partner-center');
  if (!source || !(SOURCE_NAMES as readonly string[]).includes(source))
    return problem(`source ${action} needs the source: pax8 or partner-center`);
  const name = source as SourceName;
  const rest = args.slice(2);
  if (action === 'sync')
    return { name: 'source sync', source: name, customer: rest.length ? joined(rest) : null };
  if (rest.length) return problem(`source ${action} takes only the source's name`);
  return { name: `source ${action}` as 'source add' | 'source remove' | 'source test', source: name };
}

export const COMMANDS: CommandDefinition[] = [
  {
    verb: 'help',
    usage: ['help [command]'],
    example: 'help validate',
    summary: 'usage, with examples',
    role: null,
    parse: (args) => ({ name: 'help', topic: args[0]?.toLowerCase() ?? null }),
  },
  {
    verb: 'test',
    usage: ['test'],
    example: 'test',
    summary: 'Autotask zone, auth, permissions per entity, latency, API budget used',
    role: 'operator',
    expensive: true,
    parse: noArguments('test', 'test'),
  },
  {
    verb: 'verify',
    usage: ['verify tenant', 'verify tenant write-probe <contract id> [service <id>]'],
    example: 'verify tenant write-probe 4711',
    summary:
      'first-day check of the Autotask tenant: a report card; write-probe tests on a "… verify …" contract',
    role: 'admin',
    expensive: true,
    parse: parseVerify,
  },
  {
    verb: 'sources',
    usage: ['sources'],
    example: 'sources',
    summary: 'the subscription sources (Pax8, Partner Center): settings, daily pull, last pull',
    role: 'viewer',
    parse: noArguments('sources', 'sources'),
  },
  {
    verb: 'source',
    usage: [
      'source add pax8|partner-center',
      'source test pax8|partner-center',
      'source sync pax8|partner-center [customer]',
      'source remove pax8|partner-center',
    ],
    example: 'source sync pax8 acme',
    summary: 'turn a subscription source on (daily pull), test it, pull it now, or turn it off',
    role: 'operator',
    roleFor: (command) =>
      command.name === 'source add' || command.name === 'source remove' ? 'admin' : 'operator',
    expensive: true,
    parse: parseSource,
  },
  {
    verb: 'status',
    usage: ['status'],
    example: 'status',
    summary: 'mapping mode, schedules, recent runs, API budget, notification target',
    role: 'viewer',
    expensive: true,
    parse: noArguments('status', 'status'),
  },
  {
    verb: 'customers',
    usage: ['customers [filter]'],
    example: 'customers acme',
    summary: 'customers with their mapping state',
    role: 'viewer',
    expensive: true,
    parse: (args) => ({ name: 'customers', filter: args.length ? joined(args) : null }),
  },
  {
    verb: 'map',
    usage: [
      'map <customer> [page <n>]',
      'map <customer> company <id or name>',
      'map <customer> contract monthly|annual <id> [default]',
      'map <customer> product "<product>" [monthly|annual] service <id or name>',
    ],
    example: 'map acme product "Visio Plan 2" monthly service 31',
    summary: 'the mapping card, or a manual company, contract or product mapping',
    role: 'operator',
    expensive: true,
    parse: needingArguments('map needs a customer', parseMap),
  },
  {
    verb: 'confirm',
    usage: ['confirm <suggestion id>', 'confirm <customer> all'],
    example: 'confirm acme all',
    summary: 'accept mapping suggestions',
    role: 'operator',
    expensive: true,
    parse: needingArguments('confirm needs a suggestion id, or a customer and "all"', (args) => {
      if (args.length > 1 && args[args.length - 1]!.toLowerCase() === 'all')
        return { name: 'confirm all', customer: joined(args.slice(0, -1)) };
      if (args.length > 1) return problem('confirm takes one suggestion id, or `<customer> all`');
      return { name: 'confirm', suggestionId: args[0]! };
    }),
  },
  {
    verb: 'unmapped',
    usage: ['unmapped [customer]'],
    example: 'unmapped acme',
    summary: 'everything still unmapped',
    role: 'viewer',
    expensive: true,
    parse: (args) => ({ name: 'unmapped', customer: args.length ? joined(args) : null }),
  },
  {
    verb: 'mode',
    usage: ['mode auto|manual'],
    example: 'mode manual',
    summary: 'mapping mode: apply exact matches automatically, or only what a person confirms',
    role: 'admin',
    parse: (args) => {
      const mode = args.length === 1 ? parseMappingMode(args[0]!) : null;
      if (!mode) return problem('mode needs auto or manual');
      return { name: 'mode', mode };
    },
  },
  {
    verb: 'validate',
    usage: ['validate <customer>|all'],
    example: 'validate acme',
    summary: 'validate, and show the plan of what an upload would change',
    role: 'operator',
    expensive: true,
    parse: needingArguments('validate needs a customer or all', (args) => {
      const customer = joined(args);
      return { name: 'validate', customer: customer.toLowerCase() === 'all' ? 'all' : customer };
    }),
  },
  {
    verb: 'correct',
    usage: ['correct <customer>'],
    example: 'correct acme',
    summary: 'validate, planning a correction of lines changed by hand in Autotask (an approver decides)',
    role: 'operator',
    expensive: true,
    parse: needingArguments('correct needs a customer', (args) => {
      const customer = joined(args);
      return customer.toLowerCase() === 'all'
        ? problem('correct takes one customer at a time, not all')
        : { name: 'correct', customer };
    }),
  },
  {
    verb: 'upload',
    usage: ['upload <customer>|<run>'],
    example: 'upload acme',
    summary: 'request the upload of a fresh validated plan (an approver decides)',
    role: 'operator',
    expensive: true,
    parse: needingArguments('upload needs a customer or a run id', (args) => ({
      name: 'upload',
      target: joined(args),
    })),
  },
  {
    verb: 'approve',
    usage: ['approve <run>'],
    example: 'approve run_42',
    summary: 'approve an upload someone else requested',
    role: 'approver',
    parse: aboutRun('approve', (runId, rest) =>
      rest.length > 0 ? problem('approve takes one run id') : { name: 'approve', runId },
    ),
  },
  {
    verb: 'reject',
    usage: ['reject <run> [reason]'],
    example: 'reject run_42 "wrong contract"',
    summary: 'reject a requested upload',
    role: 'approver',
    parse: aboutRun('reject', (runId, rest) => ({
      name: 'reject',
      runId,
      reason: rest.length > 0 ? joined(rest).slice(0, 500) : null,
    })),
  },
  {
    verb: 'retry',
    usage: ['retry <run>'],
    example: 'retry run_42',
    summary: 're-attempt what failed in a run',
    role: 'operator',
    expensive: true,
    parse: aboutRun('retry', (runId) => ({ name: 'retry', runId })),
  },
  {
    verb: 'explain',
    usage: ['explain <customer> "<product>" [monthly|annual]'],
    example: 'explain acme "Microsoft 365 Business Premium" monthly',
    summary: "a subscription's units over time, in Autotask and at the source, with what was sent when",
    role: 'viewer',
    expensive: true,
    parse: parseExplain,
  },
  {
    verb: 'reconcile',
    usage: ['reconcile <customer>|all [YYYY-MM]'],
    example: 'reconcile all 2026-11',
    summary: 'what Autotask billed for a month against what the subscriptions say, line by line',
    role: 'operator',
    expensive: true,
    parse: needingArguments('reconcile needs a customer or all', parseReconcile),
  },
  {
    verb: 'runs',
    usage: ['runs [customer]'],
    example: 'runs acme',
    summary: 'recent runs',
    role: 'viewer',
    parse: (args) => ({ name: 'runs', customer: args.length ? joined(args) : null }),
  },
  {
    verb: 'run',
    usage: ['run <run> [page <n>]'],
    example: 'run run_42 page 2',
    summary: "a run's issues and operations, a page at a time",
    role: 'viewer',
    parse: aboutRun('run', (runId, rest) => {
      if (rest.length === 0) return { name: 'run', runId, page: 1 };
      if (rest.length === 2 && rest[0]!.toLowerCase() === 'page' && /^[1-9]\d{0,4}$/.test(rest[1]!))
        return { name: 'run', runId, page: Number(rest[1]) };
      return problem('run takes a run id, then optionally `page <n>`');
    }),
  },
  {
    verb: 'schedule',
    usage: ['schedule <customer>|all daily|weekly|"<cron>"'],
    example: 'schedule all "0 6 * * 1"',
    summary: 'recurring validate-then-upload (uploads still wait for approval)',
    role: 'admin',
    parse: parseSchedule,
  },
  {
    verb: 'schedules',
    usage: ['schedules'],
    example: 'schedules',
    summary: 'the recurring schedules',
    role: 'admin',
    parse: noArguments('schedules', 'schedules'),
  },
  {
    verb: 'unschedule',
    usage: ['unschedule <id>'],
    example: 'unschedule sch_3',
    summary: 'remove a schedule',
    role: 'admin',
    parse: (args) =>
      args.length === 1 && RUN_ARGUMENT.test(args[0]!)
        ? { name: 'unschedule', id: args[0]! }
        : problem('unschedule needs one schedule id (see `schedules`)'),
  },
  {
    verb: 'audit',
    usage: ['audit [customer] [since <date>]'],
    example: 'audit acme since 2026-11-01',
    summary: 'the audit log',
    role: 'viewer',
    parse: parseAudit,
  },
  {
    verb: 'notify',
    usage: ['notify here'],
    example: 'notify here',
    summary: 'this channel receives failure notifications and approval requests',
    role: 'admin',
    parse: (args) =>
      args.length === 1 && args[0]!.toLowerCase() === 'here'
        ? { name: 'notify here' }
        : problem('notify takes one word: here'),
  },
  {
    verb: 'roles',
    usage: ['roles'],
    example: 'roles',
    summary: 'who has which role',
    role: 'admin',
    parse: noArguments('roles', 'roles'),
  },
  {
    verb: 'grant',
    usage: ['grant <user> <role>'],
    example: 'grant @dana approver',
    summary: 'give a role: viewer < operator < approver < admin',
    role: 'admin',
    parse: parseGrant('grant'),
  },
  {
    verb: 'revoke',
    usage: ['revoke <user> <role>'],
    example: 'revoke @dana approver',
    summary: 'take a role away',
    role: 'admin',
    parse: parseGrant('revoke'),
  },
];

export function findCommand(verb: string): CommandDefinition | undefined {
  const lower = verb.toLowerCase();
  return COMMANDS.find((c) => c.verb === lower);
}

/** The nearest verb by edit distance, for "did you mean …" (undefined when nothing is close). */
export function nearestVerb(verb: string): string | undefined {
  const lower = verb.toLowerCase().slice(0, 40);
  let best: { verb: string; distance: number } | undefined;
  for (const command of COMMANDS) {
    const distance = editDistance(lower, command.verb);
    if (!best || distance < best.distance) best = { verb: command.verb, distance };
  }
  return best && best.distance <= 2 ? best.verb : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
