// The one place where the use cases built in other folders are plugged into chat. Each method of
// ChatServices left out here answers "… is not available yet in this build". The lead fills this
// in as the mapping, sync and Autotask parts land (the Slack adapter and the CLI both use it).
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';
import type { WiredChatServices } from './chatServices.js';

export interface ChatServicesDependencies {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
}

export function wireChatServices(_deps: ChatServicesDependencies): WiredChatServices {
  return {};
}
