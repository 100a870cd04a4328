// Wires Teams into the running bot, or says why it stays off. With MICROSOFT_APP_ID every request
// must carry a valid Bot Framework token; without it the adapter would accept anyone, which is
// allowed only against the Autotask sandbox (demo) and logged loudly.
import type { Express } from 'express';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/prismaClient.js';
import type { Logger } from '../../observability/logger.js';
import { ChatRouter } from '../chatRouter.js';
import type { WiredChatServices } from '../chatServices.js';
import { DeliveryLedger } from '../deliveryLedger.js';
import { RoleStore } from '../roleStore.js';
import { wireChatServices } from '../wiredChatServices.js';
import type { ThrottleOptions } from './conversationThrottle.js';
import { createTeamsBot, TEAMS_MESSAGES_PATH, type TeamsBot } from './teamsBot.js';

export type TeamsMode = { on: true; authenticated: boolean } | { on: false; reason: string };

export function teamsMode(config: Config): TeamsMode {
  if (config.teams.appId) return { on: true, authenticated: true };
  if (config.autotask.mode === 'sandbox') return { on: true, authenticated: false };
  return {
    on: false,
    reason:
      'MICROSOFT_APP_ID is not set and AUTOTASK_MODE is live: Teams stays off (unauthenticated Teams is for the sandbox demo only)',
  };
}

export async function startTeamsApp(input: {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  app: Express;
  services?: WiredChatServices;
  throttle?: ThrottleOptions;
  authSettings?: Record<string, string>;
  nowMs?: () => number;
}): Promise<TeamsBot | undefined> {
  const { config, prisma, logger } = input;
  const mode = teamsMode(config);
  if (!mode.on) {
    logger.info({ reason: mode.reason }, 'teams is off');
    return undefined;
  }
  if (!mode.authenticated)
    logger.warn(
      { path: TEAMS_MESSAGES_PATH },
      '⚠️  TEAMS RUNS UNAUTHENTICATED: MICROSOFT_APP_ID is not set, so /api/messages accepts activities from anyone. Allowed only because AUTOTASK_MODE=sandbox (demo). Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for real use.',
    );
  const services = input.services ?? wireChatServices({ config, prisma, logger });
  const roles = new RoleStore(prisma, config.adminUsers);
  const ledger = new DeliveryLedger(prisma);
  const bot = createTeamsBot({
    teams: config.teams,
    prisma,
    chatRouter: new ChatRouter({ prisma, services, roles, ledger, logger }),
    roles,
    ledger,
    services,
    logger,
    ...(input.throttle ? { throttle: input.throttle } : {}),
    ...(input.authSettings ? { authSettings: input.authSettings } : {}),
    ...(input.nowMs ? { nowMs: input.nowMs } : {}),
  });
  input.app.use(bot.httpRouter);
  logger.info(
    { path: TEAMS_MESSAGES_PATH, authenticated: mode.authenticated, tenant: config.teams.tenantId ?? 'any' },
    'teams bot ready',
  );
  return bot;
}
