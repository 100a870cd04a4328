// "Handled once, never lost" for Slack deliveries, as a Bolt global middleware: it runs after
// Bolt's `authorize` (an unauthorised request never claims anything) and around the listeners.
// The delivery is claimed before the work and marked handled once the work is done or has
// answered the user. When the work fails the user is told to try again and the claim is given
// back, so Slack's redelivery of the same body is processed. When the claim itself cannot be
// made (the database is down), nothing is done and the user is told so: fail closed.
import { createHash } from 'node:crypto';
import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import type { Logger } from '../../observability/logger.js';
import type { DeliveryLedger } from '../deliveryLedger.js';
import { slackTypedMessage } from './slackTypedMessage.js';

export const TRY_AGAIN_TEXT = '❌ Something went wrong while handling this — try again.';
export const NOT_CHECKED_TEXT =
  '❌ I could not check whether this request was already handled, so I did not act on it — try again in a moment.';

/** listeners set this on Bolt's context when their work failed but they have answered the user */
export const WORK_FAILED = 'autotaskWorkFailed';

/**
 * On Bolt's context: a listener whose work failed calls it before it answers the user, so a retry
 * the user sends at once is not taken for a delivery still being handled.
 */
export const RELEASE_DELIVERY = 'autotaskReleaseDelivery';

/** Releases the delivery now (see RELEASE_DELIVERY); a no-op outside the guard. */
export async function releaseDeliveryEarly(context: Record<string, unknown>): Promise<void> {
  const release = context[RELEASE_DELIVERY];
  if (typeof release === 'function') await (release as () => Promise<void>)();
}

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/** Slack sends a redelivery with the same body (and, for events, the same event_id). */
export function slackDeliveryKey(body: Record<string, unknown>): string {
  if (typeof body.event_id === 'string' && body.event_id) return `slack-event:${body.event_id}`;
  return `slack:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

export function slackDeliveryGuard(ledger: DeliveryLedger, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    // options lookups are reads, answered with their options, and may repeat
    if (body.type === 'block_suggestion') return args.next();
    const { respond, say, ack } = args as unknown as {
      respond?: Respond;
      say?: Respond;
      ack?: () => Promise<void>;
    };
    const context = args.context as Record<string, unknown>;
    const retryNum = context.retryNum;
    // an event has no response_url: a typed command (mention, direct message) is told where it was asked
    const typed = body.event
      ? slackTypedMessage(body.event, context.botUserId as string | undefined)
      : undefined;
    const tell = async (text: string) => {
      const answer = respond
        ? () => respond({ response_type: 'ephemeral', replace_original: false, text })
        : say && typed
          ? () => say({ text, ...(typed.threadTs ? { thread_ts: typed.threadTs } : {}) })
          : undefined;
      if (!answer) return;
      await answer().catch((error: unknown) => log.error({ err: error }, 'could not answer the user'));
    };
    const key = slackDeliveryKey(body);

    let claimed: boolean;
    try {
      claimed = await ledger.begin(key);
    } catch (error) {
      log.error({ err: error, retryNum }, 'slack delivery could not be claimed; not processed');
      if (ack) await ack();
      await tell(NOT_CHECKED_TEXT);
      return;
    }
    if (!claimed) {
      log.info({ retryNum }, 'slack delivery already handled; acknowledged again, not processed');
      if (ack) await ack();
      return;
    }

    // a claim left unsettled is taken over once stale, so a failed settle only delays a redelivery
    const settle = (failed: boolean) =>
      (failed ? ledger.release(key) : ledger.finish(key)).catch((error: unknown) =>
        log.error({ err: error }, `slack delivery could not be ${failed ? 'released' : 'marked handled'}`),
      );
    let settled = false;
    const settleOnce = async (failed: boolean) => {
      if (settled) return;
      settled = true;
      await settle(failed);
    };
    context[RELEASE_DELIVERY] = () => settleOnce(true);
    try {
      await args.next();
    } catch (error) {
      log.error({ err: error, retryNum }, 'slack listener failed');
      if (ack) await ack().catch(() => undefined);
      // released before the user hears "try again", so a retry that follows at once goes through
      await settleOnce(true);
      await tell(TRY_AGAIN_TEXT);
      return;
    }
    await settleOnce(context[WORK_FAILED] === true);
  };
}
