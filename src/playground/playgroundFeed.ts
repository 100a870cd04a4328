// The playground's "channel": what Slack or Teams would post on their own — approval requests
// (rewritten in place as the run moves on), failure notifications. It is a ChatNotifier like
// the Slack and Teams adapters, so uploads and jobs reach it the same way. Kept in memory: it is
// a view of this process's session; the runs themselves are in the database.
import type { Card } from '../chat/cardModel.js';
import { approvalCard } from '../chat/approvalCard.js';
import type { ChatNotifier } from '../chat/chatNotifier.js';
import type { RunState, RunSummary } from '../chat/chatServices.js';
import { failureNotificationCard } from '../chat/failureNotificationCard.js';

export interface FeedPost {
  /** `approval:<run>` (rewritten in place) or `failure:<run>:<n>` */
  key: string;
  /** increases with every post and rewrite: the client asks for what changed after its last */
  seq: number;
  kind: 'approval' | 'failure';
  /** null for a failure that concerns no run (a scheduled validation that could not start) */
  runId: string | null;
  card: Card;
  postedAt: string;
}

const MAX_POSTS = 200;
const MOVING: RunState[] = ['validated', 'awaiting_approval', 'approved', 'uploading'];

export class PlaygroundFeed {
  private readonly posts = new Map<string, FeedPost & { state?: RunState }>();
  private seq = 0;
  private failures = 0;

  constructor(
    /** the run as it stands now, to show an upload's progress while it runs */
    private readonly summaryOf: (runId: string) => Promise<RunSummary | null>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private put(post: Omit<FeedPost, 'seq' | 'postedAt'> & { state?: RunState }): void {
    const before = this.posts.get(post.key);
    this.posts.set(post.key, {
      ...post,
      seq: ++this.seq,
      postedAt: before?.postedAt ?? this.now().toISOString(),
    });
    if (this.posts.size > MAX_POSTS) this.posts.delete(this.posts.keys().next().value!);
  }

  postApproval(runId: string, card: Card, state?: RunState): void {
    this.put({ key: `approval:${runId}`, kind: 'approval', runId, card, ...(state ? { state } : {}) });
  }

  /** a rewrite of a card never posted here (asked for in Slack, say) is posted now */
  updateApproval(runId: string, card: Card, state?: RunState): void {
    const before = this.posts.get(`approval:${runId}`);
    if (before && JSON.stringify(before.card) === JSON.stringify(card)) return;
    this.postApproval(runId, card, state);
  }

  /** Rewrites the approval cards of runs still moving (progress), then lists posts after `after`. */
  async since(after: number): Promise<{ seq: number; posts: FeedPost[] }> {
    for (const post of [...this.posts.values()]) {
      if (post.kind !== 'approval' || !post.runId || (post.state && !MOVING.includes(post.state))) continue;
      const run = await this.summaryOf(post.runId);
      if (run) this.updateApproval(run.runId, approvalCard(run, this.now()), run.state);
    }
    const posts = [...this.posts.values()]
      .filter((p) => p.seq > after)
      .sort((a, b) => a.seq - b.seq)
      .map(({ state: _state, ...post }) => post);
    return { seq: this.seq, posts };
  }

  readonly notifier: ChatNotifier = {
    approvalRequested: async (run) => this.postApproval(run.runId, approvalCard(run, this.now()), run.state),
    runChanged: async (run) => this.updateApproval(run.runId, approvalCard(run, this.now()), run.state),
    runFailed: async (notice) => {
      this.put({
        key: `failure:${notice.runId}:${++this.failures}`,
        kind: 'failure',
        runId: notice.runId,
        card: failureNotificationCard(notice),
      });
    },
  };
}
