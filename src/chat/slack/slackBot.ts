// The Slack app: Bolt 5 with our receiver on the shared express server (or Socket Mode when an
// app token is given). Listeners stay small: ack, turn the request into a command, let the chat
// router decide, then deliver the reply (response_url for the asker, chat.postMessage /
// chat.update for approval cards in the notification channel).
import { App, webApi, type Authorize } from '@slack/bolt';
import type { Router } from 'express';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/prismaClient.js';
import type { Logger } from '../../observability/logger.js';
import { readSetting } from '../../settings/settingsStore.js';
import { approvalCard } from '../approvalCard.js';
import type { Card, ChatReply } from '../cardModel.js';
import type { ChatNotifier } from '../chatNotifier.js';
import type { ChatRouter } from '../chatRouter.js';
import type { FailureNotice, RunSummary, WiredChatServices } from '../chatServices.js';
import { NOTIFICATION_TARGET_SETTING, NotificationTargetSchema } from '../chatSettings.js';
import { tokenizeCommand } from '../commandTokenizer.js';
import type { DeliveryLedger } from '../deliveryLedger.js';
import { failureNotificationCard } from '../failureNotificationCard.js';
import { slackIdentity } from '../identity.js';
import { PostedCardStore } from '../postedCardStore.js';
import { roleCovers } from '../roles.js';
import type { RoleStore } from '../roleStore.js';
import {
  clip,
  commandOfAction,
  renderCardsAsBlocks,
  SELECT_ACTION_ID,
  selectCommandPrefix,
} from './blockKitRenderer.js';
import { ActionRefStore } from './actionRefStore.js';
import { SLACK_LIMITS } from './blockKitLimits.js';
import { boltLogger } from './boltLogger.js';
import { SlackHttpReceiver } from './slackHttpReceiver.js';

export const SLACK_COMMAND_PREFIX = '/autotask ';
/** a double click lands within this window; the same click later is a new request */
const CLICK_WINDOW_SECONDS = 30;

export interface SlackBotOptions {
  slack: Config['slack'];
  prisma: PrismaClient;
  chatRouter: ChatRouter;
  roles: RoleStore;
  ledger: DeliveryLedger;
  services: WiredChatServices;
  logger: Logger;
  /** for tests that pin the clock (signature age) */
  nowMs?: () => number;
}

export interface SlackBot {
  /** mount on the shared express app (undefined in Socket Mode) */
  httpRouter: Router | undefined;
  notifier: ChatNotifier;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface BotIdentity {
  teamId: string;
  botUserId: string | undefined;
  botId: string | undefined;
}

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { slack, prisma, chatRouter, logger } = options;
  const botToken = slack.botToken;
  if (!botToken) throw new Error('SLACK_BOT_TOKEN is needed to start the Slack app');
  const log = logger.child({ component: 'slack' });
  const clientOptions = { slackApiUrl: slack.apiUrl, retryConfig: { retries: 2 }, timeout: 10_000 };
  const web = new webApi.WebClient(botToken, clientOptions);
  const postedCards = new PostedCardStore(prisma);
  const actionRefs = new ActionRefStore(prisma);
  const lookupRef = (key: string) => actionRefs.find(key);
  /** Block Kit for cards, with any long select commands stored first so their clicks resolve */
  const render = async (cards: Card[]) => {
    const { refs, ...message } = renderCardsAsBlocks(cards, SLACK_COMMAND_PREFIX);
    await actionRefs.save(refs);
    return message;
  };
  const now = () => new Date(options.nowMs ? options.nowMs() : Date.now());

  // Bolt would call auth.test on every request; the bot's identity is looked up once and kept
  let identity: Promise<BotIdentity> | undefined;
  const botIdentity = () =>
    (identity ??= web.auth
      .test()
      .then((r) => ({ teamId: String(r.team_id ?? ''), botUserId: r.user_id, botId: r.bot_id }))
      .catch((error: unknown) => {
        identity = undefined;
        throw error;
      }));
  const authorize: Authorize<boolean> = async (source) => {
    const me = await botIdentity();
    if (source.teamId && me.teamId && source.teamId !== me.teamId)
      throw new Error(`SLACK_TEAM_REFUSED: team ${source.teamId} is not the workspace this bot belongs to`);
    return { botToken, botUserId: me.botUserId, botId: me.botId, teamId: me.teamId };
  };

  const receiver = slack.appToken
    ? undefined
    : new SlackHttpReceiver({
        signingSecret: slack.signingSecret ?? '',
        ledger: options.ledger,
        logger: log,
        ...(options.nowMs ? { nowMs: options.nowMs } : {}),
      });
  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: slack.appToken }),
    authorize,
    logger: boltLogger(log),
    clientOptions,
  });
  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed');
  });

  const send = async (what: string, call: () => Promise<unknown>) => {
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
    if (!channel) return;
    const message = await render([card]);
    const posted = (await send('chat.postMessage', () =>
      web.chat.postMessage({ channel, ...message } as never),
    )) as { ok?: boolean; channel?: string; ts?: string } | undefined;
    if (posted?.ts)
      await postedCards.remember({
        kind: 'approval',
        runId,
        platform: 'slack',
        channel: posted.channel ?? channel,
        messageId: posted.ts,
      });
  };

  const updateApprovalCard = async (runId: string, card: Card) => {
    const posted = await postedCards.find('approval', runId, 'slack');
    if (!posted) return;
    const message = await render([card]);
    await send('chat.update', () =>
      web.chat.update({ channel: posted.channel, ts: posted.messageId, ...message } as never),
    );
  };

  const deliver = async (reply: ChatReply, respond: Respond | undefined, channelId: string | undefined) => {
    if (respond) {
      const message = await render(reply.cards);
      await send('response_url', () =>
        respond({
          response_type: reply.private ? 'ephemeral' : 'in_channel',
          replace_original: false,
          ...message,
        }),
      );
    }
    if (reply.broadcast) await postApprovalCard(reply.broadcast.runId, reply.broadcast.card, channelId);
    if (reply.updatePosted) await updateApprovalCard(reply.updatePosted.runId, reply.updatePosted.card);
  };

  app.command(/^\/autotask/, async ({ command, ack, respond }) => {
    await ack();
    const reply = await chatRouter.handle({
      actor: { id: slackIdentity(command.team_id, command.user_id), name: command.user_name },
      text: command.text ?? '',
      via: 'typed',
      channel: {
        platform: 'slack',
        id: command.channel_id,
        workspace: command.team_id,
        label: command.channel_name ? `#${command.channel_name}` : command.channel_id,
      },
      prefix: SLACK_COMMAND_PREFIX,
    });
    await deliver(reply, respond as Respond, command.channel_id);
  });

  app.action(/.*/, async ({ action, body, ack, respond }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const command = await commandOfAction(action as never, lookupRef);
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    if (!command) {
      await send('response_url', () =>
        (respond as Respond)({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'That button is not one of mine.',
        }),
      );
      return;
    }
    const actionTs = Number((action as { action_ts?: string }).action_ts ?? 0);
    const container = body.container as { message_ts?: string; view_id?: string } | undefined;
    const clickKey = `slack-click:${teamId}:${body.user.id}:${container?.message_ts ?? container?.view_id ?? ''}:${Math.floor(actionTs / CLICK_WINDOW_SECONDS)}:${command}`;
    if (!(await options.ledger.claim(clickKey))) {
      log.info({ command: command.split(' ')[0] }, 'double click ignored');
      return;
    }
    const reply = await chatRouter.handle({
      actor: { id: slackIdentity(teamId, body.user.id), name: body.user.name },
      text: command,
      via: 'click',
      channel: body.channel ? { platform: 'slack', id: body.channel.id, workspace: teamId } : null,
      prefix: SLACK_COMMAND_PREFIX,
    });
    await deliver(reply, respond as Respond, body.channel?.id);
  });

  app.options(SELECT_ACTION_ID, async ({ body, ack }) => {
    const suggestion = body as unknown as {
      block_id?: string;
      value?: string;
      user: { id: string };
      team?: { id: string } | null;
    };
    const teamId = suggestion.team?.id ?? '';
    const role = await options.roles.roleOf(slackIdentity(teamId, suggestion.user.id));
    const prefix = await selectCommandPrefix(suggestion.block_id, lookupRef);
    const tokens = tokenizeCommand(prefix ?? '');
    const customerId = tokens.ok && tokens.tokens[0] === 'map' ? tokens.tokens[1] : undefined;
    if (!roleCovers(role, 'operator') || !customerId) {
      await ack({ options: [] });
      return;
    }
    const query = (suggestion.value ?? '').trim().toLowerCase();
    const limit = SLACK_LIMITS.staticSelectOptions;
    let choices: { serviceId: number; name: string }[] = [];
    try {
      if (options.services.searchServices)
        choices = await options.services.searchServices({ customerId, query, limit });
      else if (options.services.mappingOf)
        choices = (await options.services.mappingOf({ customerId })).services.filter((s) =>
          s.name.toLowerCase().includes(query),
        );
    } catch (error) {
      log.error({ err: error }, 'service search failed');
    }
    await ack({
      options: choices.slice(0, limit).map((s) => ({
        text: { type: 'plain_text', text: clip(s.name, SLACK_LIMITS.optionText) },
        value: String(s.serviceId),
      })),
    });
  });

  const notifier: ChatNotifier = {
    runChanged: async (run: RunSummary) => {
      await updateApprovalCard(run.runId, approvalCard(run, now()));
    },
    runFailed: async (notice: FailureNotice) => {
      const channel = await notificationChannel(undefined);
      if (!channel) {
        log.warn({ runId: notice.runId }, 'a run failed but no Slack channel is set with `notify here`');
        return;
      }
      const message = await render([failureNotificationCard(notice)]);
      await send('chat.postMessage', () => web.chat.postMessage({ channel, ...message } as never));
    },
  };

  return {
    httpRouter: receiver?.router,
    notifier,
    start: async () => {
      if (!receiver) await app.start();
    },
    stop: async () => {
      if (!receiver) await app.stop();
    },
  };
}
