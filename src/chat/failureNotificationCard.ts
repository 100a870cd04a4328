// The failure notification: run, customer, what failed in plain words, and a Retry button when
// the notice carries a command that retries it (a button is always a command the router takes).
import { formatProblem } from '../core/problem.js';
import { card, type Card, type CardButton } from './cardModel.js';
import { andMore } from './cardFormat.js';
import type { FailureNotice } from './chatServices.js';

const ERROR_LINES = 5;

export function failureNotificationCard(notice: FailureNotice): Card {
  const lines = notice.errors.slice(0, ERROR_LINES).map((e) => `• ${formatProblem(e)}`);
  if (notice.errors.length > ERROR_LINES) lines.push(andMore(notice.errors.length - ERROR_LINES));
  const buttons: CardButton[] = [
    ...(notice.retryCommand
      ? [{ type: 'button' as const, label: 'Retry', command: notice.retryCommand, style: 'primary' as const }]
      : []),
    ...(notice.runId ? [{ type: 'button' as const, label: 'Show run', command: `run ${notice.runId}` }] : []),
  ];
  const subject = notice.runId ? `Run ${notice.runId}` : 'A scheduled validation';
  return card('failure', `❌ ${subject} for ${notice.customerName} failed: ${notice.what}`, [
    {
      type: 'header',
      text: `❌ ${notice.runId ? 'Upload' : 'Validation'} failed — ${notice.customerName}`.slice(0, 150),
    },
    { type: 'text', text: notice.what },
    ...(lines.length ? [{ type: 'text' as const, text: lines.join('\n') }] : []),
    ...(buttons.length ? [{ type: 'actions' as const, elements: buttons }] : []),
    ...(notice.runId ? [{ type: 'context' as const, items: [`Run ${notice.runId}`] }] : []),
  ]);
}
