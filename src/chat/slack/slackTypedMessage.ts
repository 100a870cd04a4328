// A command typed over the Events API (docs/chat-ux.md "Mentions and direct messages"): an
// `app_mention` in a channel, or a message in the bot's direct messages. Only a person's own new
// message counts (no edits, deletes, bot messages or the bot itself); the bot's mentions are
// removed and the rest is the command text, read by the chat router like a slash command's.
import { z } from 'zod';

const EventSchema = z.object({
  type: z.enum(['app_mention', 'message']),
  subtype: z.string().optional(),
  user: z.string().min(1).optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  ts: z.string().min(1),
  thread_ts: z.string().min(1).optional(),
});

/** the one subtype that is a person's new message: a thread reply also sent to the conversation */
const PERSON_SUBTYPES = new Set(['thread_broadcast']);

export interface SlackTypedMessage {
  kind: 'mention' | 'direct';
  user: string;
  channel: string;
  /** the command text, the bot's mentions removed ('' for a bare mention: help) */
  text: string;
  /** where the answer goes: a mention's thread; a direct message's thread only if it was in one */
  threadTs: string | undefined;
}

/** the command in an event, or undefined when the event is not a person typing to the bot */
export function slackTypedMessage(
  event: unknown,
  botUserId: string | undefined,
): SlackTypedMessage | undefined {
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  if (e.subtype !== undefined && !PERSON_SUBTYPES.has(e.subtype)) return undefined;
  if (e.bot_id || !e.user || e.user === botUserId) return undefined;
  if (e.type === 'message' && e.channel_type !== 'im') return undefined;
  const text = botUserId ? withoutMentionsOf(e.text ?? '', botUserId) : (e.text ?? '');
  return {
    kind: e.type === 'app_mention' ? 'mention' : 'direct',
    user: e.user,
    channel: e.channel,
    text: text.trim(),
    threadTs: e.type === 'app_mention' ? (e.thread_ts ?? e.ts) : e.thread_ts,
  };
}

/** `<@UBOT>` and `<@UBOT|autotask>` become spaces; other people's mentions stay (grant, revoke) */
function withoutMentionsOf(text: string, botUserId: string): string {
  return text.replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (mention, id: string) =>
    id === botUserId ? ' ' : mention,
  );
}
