// `test`: can the bot reach Autotask, and may it do what uploads need.
import { formatProblem } from '../core/problem.js';
import { card, type Card } from './cardModel.js';
import { formatCount } from './cardFormat.js';
import type { ConnectivityResult } from './chatServices.js';

const tick = (ok: boolean) => (ok ? '✅' : '❌');

export function connectivityCard(result: ConnectivityResult): Card {
  return card(
    'connectivity',
    result.ok ? 'Autotask connection works.' : 'Autotask connection has problems.',
    [
      {
        type: 'header',
        text: `${tick(result.ok)} Autotask connection${result.mode === 'sandbox' ? ' (sandbox)' : ''}`,
      },
      {
        type: 'fields',
        fields: [
          { label: 'Zone', value: result.zoneUrl ?? 'not found' },
          { label: 'Authentication', value: result.authenticated ? '✅ accepted' : '❌ refused' },
          { label: 'Latency', value: result.latencyMs === null ? 'n/a' : `${result.latencyMs} ms` },
          {
            label: 'API budget used',
            value: `${formatCount(result.apiBudget.used)} / ${formatCount(result.apiBudget.limit)} in ${result.apiBudget.windowMinutes} min`,
          },
        ],
      },
      {
        type: 'table',
        columns: ['entity', 'read', 'create', 'update'],
        rows: result.permissions.map((p) => [p.entity, tick(p.read), tick(p.create), tick(p.update)]),
      },
      ...(result.errors.length
        ? [
            {
              type: 'text' as const,
              text: result.errors.map((e) => `❌ ${formatProblem(e)}`).join('\n'),
            },
          ]
        : []),
    ],
  );
}
