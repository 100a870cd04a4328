// "Handled once" for chat: a retried delivery, a double click or a second decision on the same
// run claims a key that is already taken. The primary key makes the claim atomic across
// processes.
import type { PrismaClient } from '../db/prismaClient.js';

export class DeliveryLedger {
  constructor(private readonly prisma: PrismaClient) {}

  /** true for the first claim of a key, false for every later one */
  async claim(key: string): Promise<boolean> {
    const result = await this.prisma.chatDelivery.createMany({
      data: [{ key: key.slice(0, 500) }],
      skipDuplicates: true,
    });
    return result.count === 1;
  }

  /** gives a key back when the work it guarded did not happen (so it may be tried again) */
  async release(key: string): Promise<void> {
    await this.prisma.chatDelivery.deleteMany({ where: { key: key.slice(0, 500) } });
  }

  /** keys older than the platforms' retry windows are no longer needed */
  async forgetOlderThan(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.chatDelivery.deleteMany({
      where: { receivedAt: { lt: cutoff }, NOT: { key: { startsWith: 'decision:' } } },
    });
    return count;
  }
}
