// Signs and checks artifact URLs: an HMAC-SHA256 over the artifact's id and its expiry, so a
// link can be neither guessed (the id is random) nor altered (a later expiry, another id) without
// the key. The key is ARTIFACT_SIGNING_KEY, or one made once and kept in the database so the web
// and worker processes agree on it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/prismaClient.js';

export interface ArtifactSigner {
  /** base64url HMAC-SHA256 of `<id>.<expires>` */
  sign(id: string, expiresUnix: number): string;
  verify(id: string, expiresUnix: number, signature: string): boolean;
}

export function createArtifactSigner(key: string): ArtifactSigner {
  const sign = (id: string, expiresUnix: number) =>
    createHmac('sha256', key).update(`${id}.${expiresUnix}`).digest('base64url');
  return {
    sign,
    verify(id, expiresUnix, signature) {
      const expected = Buffer.from(sign(id, expiresUnix));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

const STORED_KEY_ID = 1;

/**
 * The configured key, else the one in the database, made by whichever process asks first (an
 * insert that loses the race changes nothing, and both read the same row).
 */
export async function artifactSigningKey(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db.$executeRaw`INSERT INTO artifact_signing_keys (id, key) VALUES (${STORED_KEY_ID}, ${randomBytes(32).toString('base64url')}) ON CONFLICT (id) DO NOTHING`;
  const row = await db.artifactSigningKey.findUniqueOrThrow({ where: { id: STORED_KEY_ID } });
  return row.key;
}
