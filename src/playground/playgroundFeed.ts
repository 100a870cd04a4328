// The playground's "channel": what Slack or Teams would post on their own — approval requests
// (rewritten in place as the run moves on), failure notifications. It is the card publisher over
// an in-memory transport, like the Slack and Teams ones, so uploads and jobs reach it the same
// way. Kept in memory: it is a view of this process's session; the runs themselves are in the
// database.
import type { Logger } from '../observability/logger.js';
import type { Card, ChatReply } from '../chat/cardModel.js';
import { approvalCard } from '../chat/approvalCard.js';
import { createCardPublisher, type CardPublisher } from '../chat/cardPublisher.js';
import type { CardTransport, PostedCardRef } from '../chat/cardTransport.js';
import type { ChatNotifier } from '../chat/chatNotifier.js';
import type { ChatRunState, RunSummary } from '../chat/chatServices.js';

export interface FeedPost {
  /** `approval:<run>` (rewritten in place), or `<kind>:<run>:<n>` for a notice posted once */
  key: string;
  /** increases with every post and rewrite: the client asks for what changed after its last */
  seq: number;
  kind: 'approval' | 'failure' | 'reconciliation' | 'drift';
  /** null for a failure that concerns no run (a scheduled validation that could not start) */
  runId: string | null;
  card: Card;
  postedAt: string;
}

const MAX_POSTS = 200;
const MOVING: ChatRunState[] = ['validated', 'awaiting_approval', 'approved', 'uploading'];
const FEED = 'playground';

const approvalKey = (runId: string) => `approval:${runId}`;

export class PlaygroundFeed {
  private readonly posts = new Map<string, FeedPost & { state?: ChatRunState }>();
  private seq = 0;
  private failures = 0;
  private readonly publisher: CardPublisher;

  constructor(
    /** the run as it stands now, to show an upload's progress while it runs */
    private readonly summaryOf: (runId: string) => Promise<RunSummary | null>,
    logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    // the feed has one approval card per run at a known key, so every run's card is "posted"
    // here: a rewrite of one never posted here (asked for in Slack, say) is posted now
    this.publisher = createCardPublisher({
      transport: this.transport,
      postedCards: {
        remember: async () => undefined,
        find: async (runId) => ({ channel: FEED, messageId: approvalKey(runId) }),
      },
      targetOf: async () => FEED,
      logger,
      now,
    });
  }

  private put(post: Omit<FeedPost, 'seq' | 'postedAt'> & { state?: ChatRunState }): void {
    const before = this.posts.get(post.key);
    this.posts.set(post.key, {
      ...post,
      seq: ++this.seq,
      postedAt: before?.postedAt ?? this.now().toISOString(),
    });
    if (this.posts.size > MAX_POSTS) this.posts.delete(this.posts.keys().next().value!);
  }

  /** an unchanged card keeps its place in the feed (only its run's state is noted) */
  private updateApproval(key: string, card: Card, state?: ChatRunState): void {
    const before = this.posts.get(key);
    if (before && JSON.stringify(before.card) === JSON.stringify(card)) {
      if (state) before.state = state;
      return;
    }
    const runId = key.slice(approvalKey('').length);
    this.put({ key, kind: 'approval', runId, card, ...(state ? { state } : {}) });
  }

  /** the feed as a chat platform's transport: approval cards at their run's key, failures added */
  private readonly transport: CardTransport = {
    post: async (_feed, card, subject): Promise<PostedCardRef | undefined> => {
      // a scheduled validation's card belongs to the chats' notification channels, not here
      if (subject.kind === 'validation') return undefined;
      const key =
        subject.kind === 'approval'
          ? approvalKey(subject.runId)
          : `${subject.kind}:${subject.runId}:${++this.failures}`;
      this.put({ key, kind: subject.kind, runId: subject.runId, card });
      return { channel: FEED, messageId: key };
    },
    update: async (ref, card) => this.updateApproval(ref.messageId, card),
  };

  /** what a chat reply asks to be posted or rewritten in the feed */
  publish(reply: ChatReply): Promise<void> {
    return this.publisher.publish(reply, FEED);
  }

  get notifier(): ChatNotifier {
    return this.publisher.notifier;
  }

  /** Rewrites the approval cards of runs still moving (progress), then lists posts after `after`. */
  async since(after: number): Promise<{ seq: number; posts: FeedPost[] }> {
    for (const post of [...this.posts.values()]) {
      if (post.kind !== 'approval' || !post.runId || (post.state && !MOVING.includes(post.state))) continue;
      const run = await this.summaryOf(post.runId);
      if (run) this.updateApproval(post.key, approvalCard(run, this.now()), run.state);
    }
    const posts = [...this.posts.values()]
      .filter((p) => p.seq > after)
      .sort((a, b) => a.seq - b.seq)
      .map(({ state: _state, ...post }) => post);
    return { seq: this.seq, posts };
  }
}
