// The fallback when an adapter is started without services: nothing wired, so every command that
// needs a use case answers "… is not available yet in this build". The real implementation is
// composed in src/app (composeAppServices): main.ts passes it to the Slack app, and the CLI bridge
// composes its own; a new adapter (Teams) should take `services` the same way.
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
