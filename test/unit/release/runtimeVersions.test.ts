// One Node LTS runs everything: CI fetches the version in .node-version, the image is built on
// it, engines accepts it and @types/node describes it (docs/deployment.md, "Runtime").
import fs from 'node:fs';
import { z } from 'zod';

const PackageSchema = z.object({
  engines: z.object({ node: z.string() }),
  devDependencies: z.record(z.string(), z.string()),
  files: z.array(z.string()),
  scripts: z.record(z.string(), z.string()),
});

const nodeVersion = fs.readFileSync('.node-version', 'utf8').trim();
const pkg = PackageSchema.parse(JSON.parse(fs.readFileSync('package.json', 'utf8')));
const major = (version: string) => Number(/^\^?(\d+)/.exec(version)?.[1]);

describe('the runtime', () => {
  it('is a supported LTS (22 or 24), not Node 20', () => {
    expect(nodeVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect([22, 24]).toContain(major(nodeVersion));
  });

  it('is what the image is built on', () => {
    const dockerfile = fs.readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toContain(`ARG NODE_VERSION=${nodeVersion}`);
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(1);
    for (const base of bases) expect(base).toBe('node:${NODE_VERSION}-bookworm-slim');
  });

  it('is accepted by engines, which accepts no Node before 22', () => {
    const ranges = pkg.engines.node.split('||').map((r) => r.trim());
    expect(ranges.map(major)).toContain(major(nodeVersion));
    for (const range of ranges) expect(major(range)).toBeGreaterThanOrEqual(22);
  });

  it('is the Node that @types/node describes', () => {
    expect(major(pkg.devDependencies['@types/node'] ?? '')).toBe(major(nodeVersion));
  });
});

describe('the package', () => {
  it('ships the build, the schema and migrations, the manifests, README and LICENSE — no tests, no sources', () => {
    expect(pkg.files).toEqual(
      expect.arrayContaining(['dist/', 'bin/', 'prisma/', 'manifests/', 'README.md', 'LICENSE']),
    );
    expect(pkg.files.filter((f) => /^(test|src)\b/.test(f))).toEqual([]);
  });

  it('builds dist/ whenever it is packed, and runs no script where it is installed', () => {
    expect(pkg.scripts.prepack).toBe('npm run build');
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(pkg.scripts[hook]).toBeUndefined();
  });
});
