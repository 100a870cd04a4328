// The drift watch's card, one per customer: which of its Autotask lines carry units this bot did
// not send, since when, an Explain button per line, and "Plan a correction" — `correct <customer>`,
// a validation that plans the correcting adjustments (its upload still needs an approver)
// (docs/drift-watch.md).
import { card, type Card, type CardButton } from './cardModel.js';
import { andMore, formatCount } from './cardFormat.js';
import type { DriftWarning } from './chatServices.js';
import { EXPLAIN_BUTTONS, explainCommand } from './explainCard.js';

/** lines listed on the card; the validation lists all */
const DRIFT_LINES = 10;

export function driftCard(warning: DriftWarning): Card {
  const n = warning.lines.length;
  const shown = warning.lines.slice(0, DRIFT_LINES);
  const buttons: CardButton[] = [
    {
      type: 'button',
      label: 'Plan a correction',
      command: warning.correctionCommand,
      style: 'primary',
    },
    ...warning.lines.slice(0, EXPLAIN_BUTTONS).map((l): CardButton => ({
      type: 'button',
      label: `Explain ${l.productName}`.slice(0, 60),
      command: explainCommand(warning.customerName, l.productName, l.billingCycle),
    })),
  ];
  const summary = `⚠️ DRIFT at ${warning.customerName}: ${formatCount(n)} Autotask line${
    n === 1 ? '' : 's'
  } changed outside this bot`;
  return card('drift', summary, [
    { type: 'header', text: `⚠️ DRIFT — ${warning.customerName}`.slice(0, 150) },
    {
      type: 'text',
      text: `Autotask's units differ from what this bot sent on ${formatCount(n)} line${n === 1 ? '' : 's'}: someone changed ${n === 1 ? 'it' : 'them'} in Autotask, so the customer is billed for what the subscriptions do not say.`,
    },
    {
      type: 'text',
      text: [
        ...shown.map(
          (l) =>
            `• *${l.productName}* (${l.billingCycle}, line ${l.contractServiceId}) since ${l.since}: ${l.detail}`,
        ),
        ...(n > shown.length ? [andMore(n - shown.length)] : []),
      ].join('\n'),
    },
    { type: 'actions', elements: buttons },
    {
      type: 'context',
      items: [
        'Find out who changed the line in Autotask. "Plan a correction" validates the customer and plans an adjustment on the first date Autotask accepts that brings each line back to the source history (a hand edit in a posted period cannot be corrected: it says so); the upload still needs an approver.',
      ],
    },
  ]);
}
