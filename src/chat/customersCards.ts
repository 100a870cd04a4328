// `customers [filter]` and `unmapped [customer]`.
import { card, type Card } from './cardModel.js';
import { formatCount } from './cardFormat.js';
import type { CustomerMappingSummary, UnmappedItem } from './chatServices.js';
import type { CustomerRef } from '../subscriptions/customerResolution.js';

const STATE_ICON = { mapped: '✅', suggested: '💡', missing: '❌', ambiguous: '❓' } as const;
const MAX_ROWS = 50;

export function customersCard(customers: CustomerMappingSummary[], prefix: string): Card {
  const shown = customers.slice(0, MAX_ROWS);
  return card('customers', `${customers.length} customers.`, [
    { type: 'header', text: 'Customers' },
    customers.length === 0
      ? { type: 'text', text: 'No customers match.' }
      : {
          type: 'table',
          columns: ['customer', 'company', 'contracts', 'unmapped products'],
          rows: shown.map((c) => [
            c.name,
            `${STATE_ICON[c.company]} ${c.company}`,
            `${STATE_ICON[c.contracts]} ${c.contracts}`,
            formatCount(c.unmappedProducts),
          ]),
          omittedRows: customers.length - shown.length,
        },
    { type: 'context', items: [`\`${prefix}map <customer>\` opens a customer's mapping.`] },
  ]);
}

/** When mapping is not wired yet: the customers as stored, without mapping state. */
export function plainCustomersCard(customers: CustomerRef[], total: number): Card {
  return card('customers', `${total} customers.`, [
    { type: 'header', text: 'Customers' },
    customers.length === 0
      ? { type: 'text', text: 'No customers match.' }
      : {
          type: 'table',
          columns: ['customer'],
          rows: customers.map((c) => [c.name]),
          omittedRows: total - customers.length,
        },
    { type: 'context', items: ['Mapping state is not available in this build.'] },
  ]);
}

export function unmappedCard(items: UnmappedItem[], scope: string | null, prefix: string): Card {
  const shown = items.slice(0, MAX_ROWS);
  return card('unmapped', `${items.length} things unmapped${scope ? ` for ${scope}` : ''}.`, [
    { type: 'header', text: `Unmapped${scope ? ` — ${scope}` : ''}` },
    items.length === 0
      ? { type: 'text', text: '✅ Everything is mapped.' }
      : {
          type: 'table',
          columns: ['customer', 'what', 'name'],
          rows: shown.map((i) => [i.customerName, i.what, i.name]),
          omittedRows: items.length - shown.length,
        },
    { type: 'context', items: [`\`${prefix}map <customer>\` maps them.`] },
  ]);
}
