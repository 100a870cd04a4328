// Who is talking to the bot. One string per person, the same in roles, audit and cards:
// `slack:<team>:<user>`, `teams:<tenant>:<aad object id>` or `cli:<os user>`.
import { z } from 'zod';

export const ChatPlatformSchema = z.enum(['slack', 'teams', 'cli']);
export type ChatPlatform = z.infer<typeof ChatPlatformSchema>;

export const IdentitySchema = z
  .string()
  .regex(
    /^(slack:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+|teams:[A-Za-z0-9._-]+:[A-Za-z0-9._-]+|cli:[A-Za-z0-9._@-]+)$/,
    'an identity like slack:T0123:U0456, teams:<tenant>:<user> or cli:alice',
  );
export type Identity = z.infer<typeof IdentitySchema>;

export function slackIdentity(teamId: string, userId: string): Identity {
  return `slack:${teamId}:${userId}`;
}

export function teamsIdentity(tenantId: string, userId: string): Identity {
  return `teams:${tenantId}:${userId}`;
}

export function cliIdentity(user: string): Identity {
  return `cli:${user}`;
}

/**
 * Reads a user argument of `grant`/`revoke` relative to the caller: a full identity stays as is;
 * a Slack mention (`<@U123|bob>`) or a bare Slack user id becomes `slack:<caller's team>:U123`; a
 * bare name from the CLI becomes `cli:<name>`. Undefined when it cannot be read.
 */
export function resolveUserArgument(text: string, caller: Identity): Identity | undefined {
  const full = IdentitySchema.safeParse(text);
  if (full.success) return full.data;
  const [platform, scope] = caller.split(':');
  const mention = /^<@([A-Z0-9]+)(\|[^>]*)?>$/.exec(text) ?? /^@?(U[A-Z0-9]{2,})$/.exec(text);
  if (mention && platform === 'slack') return slackIdentity(scope!, mention[1]!);
  if (platform === 'cli' && /^[A-Za-z0-9._@-]+$/.test(text)) return cliIdentity(text);
  if (platform === 'teams' && /^[A-Za-z0-9._-]+$/.test(text)) return teamsIdentity(scope!, text);
  return undefined;
}
