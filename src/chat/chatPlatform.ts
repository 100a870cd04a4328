// What every chat platform shares, composed once: the chat router over the services, the role
// store, the delivery ledger, and the card publisher with its posted-card store and notification
// target. A platform adds only its receiver and its transport.
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';
import { readSetting } from '../settings/settingsStore.js';
import { createCardPublisher, type CardPublisher } from './cardPublisher.js';
import type { CardTransport } from './cardTransport.js';
import { ChatRouter } from './chatRouter.js';
import type { ChatServices } from './chatServices.js';
import type { CommandRateLimiter } from './commandRateLimiter.js';
import {
  NOTIFICATION_TARGET_SETTING,
  NotificationTargetSchema,
} from '../settings/notificationTargetSetting.js';
import { DeliveryLedger } from './deliveryLedger.js';
import { PostedCardStore, type PostedCard } from './postedCardStore.js';
import { RoleStore } from './roleStore.js';

export interface ChatPlatform {
  services: ChatServices;
  roles: RoleStore;
  ledger: DeliveryLedger;
  router: ChatRouter;
}

/** What a platform is started over: the bot's configuration, database, log and chat services. */
export interface ChatPlatformInput {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  services: ChatServices;
  /** the bot's budget of expensive commands per person; none: unlimited (the CLI) */
  commandLimiter?: CommandRateLimiter | undefined;
}

export function composeChatPlatform(input: ChatPlatformInput): ChatPlatform {
  const { config, prisma, logger } = input;
  const { services, commandLimiter } = input;
  const roles = new RoleStore(prisma, config.adminUsers);
  const ledger = new DeliveryLedger(prisma);
  const router = new ChatRouter({ services, commandLimiter, roles, ledger, logger });
  return { services, roles, ledger, router };
}

/**
 * The publisher of a platform that posts for real: approval cards remembered in the database,
 * notices to the conversation someone chose with `notify here` on this platform.
 */
export function platformPublisher(input: {
  platform: PostedCard['platform'];
  transport: CardTransport;
  prisma: PrismaClient;
  logger: Logger;
  now?: () => Date;
}): CardPublisher {
  const { platform, prisma } = input;
  const store = new PostedCardStore(prisma);
  return createCardPublisher({
    transport: input.transport,
    postedCards: {
      remember: (runId, ref) => store.remember({ kind: 'approval', runId, platform, ...ref }),
      find: (runId) => store.find('approval', runId, platform),
    },
    targetOf: async (fallback) => {
      const target = await readSetting(
        prisma,
        NOTIFICATION_TARGET_SETTING,
        NotificationTargetSchema.nullable(),
        null,
      );
      return target?.platform === platform ? target.channel : fallback;
    },
    logger: input.logger,
    ...(input.now ? { now: input.now } : {}),
  });
}
