// The Slack app: Bolt 5 with our receiver on the shared express server (or Socket Mode when an
// app token is given). Listeners stay small: ack, turn the request into a command, let the chat
// router decide, then deliver the reply (response_url for the asker, chat.postMessage /
// chat.update for approval cards in the notification channel). Mentions and direct messages are
// commands too, answered with chat.postMessage in the thread or DM.
import { App, SocketModeReceiver, type Authorize } from '@slack/bolt';
import type { Router } from 'express';
import { z } from 'zod';
import { InFlightWork } from '../../concurrency/inFlightWork.js';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/prismaClient.js';
import type { Logger } from '../../observability/logger.js';
import type { ChatReply } from '../cardModel.js';
import type { ChatNotifier } from '../chatNotifier.js';
import type { ChatPlatform } from '../chatPlatform.js';
import type { ServiceChoice } from '../chatServices.js';
import { serviceChoiceLabel } from '../serviceChoiceLabel.js';
import { tokenizeCommand } from '../commandTokenizer.js';
import { IdentitySchema, slackIdentity } from '../identity.js';
import { roleCovers } from '../roles.js';
import { ActionRefStore } from './actionRefStore.js';
import { commandOfAction, SELECT_ACTION_ID, selectCommandPrefix } from './blockKitRenderer.js';
import { SLACK_LIMITS } from './blockKitLimits.js';
import { boltLogger } from './boltLogger.js';
import { releaseDeliveryEarly, slackDeliveryGuard, WORK_FAILED } from './slackDeliveryGuard.js';
import { SlackHttpReceiver } from './slackHttpReceiver.js';
import { SLACK_COMMAND_PREFIX, type SlackPoster } from './slackPoster.js';
import { slackTypedMessage } from './slackTypedMessage.js';

/** a double click lands within this window; the same click later is a new request */
const CLICK_WINDOW_SECONDS = 30;

export interface SlackBotOptions extends ChatPlatform {
  slack: Config['slack'];
  prisma: PrismaClient;
  /** the card publisher over Slack's Web API, with its client */
  poster: SlackPoster;
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
  /** resolves once every request that has arrived is handled (its answer sent or dropped) */
  idle(): Promise<void>;
}

interface BotIdentity {
  teamId: string;
  botUserId: string | undefined;
  botId: string | undefined;
}

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/** the workspace an Events API delivery comes from (authorize has checked it is the bot's) */
const EventEnvelopeSchema = z.object({ team_id: z.string().min(1) });

export function createSlackBot(options: SlackBotOptions): SlackBot {
  const { slack, prisma, router: chatRouter, poster, logger } = options;
  const botToken = slack.botToken;
  if (!botToken) throw new Error('SLACK_BOT_TOKEN is needed to start the Slack app');
  const log = logger.child({ component: 'slack' });
  const clientOptions = { slackApiUrl: slack.apiUrl, retryConfig: { retries: 2 }, timeout: 10_000 };
  const { web, render, send } = poster;
  const actionRefs = new ActionRefStore(prisma);
  const lookupRef = (key: string) => actionRefs.find(key);

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

  const inFlight = new InFlightWork();
  const receiver = slack.appToken
    ? undefined
    : new SlackHttpReceiver({
        signingSecret: slack.signingSecret ?? '',
        logger: log,
        inFlight,
        ...(options.nowMs ? { nowMs: options.nowMs } : {}),
      });
  // Socket Mode: Bolt's own receiver, with its Web API calls (apps.connections.open) sent to
  // SLACK_API_URL like every other call
  const socketReceiver = slack.appToken
    ? new SocketModeReceiver({
        appToken: slack.appToken,
        installerOptions: { clientOptions },
        logger: boltLogger(log),
      })
    : undefined;
  const app = new TrackedApp(inFlight, {
    receiver: receiver ?? socketReceiver!,
    authorize,
    logger: boltLogger(log),
    clientOptions,
  });
  // claimed after authorize, marked handled after the work (or given back when it failed)
  app.use(slackDeliveryGuard(options.ledger, log));
  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed');
  });

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
    await poster.publish(reply, channelId);
  };

  app.command(/^\/autotask/, async ({ command, ack, respond, context }) => {
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
    if (reply.failed) {
      context[WORK_FAILED] = true;
      await releaseDeliveryEarly(context);
    }
    await deliver(reply, respond as Respond, command.channel_id);
  });

  // a mention or a direct message: the slash command's router and roles, answered in the
  // conversation (a mention in its thread) — docs/chat-ux.md "Mentions and direct messages"
  const onTyped = async (args: { event: unknown; body: unknown; context: Record<string, unknown> }) => {
    const { context } = args;
    const typed = slackTypedMessage(args.event, context.botUserId as string | undefined);
    const envelope = EventEnvelopeSchema.safeParse(args.body);
    if (!typed || !envelope.success) return;
    const teamId = envelope.data.team_id;
    const actor = IdentitySchema.safeParse(slackIdentity(teamId, typed.user));
    if (!actor.success) return;
    const reply = await chatRouter.handle({
      actor: { id: actor.data },
      text: typed.text,
      via: 'typed',
      channel: {
        platform: 'slack',
        id: typed.channel,
        workspace: teamId,
        ...(typed.kind === 'direct' ? { label: 'direct message' } : {}),
      },
      prefix: SLACK_COMMAND_PREFIX,
    });
    if (reply.failed) {
      context[WORK_FAILED] = true;
      await releaseDeliveryEarly(context);
    }
    const message = await render(reply.cards);
    const thread = typed.threadTs ? { thread_ts: typed.threadTs } : {};
    await send('chat.postMessage', () =>
      web.chat.postMessage({ channel: typed.channel, ...thread, ...message } as never),
    );
    await poster.publish(reply, typed.channel);
  };
  app.event('app_mention', onTyped);
  app.message(onTyped);

  app.action(/.*/, async ({ action, body, ack, respond, context }) => {
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
    // Two clicks less than half a window apart always share a bucket in one of two grids offset
    // by half a window, so a double click is caught even across a bucket boundary.
    const clickPrefix = `slack-click:${teamId}:${body.user.id}:${container?.message_ts ?? container?.view_id ?? ''}:${command}`;
    const half = CLICK_WINDOW_SECONDS / 2;
    const clickKeys = [
      `${clickPrefix}:a${Math.floor(actionTs / CLICK_WINDOW_SECONDS)}`,
      `${clickPrefix}:b${Math.floor((actionTs + half) / CLICK_WINDOW_SECONDS)}`,
    ];
    // one after the other, stopping at the first refusal: whoever loses a shared bucket stops there
    const fresh = (await options.ledger.claim(clickKeys[0]!)) && (await options.ledger.claim(clickKeys[1]!));
    if (!fresh) {
      log.info({ command: command.split(' ')[0] }, 'double click ignored');
      return;
    }
    // a click whose work failed is no double click: its redelivery (or the next click) may run
    const releaseClick = () =>
      Promise.all(clickKeys.map((k) => options.ledger.release(k))).catch((error: unknown) =>
        log.error({ err: error }, 'could not release a click'),
      );
    try {
      const reply = await chatRouter.handle({
        actor: { id: slackIdentity(teamId, body.user.id), name: body.user.name },
        text: command,
        via: 'click',
        channel: body.channel ? { platform: 'slack', id: body.channel.id, workspace: teamId } : null,
        prefix: SLACK_COMMAND_PREFIX,
      });
      if (reply.failed) {
        context[WORK_FAILED] = true;
        await releaseDeliveryEarly(context);
        await releaseClick();
      }
      await deliver(reply, respond as Respond, body.channel?.id);
    } catch (error) {
      await releaseClick();
      throw error;
    }
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
    let choices: ServiceChoice[] = [];
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
        text: { type: 'plain_text', text: serviceChoiceLabel(s, SLACK_LIMITS.optionText) },
        value: String(s.serviceId),
      })),
    });
  });

  return {
    httpRouter: receiver?.router,
    notifier: poster.notifier,
    start: async () => {
      if (socketReceiver) await app.start();
    },
    stop: async () => {
      if (socketReceiver) await app.stop();
    },
    idle: () => inFlight.idle(),
  };
}

/** Bolt's App with each event counted while it is processed (both receivers hand events here) */
class TrackedApp extends App {
  constructor(
    private readonly inFlight: InFlightWork,
    options: ConstructorParameters<typeof App>[0],
  ) {
    super(options);
  }

  override processEvent(event: Parameters<App['processEvent']>[0]): Promise<void> {
    return this.inFlight.track(() => super.processEvent(event));
  }
}
