// Wires the playground into the running bot, or says why it stays off (playgroundAccess.ts).
import type { Express } from 'express';
import { runSummary } from '../app/runViews.js';
import type { AppServices } from '../app/appServices.js';
import { combineNotifiers } from '../chat/chatNotifier.js';
import { composeChatPlatform } from '../chat/chatPlatform.js';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';
import { playgroundAccess, type PlaygroundAccess } from './playgroundAccess.js';
import { PlaygroundFeed } from './playgroundFeed.js';
import { mountPlayground, PLAYGROUND_PATH, type PlaygroundSandbox } from './playgroundRoutes.js';

export interface StartedPlayground {
  access: PlaygroundAccess;
  /** the path the page is served at, when on */
  path: string | undefined;
}

export function startPlayground(input: {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  app: Express;
  services: AppServices;
  sandbox: PlaygroundSandbox | undefined;
}): StartedPlayground {
  const { config, prisma, logger } = input;
  const access = playgroundAccess(config);
  if (!access.on) {
    logger.info({ reason: access.reason }, 'playground is off');
    return { access, path: undefined };
  }
  const { router, roles, services } = composeChatPlatform({
    config,
    prisma,
    logger,
    services: input.services.chat,
    commandLimiter: input.services.commandLimiter,
  });
  const summaryOf = (runId: string) => runSummary(prisma, runId);
  const feed = new PlaygroundFeed(summaryOf, logger.child({ component: 'playground' }));
  // the adapters started before the playground (Slack, Teams): the feed is not among them
  const otherChats = combineNotifiers([...input.services.notifiers]);
  input.services.notifiers.push(feed.notifier);
  mountPlayground(input.app, {
    access,
    publicUrl: config.publicUrl,
    prisma,
    router,
    roles,
    services,
    feed,
    logger,
    ...(input.sandbox ? { sandbox: input.sandbox } : {}),
    otherChats,
    runSummary: summaryOf,
  });
  logger.info({ path: PLAYGROUND_PATH, authenticated: access.authenticated }, 'playground ready');
  return { access, path: PLAYGROUND_PATH };
}
