// For a process that is not the Teams bot (the CLI): an approval card requested or decided there
// is posted to, or rewritten in, Teams as well — when Teams is on for this configuration.
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/prismaClient.js';
import type { Logger } from '../../observability/logger.js';
import type { ChatReply } from '../cardModel.js';
import { teamsMode, type TeamsModeOptions } from './startTeamsApp.js';
import { createTeamsPoster } from './teamsPoster.js';

export async function publishToTeams(
  reply: ChatReply,
  input: { config: Config; prisma: PrismaClient; logger: Logger } & TeamsModeOptions,
): Promise<void> {
  if (!teamsMode(input.config, input).on) return;
  await createTeamsPoster({ teams: input.config.teams, prisma: input.prisma, logger: input.logger }).publish(
    reply,
    undefined,
  );
}
