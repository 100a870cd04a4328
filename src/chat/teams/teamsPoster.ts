// Writing to Teams on the bot's own initiative, with or without an incoming request: approval
// cards posted to the `notify here` conversation and rewritten as the run moves on, failure
// notifications. Used by the Teams bot, and by anything else in the process (the CLI, jobs) that
// has a chat reply or a run to show. Every send is throttled per conversation.
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
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
import { validationCard } from '../validationCard.js';
import { PostedCardStore } from '../postedCardStore.js';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  renderAdaptiveCard,
  type AdaptiveCardJson,
} from './adaptiveCardRenderer.js';
import { clip } from '../textFitting.js';
import { serviceUrlPolicyOf, serviceUrlRefusal } from './botConnectorHosts.js';
import { ConversationThrottle, type ThrottleOptions } from './conversationThrottle.js';
import { channelOf, TeamsConversationStore } from './teamsConversationStore.js';
import { processSecrets } from '../../observability/secretScrubber.js';

/** how commands are written in a channel; in a personal chat no prefix is needed */
export const TEAMS_CHANNEL_PREFIX = '@Autotask ';

/** what botbuilder's check of a request gives (its package is not a direct dependency) */
export type AuthenticateRequestResult = Exclude<Parameters<CloudAdapter['processActivityDirect']>[0], string>;

/** botbuilder's adapter with its activity pipeline reachable (the HTTP side is ours). */
export class TeamsCloudAdapter extends CloudAdapter {
  /**
   * botbuilder's own check of the Authorization header: the token's signature against the Bot
   * Framework's published keys, issuer, audience (this app) and serviceurl claim. Only the two
   * fields the check reads are taken from the body, before anything else of it is looked at.
   */
  authenticate(authHeader: string, claimed: { channelId: string; serviceUrl: string }) {
    return this.botFrameworkAuthentication.authenticateRequest(claimed as Activity, authHeader);
  }

  run(
    authenticated: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ) {
    return this.processActivity(authenticated, activity, logic);
  }
}

export function createTeamsAdapter(
  teams: Config['teams'],
  log: Logger,
  authSettings: Record<string, string> = {},
): TeamsCloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    ...(teams.appId
      ? {
          MicrosoftAppId: teams.appId,
          MicrosoftAppPassword: teams.appPassword ?? '',
          MicrosoftAppTenantId: teams.tenantId ?? '',
          MicrosoftAppType: teams.appType,
        }
      : {}),
    ...authSettings,
  });
  const adapter = new TeamsCloudAdapter(auth);
  adapter.onTurnError = async (_context, error) => {
    log.error({ err: error }, 'teams turn failed');
  };
  return adapter;
}

export const statusOfError = (error: unknown) => (error as { statusCode?: number })?.statusCode;

export function cardsMessage(cards: Card[], prefix: string): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    summary: clip(processSecrets.scrubText(cards.map((c) => c.summary).join(' ')), 200),
    attachments: cards.map((c) => ({
      contentType: ADAPTIVE_CARD_CONTENT_TYPE,
      content: renderAdaptiveCard(c, prefix),
    })),
  };
}

export function cardMessage(card: AdaptiveCardJson, summary: string, id?: string): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    ...(id ? { id } : {}),
    summary: clip(processSecrets.scrubText(summary), 200),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}

export interface TeamsPoster {
  adapter: TeamsCloudAdapter;
  throttle: ConversationThrottle;
  /** a send or update that must not fail its caller: throttled, errors logged → undefined */
  guarded<T>(what: string, conversationId: string, call: () => Promise<T>): Promise<T | undefined>;
  postApprovalCard(runId: string, card: Card, fallbackConversation: string | undefined): Promise<void>;
  /** rewrites the posted approval card (unless it is `skipMessageId`, updated by the caller) */
  updateApprovalCard(runId: string, card: Card, skipMessageId?: string): Promise<void>;
  /** what a chat reply asks for beyond the answer: an approval card posted, or one rewritten */
  publish(reply: ChatReply, fallbackConversation: string | undefined, skipMessageId?: string): Promise<void>;
  notifier: ChatNotifier;
}

export function createTeamsPoster(input: {
  teams: Config['teams'];
  prisma: PrismaClient;
  logger: Logger;
  adapter?: TeamsCloudAdapter;
  throttle?: ThrottleOptions;
  authSettings?: Record<string, string>;
  nowMs?: () => number;
}): TeamsPoster {
  const { prisma } = input;
  const log = input.logger.child({ component: 'teams' });
  const adapter = input.adapter ?? createTeamsAdapter(input.teams, log, input.authSettings);
  const appId = input.teams.appId ?? '';
  const throttle = new ConversationThrottle(input.throttle);
  const conversations = new TeamsConversationStore(prisma);
  const postedCards = new PostedCardStore(prisma);
  const now = () => new Date(input.nowMs ? input.nowMs() : Date.now());

  const guarded = async <T>(what: string, conversationId: string, call: () => Promise<T>) => {
    try {
      return await throttle.run(channelOf(conversationId), call);
    } catch (error) {
      log.error({ err: error, what, status: statusOfError(error) }, 'teams call failed');
      return undefined;
    }
  };

  /** runs `work` with a turn context in a stored conversation (proactive messages) */
  const inConversation = async (conversationId: string, work: (context: TurnContext) => Promise<void>) => {
    const reference = await conversations.find(conversationId);
    if (!reference) {
      log.warn(
        { conversationId },
        'no stored Teams conversation reference: the bot was never installed there',
      );
      return;
    }
    // a reference stored before the allowlist, or by an older version, is not trusted either
    const refusal = serviceUrlRefusal(reference.serviceUrl, serviceUrlPolicyOf(input.teams));
    if (refusal) {
      log.warn({ conversationId, refusal }, 'teams proactive message not sent: service URL refused');
      return;
    }
    try {
      await adapter.continueConversationAsync(
        appId,
        reference as unknown as Partial<ConversationReference>,
        work,
      );
    } catch (error) {
      log.error({ err: error, conversationId }, 'teams proactive message failed');
    }
  };

  const notificationConversation = async (fallback: string | undefined) => {
    const target = await readSetting(
      prisma,
      NOTIFICATION_TARGET_SETTING,
      NotificationTargetSchema.nullable(),
      null,
    );
    return target?.platform === 'teams' ? target.channel : fallback;
  };

  const postApprovalCard = async (runId: string, card: Card, fallback: string | undefined) => {
    const conversationId = await notificationConversation(fallback);
    if (!conversationId) return;
    await inConversation(conversationId, async (context) => {
      const sent = await guarded('post approval card', conversationId, () =>
        context.sendActivity(cardsMessage([card], TEAMS_CHANNEL_PREFIX)),
      );
      if (sent?.id)
        await postedCards.remember({
          kind: 'approval',
          runId,
          platform: 'teams',
          channel: channelOf(conversationId),
          messageId: sent.id,
        });
    });
  };

  const updateApprovalCard = async (runId: string, card: Card, skipMessageId?: string) => {
    const posted = await postedCards.find('approval', runId, 'teams');
    if (!posted || posted.messageId === skipMessageId) return;
    await inConversation(posted.channel, async (context) => {
      await guarded('update approval card', posted.channel, () =>
        context.updateActivity(
          cardMessage(renderAdaptiveCard(card, TEAMS_CHANNEL_PREFIX), card.summary, posted.messageId),
        ),
      );
    });
  };

  const postToNotificationConversation = async (card: Card, runId: string | null, what: string) => {
    const conversationId = await notificationConversation(undefined);
    if (!conversationId) {
      log.warn({ runId }, `a ${what} has nowhere to go: no Teams conversation is set with \`notify here\``);
      return;
    }
    await inConversation(conversationId, async (context) => {
      await guarded(what, conversationId, () =>
        context.sendActivity(cardsMessage([card], TEAMS_CHANNEL_PREFIX)),
      );
    });
  };

  const notifier: ChatNotifier = {
    // a scheduled validate-then-upload: the approval card goes to the notify-here conversation
    approvalRequested: (run: RunSummary) => postApprovalCard(run.runId, approvalCard(run, now()), undefined),
    runChanged: (run: RunSummary) => updateApprovalCard(run.runId, approvalCard(run, now())),
    runFailed: (notice: FailureNotice) =>
      postToNotificationConversation(failureNotificationCard(notice), notice.runId, 'failure notification'),
    validationFinished: (result: ValidationResult) =>
      postToNotificationConversation(validationCard(result), result.runId, 'scheduled validation'),
  };

  return {
    adapter,
    throttle,
    guarded,
    postApprovalCard,
    updateApprovalCard,
    publish: async (reply, fallback, skipMessageId) => {
      if (reply.broadcast) await postApprovalCard(reply.broadcast.runId, reply.broadcast.card, fallback);
      if (reply.updatePosted)
        await updateApprovalCard(reply.updatePosted.runId, reply.updatePosted.card, skipMessageId);
    },
    notifier,
  };
}
