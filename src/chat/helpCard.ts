// `help` and `help <command>`: every command with who may use it, or one command in full.
import { card, type Card } from './cardModel.js';
import { COMMANDS, type CommandDefinition } from './commandTable.js';

export function helpCard(prefix: string): Card {
  return card('help', 'Commands of the Autotask bot.', [
    { type: 'header', text: 'Autotask bot — commands' },
    {
      type: 'table',
      columns: ['command', 'who', 'what'],
      rows: COMMANDS.map((c) => [`${prefix}${c.usage[0]}`, c.role ?? 'anyone', c.summary]),
    },
    { type: 'context', items: [`\`${prefix}help <command>\` shows one command with an example.`] },
  ]);
}

export function commandHelpCard(definition: CommandDefinition, prefix: string): Card {
  return card('help', `${prefix}${definition.usage[0]} — ${definition.summary}`, [
    { type: 'header', text: `${prefix}${definition.verb}` },
    { type: 'text', text: definition.summary },
    { type: 'text', text: definition.usage.map((u) => `\`${prefix}${u}\``).join('\n') },
    {
      type: 'context',
      items: [`Example: \`${prefix}${definition.example}\``, `Who: ${definition.role ?? 'anyone'}`],
    },
  ]);
}
