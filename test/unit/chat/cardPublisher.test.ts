// The card publisher over a recording transport: an approval card is posted to the notification
// target and remembered, later rewrites go to that message (not the one a caller already
// rewrote), notices are posted once, and nothing is posted where no target is set.
import { card, type Card } from '../../../src/chat/cardModel.js';
import { createCardPublisher, type PostedApprovalCards } from '../../../src/chat/cardPublisher.js';
import type { CardSubject, CardTransport, PostedCardRef } from '../../../src/chat/cardTransport.js';
import type { RunSummary } from '../../../src/chat/chatServices.js';
import { createLogger } from '../../../src/observability/logger.js';
import { chatJobsNotifier } from '../../../src/app/jobsNotifier.js';
import type { PrismaClient } from '../../../src/db/prismaClient.js';

const logger = createLogger({ level: 'silent', format: 'json', secrets: [] });

function harness(target: string | null = 'C-notify') {
  const posts: { target: string; card: Card; subject: CardSubject }[] = [];
  const updates: { ref: PostedCardRef; card: Card }[] = [];
  const transport: CardTransport = {
    post: async (to, posted, subject) => {
      posts.push({ target: to, card: posted, subject });
      return { channel: to, messageId: `m${posts.length}` };
    },
    update: async (ref, updated) => {
      updates.push({ ref, card: updated });
    },
  };
  const remembered = new Map<string, PostedCardRef>();
  const postedCards: PostedApprovalCards = {
    remember: async (runId, ref) => {
      remembered.set(runId, ref);
    },
    find: async (runId) => remembered.get(runId),
  };
  const publisher = createCardPublisher({
    transport,
    postedCards,
    targetOf: async (fallback) => target ?? fallback,
    logger,
    now: () => new Date('2026-03-01T10:00:00Z'),
  });
  return { publisher, posts, updates, remembered };
}

const first = card('approval', 'run_1 awaits approval', []);
const decided = card('approval', 'run_1 approved', []);

const run: RunSummary = {
  runId: 'run_1',
  customerIds: ['c1'],
  customerNames: ['Contoso'],
  state: 'awaiting_approval',
  operations: 2,
  changes: [],
  requestedBy: 'slack:T1:U1',
  requestedAt: new Date('2026-03-01T09:00:00Z'),
  validatedAt: new Date('2026-03-01T08:59:00Z'),
  decidedBy: null,
  decidedAt: null,
  rejectReason: null,
  progress: null,
  outcome: null,
};

describe('CardPublisher', () => {
  it('posts an approval card to the notification target once, then rewrites that message', async () => {
    const h = harness();
    await h.publisher.publish(
      { cards: [], private: false, broadcast: { kind: 'approval', runId: 'run_1', card: first } },
      'C-asked',
    );
    expect(h.posts).toEqual([
      { target: 'C-notify', card: first, subject: { kind: 'approval', runId: 'run_1' } },
    ]);
    expect(h.remembered.get('run_1')).toEqual({ channel: 'C-notify', messageId: 'm1' });

    await h.publisher.publish(
      { cards: [], private: false, updatePosted: { kind: 'approval', runId: 'run_1', card: decided } },
      undefined,
    );
    expect(h.posts).toHaveLength(1);
    expect(h.updates).toEqual([{ ref: { channel: 'C-notify', messageId: 'm1' }, card: decided }]);
  });

  it('leaves alone the message the caller already rewrote, and runs never posted', async () => {
    const h = harness();
    await h.publisher.postApprovalCard('run_1', first);
    await h.publisher.updateApprovalCard('run_1', decided, 'm1');
    await h.publisher.updateApprovalCard('run_2', decided);
    expect(h.updates).toEqual([]);
  });

  it('falls back to where the request came from until a target is set, and posts nothing without either', async () => {
    const h = harness(null);
    await h.publisher.postApprovalCard('run_1', first, 'C-asked');
    await h.publisher.postApprovalCard('run_2', first);
    expect(h.posts.map((p) => p.target)).toEqual(['C-asked']);
    expect([...h.remembered.keys()]).toEqual(['run_1']);
  });

  it('as a notifier: approval cards for runs, failure notices posted once and never remembered', async () => {
    const h = harness();
    await h.publisher.notifier.approvalRequested(run);
    await h.publisher.notifier.runChanged({ ...run, state: 'approved', decidedBy: 'slack:T1:U2' });
    await h.publisher.notifier.runFailed({
      runId: 'run_1',
      customerName: 'Contoso',
      what: 'the upload',
      errors: [{ code: 'AUTOTASK_DOWN', message: 'Autotask did not answer', hint: 'Try again later.' }],
      retryCommand: 'retry run_1',
    });
    expect(h.posts.map((p) => p.subject)).toEqual([
      { kind: 'approval', runId: 'run_1' },
      { kind: 'failure', runId: 'run_1' },
    ]);
    expect(h.updates).toHaveLength(1);
    expect(h.updates[0]!.card.kind).toBe(h.posts[0]!.card.kind);
  });
});

describe('the watches reach the notification channel', () => {
  // the jobs' notices as the app turns them into chat calls; these two never read the database
  const jobsNotifier = (h: ReturnType<typeof harness>) =>
    chatJobsNotifier(undefined as unknown as PrismaClient, [h.publisher.notifier]);

  it('posts a drift notice as one DRIFT card with its correction and Explain buttons', async () => {
    const h = harness();
    await jobsNotifier(h).drift({
      kind: 'drift',
      customerId: 'c1',
      customerName: 'Contoso',
      lines: [
        {
          productName: 'Visio Plan 2',
          billingCycle: 'annual',
          contractServiceId: 301,
          since: '2026-10-01',
          detail: 'on 2026-10-01 Autotask has 7 units, this system pushed 5',
        },
      ],
      correctionCommand: 'validate c1',
    });
    expect(h.posts).toHaveLength(1);
    const [post] = h.posts;
    expect(post!.target).toBe('C-notify');
    expect(post!.subject).toEqual({ kind: 'drift', runId: null });
    expect(post!.card.kind).toBe('drift');
    const buttons = post!.card.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => (b.type === 'button' ? b.command : b.type))).toEqual([
      'validate c1',
      'explain Contoso "Visio Plan 2" annual',
    ]);
    expect(JSON.stringify(post!.card)).toContain('Autotask has 7 units, this system pushed 5');
  });

  it('posts the monthly reconciliation under its own title, and nothing without a target', async () => {
    const summary = {
      month: '2026-10',
      scopeLabel: 'all customers',
      customers: 1,
      lineCount: 1,
      differing: 0,
      totals: { expected: '110.00', billed: '110.00', variance: '0.00' },
      reasons: { matches: 1 },
      largest: [],
      skipped: [],
      skippedCount: 0,
      csv: { url: 'https://bot.example/artifacts/a1/reconciliation-2026-10.csv?sig=x', problem: null },
    };
    const h = harness();
    await jobsNotifier(h).reconciliation({ kind: 'reconciliation', summary });
    expect(h.posts).toHaveLength(1);
    expect(h.posts[0]!.subject).toEqual({ kind: 'reconciliation', runId: null });
    expect(h.posts[0]!.card.blocks[0]).toEqual({
      type: 'header',
      text: 'Monthly reconciliation 2026-10 — all customers',
    });
    expect(h.posts[0]!.card.blocks).toContainEqual(
      expect.objectContaining({ type: 'link', url: summary.csv.url }),
    );

    const nowhere = harness(null);
    await jobsNotifier(nowhere).reconciliation({ kind: 'reconciliation', summary });
    expect(nowhere.posts).toEqual([]);
  });
});
