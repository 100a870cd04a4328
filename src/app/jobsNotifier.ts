// The jobs part's Notifier over the chat adapters (Slack, Teams, the playground feed): a notice
// names a run, and chat is told about the run as it stands now (runSummary), so a late or
// re-delivered progress notice never shows an older state. The list is read at delivery time:
// adapters push themselves into it after the job worker has started.
import type { ChatNotifier } from '../chat/chatNotifier.js';
import type { RunSummary } from '../chat/chatServices.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Notifier } from '../jobs/notifier.js';
import { planOf, runSummary, validationResult } from './runViews.js';

export function chatJobsNotifier(prisma: PrismaClient, notifiers: readonly ChatNotifier[]): Notifier {
  const tell = async (call: (n: ChatNotifier) => Promise<void> | undefined) => {
    await Promise.allSettled(notifiers.map(call));
  };
  const withRun = async (runId: string, call: (n: ChatNotifier, run: RunSummary) => Promise<void>) => {
    const run = await runSummary(prisma, runId);
    // a run deleted since: nothing to show
    if (run) await tell((n) => call(n, run));
  };
  return {
    async validationFinished(notice) {
      const row = await prisma.syncRun.findUnique({
        where: { id: notice.runId },
        select: { plan: true, createdAt: true },
      });
      if (!row) return;
      const result = await validationResult(prisma, notice.runId, planOf(row.plan).customers, row.createdAt);
      await tell((n) => n.validationFinished?.(result));
    },
    approvalRequested: (notice) => withRun(notice.runId, (n, run) => n.approvalRequested(run)),
    // progress and outcomes rewrite the approval card where one was posted
    progress: (notice) => withRun(notice.runId, (n, run) => n.runChanged(run)),
    outcome: (notice) => withRun(notice.runId, (n, run) => n.runChanged(run)),
    failure: (notice) =>
      tell((n) =>
        n.runFailed({
          runId: notice.runId,
          customerName: notice.customerName,
          what: notice.what,
          errors: notice.errors,
          retryCommand: notice.retryCommand,
        }),
      ),
    reconciliation: (notice) => tell((n) => n.reconciled?.(notice.summary)),
    drift: ({ kind: _kind, ...warning }) => tell((n) => n.driftFound?.(warning)),
  };
}
