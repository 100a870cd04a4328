// Everything the bot sends to Slack on its own (not as an answer to a request): approval cards to
// the notification channel, their rewrites with chat.update, failure notifications. Used by the
// Slack app, and by processes that are not the Slack app (the CLI, jobs) so an upload requested or
// approved from a terminal still shows in Slack.
import { webApi } from '@slack/bolt';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/prismaClient.js';
import type { Logger } from '../../observability/logger.js';
import { readSetting } from '../../settings/settingsStore.js';
import { approvalCard } from '../approvalCard.js';
import type { Card, ChatReply } from '../cardModel.js';
import type { ChatNotifier } from '../chatNotifier.js';
import type { FailureNotice, RunSummary, ValidationResult } from '../chatServices.js';
import { NOTIFICATION_TARGET_SETTING, NotificationTargetSchema } from '../chatSettings.js';
import { failureNotificationCard } from '../failureNotificationCard.js';
import { PostedCardStore } from '../postedCardStore.js';
import { validationCard } from '../validationCard.js';
import { ActionRefStore } from './actionRefStore.js';
import { renderCardsAsBlocks, type SlackMessage } from './blockKitRenderer.js';

export const SLACK_COMMAND_PREFIX = '/autotask ';

export interface SlackPoster {
  web: InstanceType<typeof webApi.WebClient>;
  /** Block Kit for cards, long select commands stored first so their clicks resolve */
  render(cards: Card[]): Promise<Omit<SlackMessage, 'refs'>>;
  /** the approval card to the notification channel (or `fallbackChannel` until one is set) */
  postApprovalCard(runId: string, card: Card, fallbackChannel: string | undefined): Promise<void>;
  /** rewrites a posted approval card; nothing happens when none was posted */
  updateApprovalCard(runId: string, card: Card): Promise<void>;
  /** what a reply asks to be posted or rewritten beyond the answer itself */
  publish(reply: ChatReply, fallbackChannel: string | undefined): Promise<void>;
  notifier: ChatNotifier;
}

export function createSlackPoster(options: {
  slack: Config['slack'];
  prisma: PrismaClient;
  logger: Logger;
  now?: () => Date;
}): SlackPoster {
  const { slack, prisma } = options;
  if (!slack.botToken) throw new Error('SLACK_BOT_TOKEN is needed to post to Slack');
  const log = options.logger.child({ component: 'slack' });
  const now = options.now ?? (() => new Date());
  const web = new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 2 },
    timeout: 10_000,
  });
  const postedCards = new PostedCardStore(prisma);
  const actionRefs = new ActionRefStore(prisma);

  const render = async (cards: Card[]) => {
    const { refs, ...message } = renderCardsAsBlocks(cards, SLACK_COMMAND_PREFIX);
    await actionRefs.save(refs);
    return message;
  };
  const send = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      log.error({ err: error, what }, 'slack call failed');
      return undefined;
    }
  };
  const notificationChannel = async (fallback: string | undefined) => {
    const target = await readSetting(
      prisma,
      NOTIFICATION_TARGET_SETTING,
      NotificationTargetSchema.nullable(),
      null,
    );
    return target?.platform === 'slack' ? target.channel : fallback;
  };

  const postApprovalCard = async (runId: string, card: Card, fallbackChannel: string | undefined) => {
    const channel = await notificationChannel(fallbackChannel);
    if (!channel) {
      log.warn({ runId }, 'an approval card has nowhere to go: nobody has typed `notify here` in Slack');
      return;
    }
    const message = await render([card]);
    const posted = await send('chat.postMessage', () =>
      web.chat.postMessage({ channel, ...message } as never),
    );
    if (posted?.ts)
      await postedCards.remember({
        kind: 'approval',
        runId,
        platform: 'slack',
        channel: posted.channel ?? channel,
        messageId: posted.ts,
      });
  };

  const postToNotificationChannel = async (card: Card, runId: string | null, what: string) => {
    const channel = await notificationChannel(undefined);
    if (!channel) {
      log.warn({ runId }, `${what} but no Slack channel is set with \`notify here\``);
      return;
    }
    const message = await render([card]);
    await send('chat.postMessage', () => web.chat.postMessage({ channel, ...message } as never));
  };

  const updateApprovalCard = async (runId: string, card: Card) => {
    const posted = await postedCards.find('approval', runId, 'slack');
    if (!posted) return;
    const message = await render([card]);
    await send('chat.update', () =>
      web.chat.update({ channel: posted.channel, ts: posted.messageId, ...message } as never),
    );
  };

  return {
    web,
    render,
    postApprovalCard,
    updateApprovalCard,
    publish: async (reply, fallbackChannel) => {
      if (reply.broadcast)
        await postApprovalCard(reply.broadcast.runId, reply.broadcast.card, fallbackChannel);
      if (reply.updatePosted) await updateApprovalCard(reply.updatePosted.runId, reply.updatePosted.card);
    },
    notifier: {
      approvalRequested: (run: RunSummary) =>
        postApprovalCard(run.runId, approvalCard(run, now()), undefined),
      runChanged: (run: RunSummary) => updateApprovalCard(run.runId, approvalCard(run, now())),
      runFailed: (notice: FailureNotice) =>
        postToNotificationChannel(failureNotificationCard(notice), notice.runId, 'a run failed'),
      validationFinished: (result: ValidationResult) =>
        postToNotificationChannel(validationCard(result), result.runId, 'a scheduled validation finished'),
    },
  };
}
