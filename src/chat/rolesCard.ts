// `roles`: who holds which role.
import { card, type Card } from './cardModel.js';
import type { RoleHolder } from './roleStore.js';

export function rolesCard(holders: RoleHolder[], prefix: string): Card {
  return card('roles', `${holders.length} people hold roles.`, [
    { type: 'header', text: 'Roles' },
    holders.length === 0
      ? { type: 'text', text: 'Nobody holds a role yet. Set ADMIN_USERS to name the first admin.' }
      : {
          type: 'table',
          columns: ['who', 'roles'],
          rows: holders.map((h) => [
            h.identity,
            h.roles.join(', ') + (h.bootstrapAdmin ? ' (ADMIN_USERS)' : ''),
          ]),
        },
    { type: 'context', items: [`viewer < operator < approver < admin · \`${prefix}grant <user> <role>\``] },
  ]);
}
