// Cards the bot posted and keeps rewriting (an approval card: progress, then the outcome): where
// each one is, so an update after a click or hours later finds it.
import type { PrismaClient } from '../db/prismaClient.js';

export interface PostedCard {
  kind: 'approval' | 'failure';
  runId: string;
  platform: 'slack' | 'teams';
  channel: string;
  messageId: string;
}

export class PostedCardStore {
  constructor(private readonly prisma: PrismaClient) {}

  async remember(card: PostedCard): Promise<void> {
    await this.prisma.chatPostedCard.upsert({
      where: { kind_runId_platform: { kind: card.kind, runId: card.runId, platform: card.platform } },
      create: card,
      update: { channel: card.channel, messageId: card.messageId },
    });
  }

  async find(kind: PostedCard['kind'], runId: string, platform: PostedCard['platform']) {
    const row = await this.prisma.chatPostedCard.findUnique({
      where: { kind_runId_platform: { kind, runId, platform } },
    });
    return row ? ({ ...row, kind, platform } as PostedCard) : undefined;
  }
}
