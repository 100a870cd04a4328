// What a chat platform gives the card publisher: post a card somewhere, rewrite a card it posted.
// Each platform renders the card in its own format within its own limits; the publisher decides
// what is posted, where and when.
import type { Card } from './cardModel.js';

/** where a posted card is, to rewrite it later */
export interface PostedCardRef {
  channel: string;
  messageId: string;
}

/** what a card is about: a run's approval card is rewritten as the run moves on; notices are not */
export type CardSubject =
  | { kind: 'approval'; runId: string }
  | { kind: 'failure'; runId: string | null }
  | { kind: 'validation'; runId: string | null }
  | { kind: 'reconciliation' | 'drift'; runId: null };

export interface CardTransport {
  /** the posted message, or undefined when it was not posted (the transport logs why) */
  post(target: string, card: Card, subject: CardSubject): Promise<PostedCardRef | undefined>;
  /** rewrites a posted message; a failure is logged, never thrown */
  update(ref: PostedCardRef, card: Card): Promise<void>;
}
