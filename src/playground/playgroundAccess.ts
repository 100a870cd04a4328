// Who may use the playground and as whom. In the demo (Autotask sandbox) it is on unless
// PLAYGROUND=off and you pick who you are — it is a toy tenant, nothing real can be harmed —
// but only from this machine: the Docker image listens on 0.0.0.0, and anybody on the network
// picking cli:admin would not be a toy. Other clients need a token, as against a live Autotask.
// Against a live Autotask it is off unless PLAYGROUND=on, and then nobody picks an identity:
// each request carries a personal token minted from the terminal
// (`npx autotask-bot playground-token <user>`, the CLI being as trusted as `--as`), and the
// person must hold a chat role; the router then checks each command like in Slack or Teams.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import type { Config } from '../config.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { readSetting, writeSetting } from '../settings/settingsStore.js';
import type { Identity } from '../chat/identity.js';

export type PlaygroundAccess =
  | { on: false; reason: string }
  /** the demo: pick any `cli:<name>` identity */
  | { on: true; authenticated: false }
  /** live: a token names the person */
  | { on: true; authenticated: true };

export function playgroundAccess(config: Pick<Config, 'playground' | 'autotask'>): PlaygroundAccess {
  if (config.playground === 'off') return { on: false, reason: 'PLAYGROUND=off' };
  if (config.autotask.mode === 'sandbox') return { on: true, authenticated: false };
  if (config.playground === 'on') return { on: true, authenticated: true };
  return {
    on: false,
    reason: 'AUTOTASK_MODE is live: the playground stays off unless PLAYGROUND=on (then it asks for a token)',
  };
}

/**
 * Whether a connection comes from this machine: 127.0.0.0/8, ::1, or 127.x written as an
 * IPv4-mapped IPv6 address. Read it from the socket (req.socket.remoteAddress), never from a
 * header a client can write.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const lower = address.toLowerCase();
  if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
  const v4 = lower.startsWith('::ffff:') ? lower.slice('::ffff:'.length) : lower;
  return isIPv4(v4) && v4.startsWith('127.');
}

export const PLAYGROUND_TOKENS_SETTING = 'playground.tokens';

// only hashes are stored (and audited): a token is shown once, when it is minted
const TokenListSchema = z.array(
  z.object({ identity: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), createdAt: z.string() }),
);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A new token for `identity`; earlier tokens of that person stop working. */
export async function mintPlaygroundToken(
  prisma: PrismaClient,
  identity: Identity,
  actor: Actor,
): Promise<string> {
  const token = `pgt_${randomBytes(24).toString('base64url')}`;
  const list = await readSetting(prisma, PLAYGROUND_TOKENS_SETTING, TokenListSchema, []);
  await writeSetting(
    prisma,
    PLAYGROUND_TOKENS_SETTING,
    TokenListSchema,
    [
      ...list.filter((t) => t.identity !== identity),
      { identity, sha256: sha256(token), createdAt: new Date().toISOString() },
    ],
    actor,
  );
  return token;
}

/** false when the person had no token */
export async function revokePlaygroundToken(
  prisma: PrismaClient,
  identity: Identity,
  actor: Actor,
): Promise<boolean> {
  const list = await readSetting(prisma, PLAYGROUND_TOKENS_SETTING, TokenListSchema, []);
  const kept = list.filter((t) => t.identity !== identity);
  if (kept.length === list.length) return false;
  await writeSetting(prisma, PLAYGROUND_TOKENS_SETTING, TokenListSchema, kept, actor);
  return true;
}

/** The identity a token was minted for, or undefined. */
export async function identityOfToken(prisma: PrismaClient, token: string): Promise<string | undefined> {
  if (!/^pgt_[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
  const hash = Buffer.from(sha256(token), 'hex');
  const list = await readSetting(prisma, PLAYGROUND_TOKENS_SETTING, TokenListSchema, []);
  return list.find((t) => timingSafeEqual(Buffer.from(t.sha256, 'hex'), hash))?.identity;
}
