// The card publisher over a recording transport: an approval card is posted to the notification
// target and remembered, later rewrites go to that message (not the one a caller already
// rewrote), notices are posted once, and nothing is posted where no target is set.
import { card, type Card } from '../../../src/chat/cardModel.js';
import { createCardPublisher, type PostedApprovalCards } from '../../../src/chat/cardPublisher.js';
import type { CardSubject, CardTransport, PostedCardRef } from '../../../src/chat/cardTransport.js';
import type { RunSummary } from '../../../src/chat/chatServices.js';
import { createLogger } from '../../../src/observability/logger.js';

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
