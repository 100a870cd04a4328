// GET /artifacts/:id/:name — the files behind chart images and download links on cards. The
// signed query (expires, sig) is the whole authorisation: chat platforms fetch images without our
// credentials, so the link itself must be the key, and it dies when it expires (docs/charts.md).
// A refusal is a short coded problem { code, message, hint }.
import type { Express, Response } from 'express';
import type { ArtifactSigner } from '../artifacts/artifactSigner.js';
import { readArtifact } from '../artifacts/artifactStore.js';
import type { Db } from '../db/prismaClient.js';

export interface ArtifactRouteDeps {
  prisma: Db;
  signer: ArtifactSigner;
  /** the clock expiry is read from (tests) */
  now?: () => Date;
}

function refuse(res: Response, status: number, code: string, message: string, hint: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ code, message, hint });
}

const queryText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function mountArtifactRoutes(app: Express, deps: ArtifactRouteDeps): void {
  app.get('/artifacts/:id/:name', async (req, res) => {
    const now = deps.now?.() ?? new Date();
    const lookup = await readArtifact(
      deps.prisma,
      {
        id: req.params.id,
        fileName: req.params.name,
        expires: queryText(req.query.expires),
        sig: queryText(req.query.sig),
      },
      deps.signer,
      now,
    );
    switch (lookup.found) {
      case 'forbidden':
        return refuse(
          res,
          403,
          'ARTIFACT_SIGNATURE_INVALID',
          'This link is not signed, or its signature does not match.',
          'Use the link exactly as the bot posted it; ask the bot again for a new one.',
        );
      case 'expired':
        return refuse(
          res,
          410,
          'ARTIFACT_EXPIRED',
          'This link has expired.',
          'Ask the bot again for a new one.',
        );
      case 'unknown':
        return refuse(
          res,
          404,
          'ARTIFACT_NOT_FOUND',
          'There is no such file.',
          'Ask the bot again for a new link.',
        );
      case 'ok': {
        const { artifact } = lookup;
        const remaining = Math.max(0, Math.floor((artifact.expiresAt.getTime() - now.getTime()) / 1000));
        const disposition = artifact.contentType === 'image/png' ? 'inline' : 'attachment';
        res
          .status(200)
          .set({
            'Content-Type':
              artifact.contentType === 'text/csv' ? 'text/csv; charset=utf-8' : artifact.contentType,
            'Cache-Control': `private, max-age=${remaining}`,
            'Content-Disposition': `${disposition}; filename="${artifact.fileName}"`,
            'X-Content-Type-Options': 'nosniff',
          })
          .end(artifact.bytes);
        return;
      }
    }
  });
}
