// The Notifier for a bot without chat (the CLI, a worker process, sandbox mode): one line per
// notice, as text for people or as JSON for scripts and tests reading a worker's output.
import { terminalSafeText } from '../core/terminalSafeText.js';
import type { Notice, Notifier } from './notifier.js';

export function describeNotice(notice: Notice): string {
  switch (notice.kind) {
    case 'validation':
      return `${notice.clean ? '✅' : '❌'} run ${notice.runId} validated ${notice.scope}: ${notice.customers
        .map((c) => `${c.customerName} ${c.blocked ? 'blocked' : `${c.operations} operations`}`)
        .join(', ')}`;
    case 'approval_request':
      return notice.autoApproved
        ? `🤖 run ${notice.runId} (${notice.operations} operations) was approved by the auto-approve policy`
        : `🖐 run ${notice.runId} (${notice.operations} operations) waits for an approver: \`${notice.approveCommand}\` or \`${notice.rejectCommand}\``;
    case 'progress':
      return `⏳ run ${notice.runId}: ${notice.done} / ${notice.total} operations`;
    case 'outcome':
      return `run ${notice.runId} ${notice.outcome.replace('_', ' ')}: ${notice.summary}`;
    case 'failure':
      return `❌ ${notice.runId ? `run ${notice.runId} ` : ''}for ${notice.customerName} failed: ${notice.what}${
        notice.errors.length ? ` (${notice.errors.map((e) => e.code).join(', ')})` : ''
      }${notice.retryCommand ? ` — \`${notice.retryCommand}\` to retry` : ''}`;
    case 'reconciliation': {
      const r = notice.summary;
      return `📒 reconciliation ${r.month} of ${r.scopeLabel}: ${r.differing} of ${r.lineCount} lines differ, variance ${r.totals.variance} (expected ${r.totals.expected}, billed ${r.totals.billed})${r.csv.url ? ` — CSV ${r.csv.url}` : ''}`;
    }
    case 'drift':
      return `⚠️ DRIFT at ${notice.customerName}: ${notice.lines
        .map((l) => `${l.productName} (line ${l.contractServiceId}) ${l.detail}`)
        .join('; ')} — \`${notice.correctionCommand}\` to plan a correction`;
  }
}

export class ConsoleNotifier implements Notifier {
  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly format: 'text' | 'json' = 'text',
  ) {}

  private async say(notice: Notice): Promise<void> {
    // names in notices come from source data: their control characters are shown, not obeyed
    this.write(
      terminalSafeText(this.format === 'json' ? JSON.stringify({ notice }) : describeNotice(notice)),
    );
  }

  validationFinished = (n: Notice & { kind: 'validation' }) => this.say(n);
  approvalRequested = (n: Notice & { kind: 'approval_request' }) => this.say(n);
  progress = (n: Notice & { kind: 'progress' }) => this.say(n);
  outcome = (n: Notice & { kind: 'outcome' }) => this.say(n);
  failure = (n: Notice & { kind: 'failure' }) => this.say(n);
  reconciliation = (n: Notice & { kind: 'reconciliation' }) => this.say(n);
  drift = (n: Notice & { kind: 'drift' }) => this.say(n);
}
