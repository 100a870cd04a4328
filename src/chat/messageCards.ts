// Short answers: confirmations, usage after a mistake, denials, failures, customer candidates.
// Every mistake gets the usage line and an example.
import { card, type Card } from './cardModel.js';
import type { CommandDefinition } from './commandTable.js';
import type { CustomerRef } from '../subscriptions/customerResolution.js';
import type { Role } from './roles.js';

export const infoCard = (kind: string, text: string): Card => card(kind, text, [{ type: 'text', text }]);

export function usageCard(definition: CommandDefinition, problem: string, prefix: string): Card {
  return card('usage', `${problem}. Usage: ${prefix}${definition.usage[0]}`, [
    { type: 'text', text: `⚠️ ${problem}.` },
    { type: 'text', text: definition.usage.map((u) => `Usage: \`${prefix}${u}\``).join('\n') },
    { type: 'context', items: [`Example: \`${prefix}${definition.example}\``] },
  ]);
}

export function unknownCommandCard(verb: string, nearest: string | undefined, prefix: string): Card {
  const shown = verb.length > 40 ? `${verb.slice(0, 40)}…` : verb;
  const hint = nearest ? ` Did you mean \`${prefix}${nearest}\`?` : '';
  return card('usage', `Unknown command "${shown}".`, [
    { type: 'text', text: `⚠️ I don't know the command "${shown}".${hint}` },
    {
      type: 'context',
      items: [`\`${prefix}help\` lists every command. Example: \`${prefix}validate acme\``],
    },
  ]);
}

export function quoteProblemCard(problem: string, prefix: string): Card {
  return card('usage', `Could not read the command: ${problem}.`, [
    { type: 'text', text: `⚠️ I could not read that: ${problem}.` },
    {
      type: 'context',
      items: [`Quote names with spaces, e.g. \`${prefix}map acme product "Visio Plan 2" service 31\``],
    },
  ]);
}

export function deniedCard(verb: string, needed: Role, held: Role | undefined): Card {
  const holding = held
    ? `you are ${held === 'admin' || held === 'approver' || held === 'operator' ? 'an' : 'a'} ${held}`
    : 'you have no role yet';
  return card('denied', `Sorry — ${verb} needs the ${needed} role.`, [
    {
      type: 'text',
      text: `🔒 Sorry — \`${verb}\` needs the *${needed}* role, and ${holding}. An admin can grant it with \`grant <you> ${needed}\`.`,
    },
  ]);
}

export function fourEyesCard(runId: string): Card {
  return card('denied', `You requested run ${runId}; someone else must approve it.`, [
    {
      type: 'text',
      text: `🔒 You requested the upload of run \`${runId}\`, so someone else has to approve it (four eyes).`,
    },
  ]);
}

export function failedCard(verb: string): Card {
  return infoCard(
    'error',
    `❌ Something went wrong: \`${verb}\` failed unexpectedly — try again. The details are in the bot's log.`,
  );
}

export function ambiguousCustomerCard(
  query: string,
  candidates: CustomerRef[],
  retry: (c: CustomerRef) => string,
): Card {
  return card('customer-candidates', `"${query}" matches ${candidates.length} customers.`, [
    { type: 'text', text: `"${query}" matches several customers — which one?` },
    {
      type: 'text',
      text: candidates.map((c) => `• ${c.name}  →  \`${retry(c)}\``).join('\n'),
    },
  ]);
}

export function noCustomerCard(query: string, prefix: string): Card {
  return card('customer-candidates', `No customer matches "${query}".`, [
    { type: 'text', text: `No customer matches "${query.slice(0, 100)}".` },
    {
      type: 'context',
      items: [
        `\`${prefix}customers\` lists them; \`${prefix}customers ${query.split(' ')[0]!.slice(0, 30)}\` filters.`,
      ],
    },
  ]);
}
