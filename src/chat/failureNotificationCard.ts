// The failure notification: run, customer, what failed in plain words, a Retry button.
import { card, type Card } from './cardModel.js';
import { andMore } from './cardFormat.js';
import type { FailureNotice } from './chatServices.js';

const ERROR_LINES = 5;

export function failureNotificationCard(notice: FailureNotice): Card {
  const lines = notice.errors
    .slice(0, ERROR_LINES)
    .map((e) => `• ${e.code}: ${e.message}${e.fix ? ` — ${e.fix}` : ''}`);
  if (notice.errors.length > ERROR_LINES) lines.push(andMore(notice.errors.length - ERROR_LINES));
  return card('failure', `❌ Run ${notice.runId} for ${notice.customerName} failed: ${notice.what}`, [
    { type: 'header', text: `❌ Upload failed — ${notice.customerName}`.slice(0, 150) },
    { type: 'text', text: notice.what },
    ...(lines.length ? [{ type: 'text' as const, text: lines.join('\n') }] : []),
    {
      type: 'actions',
      elements: [
        { type: 'button', label: 'Retry', command: `retry ${notice.runId}`, style: 'primary' },
        { type: 'button', label: 'Show run', command: `run ${notice.runId}` },
      ],
    },
    { type: 'context', items: [`Run ${notice.runId}`] },
  ]);
}
