// The one "run or notice → card → post it the first time, rewrite the posted card after" for every
// chat platform: approval cards go to the platform's notification target and are remembered, so
// a click, a job or another process rewrites the same message; failure and validation notices
// are posted once. A platform supplies only its transport (which renders within its limits).
import type { Logger } from '../observability/logger.js';
import { approvalCard } from './approvalCard.js';
import type { Card, ChatReply } from './cardModel.js';
import type { CardSubject, CardTransport, PostedCardRef } from './cardTransport.js';
import type { ChatNotifier } from './chatNotifier.js';
import { failureNotificationCard } from './failureNotificationCard.js';
import { validationCard } from './validationCard.js';
import { reconciliationSummaryCard } from './reconciliationCard.js';
import { driftCard } from './driftCard.js';

/** where a platform's posted approval cards are remembered */
export interface PostedApprovalCards {
  remember(runId: string, ref: PostedCardRef): Promise<void>;
  find(runId: string): Promise<PostedCardRef | undefined>;
}

export interface CardPublisherOptions {
  transport: CardTransport;
  postedCards: PostedApprovalCards;
  /** the platform's notification target (`notify here`), else `fallback` */
  targetOf(fallback: string | undefined): Promise<string | undefined>;
  logger: Logger;
  now?: () => Date;
}

export interface CardPublisher {
  /** the approval card to the notification target (or `fallback` until one is set) */
  postApprovalCard(runId: string, card: Card, fallback?: string): Promise<void>;
  /** rewrites the posted approval card, unless it is `skipMessageId` (rewritten by the caller) */
  updateApprovalCard(runId: string, card: Card, skipMessageId?: string): Promise<void>;
  /** what a chat reply asks for beyond the answer: an approval card posted, or one rewritten */
  publish(reply: ChatReply, fallback: string | undefined, skipMessageId?: string): Promise<void>;
  notifier: ChatNotifier;
}

export function createCardPublisher(options: CardPublisherOptions): CardPublisher {
  const { transport, postedCards, targetOf, logger } = options;
  const now = options.now ?? (() => new Date());

  const post = async (card: Card, subject: CardSubject, fallback: string | undefined) => {
    const target = await targetOf(fallback);
    if (!target) {
      logger.warn(
        { runId: subject.runId, kind: subject.kind },
        'a card has nowhere to go: nobody has typed `notify here`',
      );
      return undefined;
    }
    return transport.post(target, card, subject);
  };

  const postApprovalCard = async (runId: string, card: Card, fallback?: string) => {
    const posted = await post(card, { kind: 'approval', runId }, fallback);
    if (posted) await postedCards.remember(runId, posted);
  };

  const updateApprovalCard = async (runId: string, card: Card, skipMessageId?: string) => {
    const posted = await postedCards.find(runId);
    if (!posted || posted.messageId === skipMessageId) return;
    await transport.update(posted, card);
  };

  return {
    postApprovalCard,
    updateApprovalCard,
    publish: async (reply, fallback, skipMessageId) => {
      if (reply.broadcast) await postApprovalCard(reply.broadcast.runId, reply.broadcast.card, fallback);
      if (reply.updatePosted)
        await updateApprovalCard(reply.updatePosted.runId, reply.updatePosted.card, skipMessageId);
    },
    notifier: {
      approvalRequested: (run) => postApprovalCard(run.runId, approvalCard(run, now())),
      runChanged: (run) => updateApprovalCard(run.runId, approvalCard(run, now())),
      runFailed: async (notice) => {
        await post(failureNotificationCard(notice), { kind: 'failure', runId: notice.runId }, undefined);
      },
      validationFinished: async (result) => {
        await post(validationCard(result), { kind: 'validation', runId: result.runId }, undefined);
      },
      reconciled: async (summary) => {
        const title = `Monthly reconciliation ${summary.month} — ${summary.scopeLabel}`;
        await post(
          reconciliationSummaryCard(summary, title),
          { kind: 'reconciliation', runId: null },
          undefined,
        );
      },
      driftFound: async (warning) => {
        await post(driftCard(warning), { kind: 'drift', runId: null }, undefined);
      },
    },
  };
}
