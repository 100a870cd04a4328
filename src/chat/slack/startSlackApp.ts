// Wires the Slack app into the running bot: what every platform shares (composeChatPlatform), the
// card publisher over Slack's Web API, /slack/events mounted on the shared express app (or Socket Mode), and a stop() for shutdown.
import type { Express } from 'express';
import { composeChatPlatform, type ChatPlatformInput } from '../chatPlatform.js';
import { createSlackBot, type SlackBot } from './slackBot.js';
import { createSlackPoster } from './slackPoster.js';

const LEDGER_KEEP_MS = 24 * 3600_000;
const LEDGER_PRUNE_EVERY_MS = 3600_000;

export async function startSlackApp(
  input: ChatPlatformInput & { app: Express; nowMs?: () => number },
): Promise<SlackBot> {
  const { config, prisma, logger } = input;
  const platform = composeChatPlatform(input);
  const { ledger } = platform;
  const nowMs = input.nowMs;
  const poster = createSlackPoster({
    slack: config.slack,
    prisma,
    logger,
    now: () => new Date(nowMs ? nowMs() : Date.now()),
  });
  const bot = createSlackBot({
    ...platform,
    slack: config.slack,
    prisma,
    poster,
    logger,
    ...(nowMs ? { nowMs } : {}),
  });
  if (bot.httpRouter) input.app.use(bot.httpRouter);
  await bot.start();
  // delivery keys only matter within Slack's retry window; decisions are kept for good
  const forget = setInterval(() => {
    ledger.forgetOlderThan(new Date(Date.now() - LEDGER_KEEP_MS)).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not prune chat deliveries');
    });
  }, LEDGER_PRUNE_EVERY_MS);
  forget.unref();
  logger.info(
    { mode: config.slack.appToken ? 'socket' : 'http', apiUrl: config.slack.apiUrl },
    'slack app ready',
  );
  return {
    ...bot,
    stop: async () => {
      clearInterval(forget);
      await bot.stop();
    },
  };
}
