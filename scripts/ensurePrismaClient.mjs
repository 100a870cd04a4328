// Makes sure the generated Prisma client (src/db/generated/prisma, gitignored) matches
// prisma/schema.prisma and the installed Prisma, generating it when it is missing or stale.
// A source checkout needs it before tests, type checks or a run; the package and the image do
// not (dist/ carries the compiled client). It runs from the npm scripts and from
// bin/autotask-bot.js rather than from an install script, so installing the package runs no
// script of ours (docs/deployment.md, "Install scripts").
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function ensurePrismaClient({ quiet = true } = {}) {
  const schema = fs.readFileSync(path.join(root, 'prisma/schema.prisma'));
  const client = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules/@prisma/client/package.json'), 'utf8'),
  );
  const wanted = createHash('sha256').update(schema).update(`\0${client.version}`).digest('hex');
  const generated = path.join(root, 'src/db/generated/prisma');
  const stamp = path.join(generated, '.generated-from');
  const current =
    fs.existsSync(path.join(generated, 'client.ts')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === wanted;
  if (current) return false;
  const cli = path.join(root, 'node_modules/prisma/build/index.js');
  const run = spawnSync(process.execPath, [cli, 'generate'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (run.status !== 0) throw new Error(`prisma generate failed:\n${run.stdout}${run.stderr}`);
  if (!quiet) process.stderr.write('generated the Prisma client (src/db/generated/prisma)\n');
  fs.writeFileSync(stamp, wanted);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  ensurePrismaClient({ quiet: false });
}
