// `npm run teams:package`: writes dist/teams/autotask-teams-app.zip (manifest + icons) to upload
// in Teams (Apps → Manage your apps → Upload an app) or the Teams admin center, from the manifest
// and icons committed in manifests/teams/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildTeamsAppPackage, PLACEHOLDER_APP_ID } from './teamsAppPackage.js';

const root = process.cwd();
const out = process.argv[2] ?? path.join(root, 'dist', 'teams', 'autotask-teams-app.zip');
try {
  const appId = process.env.MICROSOFT_APP_ID || undefined;
  const built = buildTeamsAppPackage({
    manifestPath: path.join(root, 'manifests/teams/manifest.json'),
    appId,
  });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, built.zip);
  console.log(`wrote ${path.relative(root, out)} (${built.zip.length} bytes): ${built.files.join(', ')}`);
  if (built.manifest.id === PLACEHOLDER_APP_ID)
    console.warn(
      'MICROSOFT_APP_ID is not set: the manifest carries the placeholder id 00000000-…; set it to your Azure Bot app id before uploading.',
    );
} catch (error) {
  console.error(`teams:package: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
