// Where the bot may write in Teams on its own: one conversation reference per conversation,
// stored when the bot is installed there or first spoken to, read for proactive messages
// (approval requests, failure notifications to the `notify here` conversation).
import { z } from 'zod';
import type { PrismaClient } from '../../db/prismaClient.js';

/** The parts of a Bot Framework ConversationReference the bot needs to write there later. */
export const StoredReferenceSchema = z.object({
  serviceUrl: z.string().url(),
  channelId: z.string(),
  conversation: z
    .object({
      id: z.string().min(1),
      conversationType: z.string().optional(),
      tenantId: z.string().optional(),
    })
    .passthrough(),
  bot: z.object({ id: z.string(), name: z.string().optional() }).passthrough().optional(),
  user: z.object({ id: z.string() }).passthrough().optional(),
  locale: z.string().optional(),
});
export type StoredReference = z.infer<typeof StoredReferenceSchema>;

/** A channel reply thread (`19:…@thread.tacv2;messageid=123`) belongs to its channel. */
export function channelOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0]!;
}

export class TeamsConversationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async remember(reference: StoredReference, tenantId: string): Promise<void> {
    const conversationId = channelOf(reference.conversation.id);
    const stored: StoredReference = {
      ...reference,
      conversation: { ...reference.conversation, id: conversationId },
    };
    const data = {
      tenantId,
      conversationType: reference.conversation.conversationType ?? 'personal',
      serviceUrl: reference.serviceUrl,
      reference: stored as object,
    };
    await this.prisma.teamsConversation.upsert({
      where: { conversationId },
      create: { conversationId, ...data },
      update: data,
    });
  }

  async find(conversationId: string): Promise<StoredReference | undefined> {
    const row = await this.prisma.teamsConversation.findUnique({
      where: { conversationId: channelOf(conversationId) },
    });
    if (!row) return undefined;
    const parsed = StoredReferenceSchema.safeParse(row.reference);
    return parsed.success ? parsed.data : undefined;
  }
}
