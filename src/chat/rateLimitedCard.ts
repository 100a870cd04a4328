// The answer to an expensive command over a person's per-minute budget (commandRateLimiter.ts):
// a coded refusal saying when to try again, never silence.
import { card, type Card } from './cardModel.js';

export function rateLimitedCard(
  verb: string,
  refusal: { retryAfterSeconds: number; limit: number },
  prefix: string,
): Card {
  const text = `⏳ RATE_LIMITED: \`${verb}\` reads Autotask, and you have run ${refusal.limit} such commands in the last minute — try again in ${refusal.retryAfterSeconds} s.`;
  return card('rate-limited', `RATE_LIMITED: try again in ${refusal.retryAfterSeconds} s.`, [
    { type: 'text', text },
    {
      type: 'context',
      items: [
        `The limit keeps the Autotask API budget for uploads. Nothing was done; \`${prefix}runs\` and \`${prefix}audit\` work meanwhile.`,
      ],
    },
  ]);
}
