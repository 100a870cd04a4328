// Wires Teams into the running bot, or says why it stays off. With MICROSOFT_APP_ID every request
// must carry a valid Bot Framework token and replies go only to Microsoft's Bot Connector hosts.
// Without it the adapter would accept anyone, which is allowed only for the local demo: the
// Autotask sandbox, the embedded database, a loopback HOST — and replies to loopback only. Any
// other configuration without MICROSOFT_APP_ID keeps Teams off with a warning saying what is
// missing; the rest of the bot (Slack, CLI, ingest, playground) still starts.
import type { Express } from 'express';
import type { Config } from '../../config.js';
import { isLoopbackHostname } from '../../http/loopbackNames.js';
import { composeChatPlatform, type ChatPlatformInput } from '../chatPlatform.js';
import type { ThrottleOptions } from './conversationThrottle.js';
import { createTeamsBot, TEAMS_MESSAGES_PATH, type TeamsBot } from './teamsBot.js';
import { createTeamsPoster } from './teamsPoster.js';

export type TeamsMode = { on: true; authenticated: boolean } | { on: false; reason: string };

export interface TeamsModeOptions {
  /**
   * Code only, never from the environment: the caller vouches that DATABASE_URL is a throwaway
   * database of a demo (the test suites, which cannot use the embedded one per test file).
   */
  demoDatabase?: boolean;
}

export function teamsMode(
  config: Pick<Config, 'teams' | 'autotask' | 'databaseUrl' | 'host'>,
  options: TeamsModeOptions = {},
): TeamsMode {
  if (config.teams.appId) return { on: true, authenticated: true };
  const notDemo = [
    ...(config.autotask.mode === 'sandbox' ? [] : ['AUTOTASK_MODE is live']),
    ...(config.databaseUrl === undefined || options.demoDatabase
      ? []
      : ['DATABASE_URL names an external database']),
    ...(isLoopbackHostname(config.host) ? [] : [`HOST=${config.host} is reachable from other machines`]),
  ];
  if (notDemo.length === 0) return { on: true, authenticated: false };
  return {
    on: false,
    reason: `MICROSOFT_APP_ID is not set and this is not the local demo (${notDemo.join('; ')}). Without MICROSOFT_APP_ID anyone could post to /api/messages as anyone, so Teams runs unauthenticated only with the Autotask sandbox, the embedded database and a loopback HOST. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to turn Teams on`,
  };
}

export async function startTeamsApp(
  input: ChatPlatformInput &
    TeamsModeOptions & {
      app: Express;
      throttle?: ThrottleOptions;
      authSettings?: Record<string, string>;
      nowMs?: () => number;
    },
): Promise<TeamsBot | undefined> {
  const { config, prisma, logger } = input;
  const mode = teamsMode(config, input);
  if (!mode.on) {
    // a warning, not a refusal to start: a partner on Slack alone has nothing to set for Teams
    logger.warn(`teams is off: ${mode.reason}`);
    return undefined;
  }
  if (!mode.authenticated)
    logger.warn(
      { path: TEAMS_MESSAGES_PATH },
      '⚠️  TEAMS RUNS UNAUTHENTICATED: MICROSOFT_APP_ID is not set, so /api/messages accepts activities from anyone on this machine. Allowed only for the local demo (Autotask sandbox, embedded database, loopback HOST); replies go to loopback service URLs only. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for real use.',
    );
  const poster = createTeamsPoster({
    teams: config.teams,
    prisma,
    logger,
    ...(input.throttle ? { throttle: input.throttle } : {}),
    ...(input.authSettings ? { authSettings: input.authSettings } : {}),
    ...(input.nowMs ? { nowMs: input.nowMs } : {}),
  });
  const bot = createTeamsBot({
    ...composeChatPlatform(input),
    teams: config.teams,
    prisma,
    poster,
    logger,
    ...(input.nowMs ? { nowMs: input.nowMs } : {}),
  });
  input.app.use(bot.httpRouter);
  logger.info(
    { path: TEAMS_MESSAGES_PATH, authenticated: mode.authenticated, tenant: config.teams.tenantId ?? 'any' },
    'teams bot ready',
  );
  return bot;
}
