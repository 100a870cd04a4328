// `verify tenant`: the report card (one line per check: ok / differs / cannot check, and what to
// do), and the confirmation card the write probe waits behind. docs/tenant-verification.md.
import { formatProblem } from '../core/problem.js';
import { card, type Card, type CardBlock } from './cardModel.js';
import { formatCount } from './cardFormat.js';
import type { ProbeTargetView, TenantCheckLine, TenantVerificationResult } from './chatServices.js';

const STATUS_WORDS: Record<TenantCheckLine['status'], string> = {
  ok: '✅ ok',
  differs: '❌ differs',
  'cannot-check': '➖ cannot check',
};

export function tenantVerificationCard(result: TenantVerificationResult): Card {
  const blocks: CardBlock[] = [
    { type: 'header', text: `${result.ok ? '✅' : '❌'} Autotask tenant verification` },
    {
      type: 'table',
      columns: ['check', 'result', 'observed', 'what to do'],
      rows: result.lines.map((l) => [
        `${l.title}${l.reliedOn ? ' (uploads rely on it)' : ''}`,
        STATUS_WORDS[l.status],
        l.observed,
        l.hint ?? '',
      ]),
    },
  ];
  if (result.probe)
    blocks.push({
      type: 'text',
      text: [
        `Write probe on contract ${result.probe.target.contractId} "${result.probe.target.contractName}" (service ${result.probe.target.serviceId}). Left behind in Autotask (it cannot delete them):`,
        ...result.probe.leftBehind.map((l) => `• ${l}`),
      ].join('\n'),
    });
  if (result.probeProblem) blocks.push({ type: 'text', text: `❌ ${formatProblem(result.probeProblem)}` });
  if (result.refusesUploads.length)
    blocks.push({
      type: 'text',
      text: `⛔ Uploads to this tenant are refused (TENANT_BEHAVIOUR_CONTRADICTED): it contradicts ${result.refusesUploads.join(', ')}.`,
    });
  blocks.push({
    type: 'context',
    items: [
      `${formatCount(result.requestsMade)} Autotask requests`,
      `stored as the facts of ${result.databaseKey}`,
    ],
  });
  const differs = result.lines.filter((l) => l.status === 'differs').length;
  return card(
    'tenant-verification',
    result.ok
      ? 'The Autotask tenant behaves as the bot expects.'
      : `The Autotask tenant differs in ${differs} check(s)${result.probeProblem ? '; the write probe did not complete' : ''}.`,
    blocks,
  );
}

/** Asks the admin who asked to confirm the write probe; the button runs it (for them only). */
export function writeProbeConfirmationCard(target: ProbeTargetView, confirmCommand: string): Card {
  const what = `On contract ${target.contractId} "${target.contractName}" the probe adds a line of service ${target.serviceId} "${target.serviceName}" at unit price 0, tries it twice, and makes adjustments dated ${target.firstDate} (+1) and ${target.secondDate} (−1), plus two that Autotask should refuse. Autotask cannot delete them: a 0-unit line and its adjustments stay.`;
  return card(
    'write-probe-confirmation',
    `Write probe on contract ${target.contractId}: confirm to run it.`,
    [
      { type: 'header', text: `Write probe on contract ${target.contractId}?` },
      { type: 'text', text: what },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            label: 'Run the write probe',
            command: confirmCommand,
            style: 'danger',
            confirm: {
              title: 'Write to this contract?',
              text: what.slice(0, 300),
              confirm: 'Run it',
              deny: 'Cancel',
            },
          },
        ],
      },
      { type: 'context', items: ['Only the admin who asked may confirm it.'] },
    ],
  );
}
