// Everything the bot sends to Slack on its own (not as an answer to a request): approval cards to
// the notification channel, their rewrites with chat.update, failure notifications — the card
// publisher over Slack's Web API. Used by the Slack app, and by processes that are not the Slack
// app (the CLI, jobs) so an upload requested or approved from a terminal still shows in Slack.
import { webApi } from '@slack/bolt';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/prismaClient.js';
import type { Logger } from '../../observability/logger.js';
import type { Card } from '../cardModel.js';
import type { CardPublisher } from '../cardPublisher.js';
import type { CardTransport } from '../cardTransport.js';
import { platformPublisher } from '../chatPlatform.js';
import { ActionRefStore } from './actionRefStore.js';
import { renderCardsAsBlocks, type SlackMessage } from './blockKitRenderer.js';

export const SLACK_COMMAND_PREFIX = '/autotask ';

export interface SlackPoster extends CardPublisher {
  web: InstanceType<typeof webApi.WebClient>;
  /** Block Kit for cards, long select commands stored first so their clicks resolve */
  render(cards: Card[]): Promise<Omit<SlackMessage, 'refs'>>;
  /** a Web API call that must not fail its caller: errors logged → undefined */
  send<T>(what: string, call: () => Promise<T>): Promise<T | undefined>;
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
  const web = new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 2 },
    timeout: 10_000,
  });
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

  const transport: CardTransport = {
    post: async (channel, card) => {
      const message = await render([card]);
      const posted = await send('chat.postMessage', () =>
        web.chat.postMessage({ channel, ...message } as never),
      );
      return posted?.ts ? { channel: posted.channel ?? channel, messageId: posted.ts } : undefined;
    },
    update: async (posted, card) => {
      const message = await render([card]);
      await send('chat.update', () =>
        web.chat.update({ channel: posted.channel, ts: posted.messageId, ...message } as never),
      );
    },
  };

  const publisher = platformPublisher({
    platform: 'slack',
    transport,
    prisma,
    logger: log,
    ...(options.now ? { now: options.now } : {}),
  });
  return { ...publisher, web, render, send };
}
