// Build, pack and install the project the way a partner (or the Dockerfile) would: `npm run
// build`, `npm pack`, then the tarball into an empty folder with production dependencies only
// (scripts/installPacked.sh). Shared by the packed-install smoke run and the CLI start-up bench.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** @returns {{ packed: { filename: string, size: number, files: { path: string }[] }, install: string, installOutput: string }} */
export function buildPackAndInstall(work) {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  // prepack builds too, but its output would spoil --json; the build above is what is packed
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
    }),
  )[0];
  const install = path.join(work, 'install');
  // npm warns on stderr: both streams are kept, so a caller can check that nothing was warned
  const installed = spawnSync(
    'sh',
    [path.join(root, 'scripts/installPacked.sh'), path.join(work, packed.filename), install],
    { encoding: 'utf8' },
  );
  const installOutput = `${installed.stdout}${installed.stderr}`;
  if (installed.status !== 0) throw new Error(`installing the tarball failed:\n${installOutput}`);
  return { packed, install, installOutput };
}
