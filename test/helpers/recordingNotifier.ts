// A Notifier that keeps what it was told, for tests. It can be told to
// refuse the next N deliveries, to exercise the delivery retry.
import type { Notice, Notifier } from '../../src/jobs/notifier.js';

export class RecordingNotifier implements Notifier {
  readonly notices: Notice[] = [];
  private refusals = 0;

  /** the next `count` deliveries throw (as an unreachable Slack would) */
  refuseNext(count: number): void {
    this.refusals = count;
  }

  of<K extends Notice['kind']>(kind: K): Extract<Notice, { kind: K }>[] {
    return this.notices.filter((n): n is Extract<Notice, { kind: K }> => n.kind === kind);
  }

  private async record(notice: Notice): Promise<void> {
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw new Error('NOTIFIER_UNREACHABLE: the chat platform did not answer (test refusal)');
    }
    this.notices.push(notice);
  }

  validationFinished = (n: Notice & { kind: 'validation' }) => this.record(n);
  approvalRequested = (n: Notice & { kind: 'approval_request' }) => this.record(n);
  progress = (n: Notice & { kind: 'progress' }) => this.record(n);
  outcome = (n: Notice & { kind: 'outcome' }) => this.record(n);
  failure = (n: Notice & { kind: 'failure' }) => this.record(n);
  reconciliation = (n: Notice & { kind: 'reconciliation' }) => this.record(n);
  drift = (n: Notice & { kind: 'drift' }) => this.record(n);
}
