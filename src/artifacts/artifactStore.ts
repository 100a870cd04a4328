// Artifacts in PostgreSQL: published with a signed URL, read back only with a valid signature.
// Expired rows are deleted when the next one is published; nothing else sweeps them.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/prismaClient.js';
import type { ArtifactLinks } from './artifactLinks.js';
import type { ArtifactSigner } from './artifactSigner.js';

export const ArtifactInputSchema = z.object({
  bytes: z.instanceof(Buffer),
  /** what the route serves: a chart, or a CSV export (sent as UTF-8) */
  contentType: z.enum(['image/png', 'text/csv']),
  /** the last part of the URL and the download's name: letters, digits, `.`, `_`, `-` */
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" and "-", at most 100'),
  ttlMinutes: z.number().int().positive().max(129_600).optional(),
});
export type ArtifactInput = z.infer<typeof ArtifactInputSchema>;

export interface PublishedArtifact {
  id: string;
  url: string;
  expiresAt: Date;
}

export async function publishArtifact(
  db: Db,
  input: ArtifactInput,
  links: ArtifactLinks,
  now: Date = new Date(),
): Promise<PublishedArtifact> {
  const checked = ArtifactInputSchema.parse(input);
  await db.chatArtifact.deleteMany({ where: { expiresAt: { lt: now } } });
  const id = randomBytes(18).toString('base64url');
  const expiresUnix = Math.floor(now.getTime() / 1000) + (checked.ttlMinutes ?? links.ttlMinutes) * 60;
  const expiresAt = new Date(expiresUnix * 1000);
  await db.chatArtifact.create({
    data: {
      id,
      contentType: checked.contentType,
      fileName: checked.fileName,
      bytes: new Uint8Array(checked.bytes),
      expiresAt,
    },
  });
  const sig = links.signer.sign(id, expiresUnix);
  const url = `${links.publicBase}/artifacts/${id}/${encodeURIComponent(checked.fileName)}?expires=${expiresUnix}&sig=${sig}`;
  return { id, url, expiresAt };
}

export type ArtifactLookup =
  | { found: 'ok'; artifact: { contentType: string; fileName: string; bytes: Buffer; expiresAt: Date } }
  /** the signature is missing or does not match the id and expiry */
  | { found: 'forbidden' }
  | { found: 'expired' }
  | { found: 'unknown' };

/** Checks the signature before the database is asked, so a guess learns nothing. */
export async function readArtifact(
  db: Db,
  request: { id: string; fileName: string; expires: string | undefined; sig: string | undefined },
  signer: ArtifactSigner,
  now: Date = new Date(),
): Promise<ArtifactLookup> {
  const { expires, sig } = request;
  if (!expires || !/^\d{1,12}$/.test(expires) || !sig) return { found: 'forbidden' };
  const expiresUnix = Number(expires);
  if (!signer.verify(request.id, expiresUnix, sig)) return { found: 'forbidden' };
  if (expiresUnix * 1000 <= now.getTime()) return { found: 'expired' };
  const row = await db.chatArtifact.findUnique({ where: { id: request.id } });
  if (!row || row.fileName !== request.fileName) return { found: 'unknown' };
  if (row.expiresAt.getTime() <= now.getTime()) return { found: 'expired' };
  return {
    found: 'ok',
    artifact: {
      contentType: row.contentType,
      fileName: row.fileName,
      bytes: Buffer.from(row.bytes),
      expiresAt: row.expiresAt,
    },
  };
}
