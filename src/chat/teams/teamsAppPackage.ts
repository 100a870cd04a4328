// The zip a Teams admin uploads: manifest.json and the two icons at the top level. The bot's app
// id goes into the manifest (the committed manifest carries a zero GUID as a placeholder); the
// icons are the committed files next to it, named by the manifest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { z } from 'zod';

export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
const GuidSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'must be a GUID (the Azure Bot app id)');

export interface TeamsAppPackage {
  zip: Uint8Array;
  manifest: Record<string, unknown>;
  files: string[];
}

/** Builds the package from the committed manifest, with `appId` (MICROSOFT_APP_ID) filled in. */
export function buildTeamsAppPackage(input: { manifestPath: string; appId?: string }): TeamsAppPackage {
  const manifest = JSON.parse(readFileSync(input.manifestPath, 'utf8')) as Record<string, unknown>;
  if (input.appId && !GuidSchema.safeParse(input.appId).success)
    throw new Error(
      `TEAMS_APP_ID_INVALID: MICROSOFT_APP_ID must be a GUID (the Azure Bot app id), got "${input.appId.slice(0, 60)}"`,
    );
  const appId = input.appId ?? PLACEHOLDER_APP_ID;
  manifest.id = appId;
  manifest.bots = ((manifest.bots as Record<string, unknown>[]) ?? []).map((bot) => ({
    ...bot,
    botId: appId,
  }));
  const icons = manifest.icons as { color: string; outline: string };
  const icon = (name: string) => readFileSync(path.join(path.dirname(input.manifestPath), name));
  const files: Record<string, Uint8Array> = {
    'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    [icons.color]: icon(icons.color),
    [icons.outline]: icon(icons.outline),
  };
  // a fixed timestamp: the same input gives the same zip
  const zip = zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
  return { zip, manifest, files: Object.keys(files) };
}
