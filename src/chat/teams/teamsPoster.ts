// Writing to Teams on the bot's own initiative, with or without an incoming request: the card
// publisher over botbuilder's proactive messages (approval cards posted to the `notify here`
// conversation and rewritten as the run moves on, failure notifications). Used by the Teams bot, and by anything else in the process (the CLI, jobs) that
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
import type { Card } from '../cardModel.js';
import type { CardPublisher } from '../cardPublisher.js';
import type { CardTransport } from '../cardTransport.js';
import { platformPublisher } from '../chatPlatform.js';
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

export interface TeamsPoster extends CardPublisher {
  adapter: TeamsCloudAdapter;
  throttle: ConversationThrottle;
  /** a send or update that must not fail its caller: throttled, errors logged → undefined */
  guarded<T>(what: string, conversationId: string, call: () => Promise<T>): Promise<T | undefined>;
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
  const nowMs = input.nowMs;

  const guarded = async <T>(what: string, conversationId: string, call: () => Promise<T>) => {
    try {
      return await throttle.run(channelOf(conversationId), call);
    } catch (error) {
      log.error({ err: error, what, status: statusOfError(error) }, 'teams call failed');
      return undefined;
    }
  };

  /** runs `work` with a turn context in a stored conversation (proactive messages) */
  const inConversation = async <T>(
    conversationId: string,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T | undefined> => {
    const reference = await conversations.find(conversationId);
    if (!reference) {
      log.warn(
        { conversationId },
        'no stored Teams conversation reference: the bot was never installed there',
      );
      return undefined;
    }
    // a reference stored before the allowlist, or by an older version, is not trusted either
    const refusal = serviceUrlRefusal(reference.serviceUrl, serviceUrlPolicyOf(input.teams));
    if (refusal) {
      log.warn({ conversationId, refusal }, 'teams proactive message not sent: service URL refused');
      return undefined;
    }
    let result: T | undefined;
    try {
      await adapter.continueConversationAsync(
        appId,
        reference as unknown as Partial<ConversationReference>,
        async (context) => {
          result = await work(context);
        },
      );
    } catch (error) {
      log.error({ err: error, conversationId }, 'teams proactive message failed');
    }
    return result;
  };

  const transport: CardTransport = {
    post: async (conversationId, card, subject) => {
      const sent = await inConversation(conversationId, (context) =>
        guarded(`post ${subject.kind} card`, conversationId, () =>
          context.sendActivity(cardsMessage([card], TEAMS_CHANNEL_PREFIX)),
        ),
      );
      return sent?.id ? { channel: channelOf(conversationId), messageId: sent.id } : undefined;
    },
    update: async (posted, card) => {
      await inConversation(posted.channel, (context) =>
        guarded('update approval card', posted.channel, () =>
          context.updateActivity(
            cardMessage(renderAdaptiveCard(card, TEAMS_CHANNEL_PREFIX), card.summary, posted.messageId),
          ),
        ),
      );
    },
  };

  const publisher = platformPublisher({
    platform: 'teams',
    transport,
    prisma,
    logger: log,
    now: () => new Date(nowMs ? nowMs() : Date.now()),
  });
  return { ...publisher, adapter, throttle, guarded };
}
