// Command prefixes too long for a Slack block_id, stored under a short key the block carries.
import type { PrismaClient } from '../../db/prismaClient.js';

export class ActionRefStore {
  constructor(private readonly prisma: PrismaClient) {}

  async save(refs: { key: string; command: string }[]): Promise<void> {
    if (refs.length === 0) return;
    await this.prisma.chatActionRef.createMany({ data: refs, skipDuplicates: true });
  }

  async find(key: string): Promise<string | undefined> {
    const row = await this.prisma.chatActionRef.findUnique({ where: { key } });
    return row?.command;
  }
}
