// "Handled once" for chat: a retried delivery, a double click or a second decision on the same
// run claims a key that is already taken. The primary key makes the claim atomic across
// processes.
//
// Slack deliveries take two steps: `begin` claims the key (handled_at null) before the work,
// `finish` marks it handled once the work is done or has answered the user, and `release` gives
// it back when the work failed, so Slack's redelivery of the same body is processed. A claim
// whose process died mid-work (never finished, never released) may be taken over once it is
// older than CLAIM_STALE_MS.
import type { PrismaClient } from '../db/prismaClient.js';

/** longer than any command's work; after it an unfinished claim is taken to be abandoned */
export const CLAIM_STALE_MS = 5 * 60_000;

const MAX_KEY = 500;

export class DeliveryLedger {
  constructor(private readonly prisma: PrismaClient) {}

  /** true for the first claim of a key, false for every later one (claimed and handled at once) */
  async claim(key: string): Promise<boolean> {
    const now = new Date();
    const result = await this.prisma.chatDelivery.createMany({
      data: [{ key: key.slice(0, MAX_KEY), receivedAt: now, handledAt: now }],
      skipDuplicates: true,
    });
    return result.count === 1;
  }

  /**
   * Claims a delivery before its work: true when this caller may do the work (first claim, or
   * an abandoned one taken over), false when it is handled or being worked on. Throws when the
   * database cannot answer — the caller must then not do the work (fail closed).
   */
  async begin(key: string): Promise<boolean> {
    // UTC wall-clock time, as Prisma writes this column
    const staleSeconds = CLAIM_STALE_MS / 1000;
    const rows = await this.prisma.$queryRaw<{ key: string }[]>`
      INSERT INTO chat_deliveries (key, received_at, handled_at)
      VALUES (${key.slice(0, MAX_KEY)}, now() AT TIME ZONE 'UTC', NULL)
      ON CONFLICT (key) DO UPDATE SET received_at = now() AT TIME ZONE 'UTC'
        WHERE chat_deliveries.handled_at IS NULL
          AND chat_deliveries.received_at < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${staleSeconds})
      RETURNING key`;
    return rows.length === 1;
  }

  /** the work of a begun delivery is done (or has answered the user): later copies are dropped */
  async finish(key: string): Promise<void> {
    await this.prisma.chatDelivery.updateMany({
      where: { key: key.slice(0, MAX_KEY), handledAt: null },
      data: { handledAt: new Date() },
    });
  }

  /** gives a key back when the work it guarded did not happen (so it may be tried again) */
  async release(key: string): Promise<void> {
    await this.prisma.chatDelivery.deleteMany({ where: { key: key.slice(0, MAX_KEY) } });
  }

  /** keys older than the platforms' retry windows are no longer needed */
  async forgetOlderThan(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.chatDelivery.deleteMany({
      where: { receivedAt: { lt: cutoff }, NOT: { key: { startsWith: 'decision:' } } },
    });
    return count;
  }
}
