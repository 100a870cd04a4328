// The Teams app: the manifest against Microsoft's Teams app manifest JSON schema (the offline
// copy in @microsoft/app-manifest), its command list against the router's commands, the icons,
// and what `npm run teams:package` writes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { findCommand } from '../../../../src/chat/commandTable.js';

const require = createRequire(import.meta.url);
// the validator @microsoft/app-manifest itself uses (ManifestUtil.validateManifestAgainstSchema:
// ajv for JSON Schema draft-04 with uri/email/regex formats); its index module cannot be loaded
// under Jest's ESM mode, so the same setup is made here from the package's own dependencies
const fromPackage = createRequire(require.resolve('@microsoft/app-manifest/package.json'));
type AjvClass = new (options: object) => {
  compile(schema: unknown): ((data: unknown) => boolean) & {
    errors?: { instancePath: string; message?: string }[] | null;
  };
};
const Ajv = (fromPackage('ajv-draft-04') as { default: AjvClass }).default;
const addFormats = (fromPackage('ajv-formats') as { default: (ajv: unknown, formats: string[]) => void })
  .default;
type Json = Record<string, unknown>;

/** width and height read back from a PNG's IHDR, and its colour type (6: RGBA) */
function readPngHeader(png: Buffer): { width: number; height: number; colourType: number } {
  if (png.subarray(1, 4).toString('ascii') !== 'PNG' || png.subarray(12, 16).toString('ascii') !== 'IHDR')
    throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png.readUInt8(25) };
}

const manifest = JSON.parse(readFileSync('manifests/teams/manifest.json', 'utf8')) as Json;
const version = String(manifest.manifestVersion);
const schema = require(
  `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
) as Json;
const ajv = new Ajv({ allErrors: true, strictTypes: false });
addFormats(ajv, ['uri', 'email', 'regex']);
const check = ajv.compile(schema);
const validate = async (m: unknown): Promise<string[]> =>
  check(m) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

describe('manifests/teams/manifest.json', () => {
  it('validates against the Teams app manifest schema of its version, offline', async () => {
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    );
    expect(await validate(manifest)).toEqual([]);
  });

  it('the schema check notices a broken manifest', async () => {
    const broken = { ...manifest, id: 'not-a-guid', bots: [{ scopes: ['personal'] }] };
    const errors = await validate(broken);
    expect(errors.some((e) => e.startsWith('/id '))).toBe(true);
    expect(errors.some((e) => e.includes('botId'))).toBe(true);
  });

  it('lists commands the router knows, per scope, in commandLists', () => {
    const [bot] = manifest.bots as {
      scopes: string[];
      commandLists: { scopes: string[]; commands: { title: string }[] }[];
    }[];
    expect(bot!.scopes).toEqual(['personal', 'team', 'groupChat']);
    const titles = bot!.commandLists.flatMap((l) => l.commands.map((c) => c.title));
    expect(titles.length).toBeGreaterThan(10);
    for (const title of titles) expect(findCommand(title.split(' ')[0]!)).toBeDefined();
    expect(bot!.commandLists.map((l) => l.scopes)).toEqual([['personal'], ['team', 'groupChat']]);
  });
});

describe('icons', () => {
  it('are the committed PNGs: colour 192×192 and outline 32×32, RGBA', () => {
    const color = readFileSync('manifests/teams/color.png');
    const outline = readFileSync('manifests/teams/outline.png');
    expect(readPngHeader(color)).toEqual({ width: 192, height: 192, colourType: 6 });
    expect(readPngHeader(outline)).toEqual({ width: 32, height: 32, colourType: 6 });
  });
});

describe('npm run teams:package', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (out: string, env: Record<string, string>) =>
    promisify(execFile)('npx', ['tsx', 'src/chat/teams/packageTeamsApp.ts', out], {
      env: { ...process.env, ...env },
    });

  it('writes a zip with the manifest (app id filled in) and both icons', async () => {
    const out = path.join(dir, 'app.zip');
    const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    const { stdout } = await run(out, { MICROSOFT_APP_ID: appId });
    expect(stdout).toContain('manifest.json, color.png, outline.png');
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packaged = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as Json;
    expect(packaged.id).toBe(appId);
    expect((packaged.bots as Json[])[0]!.botId).toBe(appId);
    expect(await validate(packaged)).toEqual([]);
    expect(readPngHeader(Buffer.from(files['color.png']!))).toMatchObject({ width: 192, height: 192 });
    expect(readPngHeader(Buffer.from(files['outline.png']!))).toMatchObject({ width: 32, height: 32 });
    // the icons packaged are the committed ones, byte for byte
    expect(Buffer.from(files['color.png']!).equals(readFileSync('manifests/teams/color.png'))).toBe(true);
    expect(Buffer.from(files['outline.png']!).equals(readFileSync('manifests/teams/outline.png'))).toBe(true);
  });

  it('refuses an app id that is not a GUID, saying which variable', async () => {
    await expect(run(path.join(dir, 'bad.zip'), { MICROSOFT_APP_ID: 'my-bot' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('MICROSOFT_APP_ID must be a GUID'),
    });
  });
});
