// The approval card, posted to the notification channel and rewritten as the run moves on:
// waiting (Approve with a confirmation dialog, Reject), uploading (progress), done (outcome).
// Once decided it has no buttons.
import { card, type Card, type CardBlock } from './cardModel.js';
import {
  andMore,
  formatAge,
  formatCount,
  formatPerson,
  formatProgress,
  formatRunState,
} from './cardFormat.js';
import type { RunSummary } from './chatServices.js';

const CHANGE_LINES = 10;

export function approvalCard(run: RunSummary, now: Date): Card {
  const customers = run.customerNames.join(', ');
  const blocks: CardBlock[] = [
    { type: 'header', text: `Upload to Autotask — ${customers}`.slice(0, 150) },
    {
      type: 'fields',
      fields: [
        { label: 'Run', value: run.runId },
        { label: 'Operations', value: formatCount(run.operations) },
        { label: 'Requested by', value: formatPerson(run.requestedBy) },
        { label: 'Plan age', value: formatAge(run.validatedAt, now) },
      ],
    },
  ];
  if (run.changes.length > 0) {
    const lines = run.changes.slice(0, CHANGE_LINES).map((c) => `• ${c}`);
    if (run.changes.length > CHANGE_LINES) lines.push(andMore(run.changes.length - CHANGE_LINES));
    blocks.push({ type: 'text', text: lines.join('\n') });
  }
  let summary: string;
  switch (run.state) {
    case 'validated':
    case 'awaiting_approval':
      summary = `Approval needed: upload of ${formatCount(run.operations)} operations for ${customers}.`;
      blocks.push({
        type: 'actions',
        elements: [
          {
            type: 'button',
            label: 'Approve',
            command: `approve ${run.runId}`,
            style: 'primary',
            confirm: {
              title: 'Approve the upload?',
              text: `${formatCount(run.operations)} operations will be written to Autotask for ${customers}.`.slice(
                0,
                300,
              ),
              confirm: 'Approve',
              deny: 'Cancel',
            },
          },
          {
            type: 'button',
            label: 'Reject',
            command: `reject ${run.runId}`,
            style: 'danger',
            confirm: {
              title: 'Reject the upload?',
              text: `Nothing will be written to Autotask for ${customers}; a new upload has to be requested.`.slice(
                0,
                300,
              ),
              confirm: 'Reject',
              deny: 'Cancel',
            },
          },
        ],
      });
      break;
    case 'rejected':
      summary = `Rejected by ${formatPerson(run.decidedBy)}.`;
      blocks.push({
        type: 'text',
        text: `🚫 Rejected by ${formatPerson(run.decidedBy)}${run.rejectReason ? `: ${run.rejectReason}` : ''}`,
      });
      break;
    case 'approved':
    case 'uploading': {
      const progress = run.progress ? formatProgress(run.progress.done, run.progress.total) : 'starting';
      summary = `Approved by ${formatPerson(run.decidedBy)}; uploading: ${progress}.`;
      blocks.push({ type: 'text', text: `✅ Approved by ${formatPerson(run.decidedBy)} · ⏳ ${progress}` });
      break;
    }
    default: {
      const outcome = run.outcome;
      const icon = run.state === 'succeeded' ? '✅' : '❌';
      summary = `${icon} Upload ${formatRunState(run.state)}.`;
      blocks.push({
        type: 'text',
        text: `✅ Approved by ${formatPerson(run.decidedBy)}\n${icon} Upload ${formatRunState(run.state)}${
          outcome
            ? `: ${formatCount(outcome.succeeded)} operations done, ${formatCount(outcome.failed)} failed`
            : ''
        }`,
      });
      if (run.state !== 'succeeded')
        blocks.push({
          type: 'actions',
          elements: [{ type: 'button', label: 'Retry', command: `retry ${run.runId}` }],
        });
    }
  }
  return card('approval', summary, blocks);
}
