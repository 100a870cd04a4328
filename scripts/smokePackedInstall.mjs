// What `.ci/run` checks after the suite: the project packed (`npm pack`, which builds dist/),
// installed from the tarball into an empty folder with production dependencies only (the
// Dockerfile's steps, scripts/installPacked.sh), and run from there — `help`, then `serve` on the
// embedded defaults: /healthz, /readyz, /playground, a playground command, `status` attached to
// the running bot, and a clean stop on SIGTERM. docs/deployment.md describes it.
// usage: node scripts/smokePackedInstall.mjs [--report <jest-like.json>] [--keep]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildPackAndInstall } from './packedInstall.mjs';

const args = process.argv.slice(2);
const reportFile = args.includes('--report') ? args[args.indexOf('--report') + 1] : undefined;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-packed-'));
// run as root, the embedded PostgreSQL runs as the postgres user: it must reach the install
fs.chmodSync(work, 0o755);
const results = [];

function step(name, ok, detail = '') {
  results.push({ name, ok, detail });
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}\n`);
  return ok;
}

function run(command, argv, options = {}) {
  return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, deadlineMs) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main() {
  process.stdout.write(`packed install smoke on Node ${process.version} in ${work}\n`);
  // 1-2. build, pack, install into an empty folder (production dependencies only)
  const { packed, install, installOutput } = buildPackAndInstall(work);
  const shipped = packed.files.map((f) => f.path);
  const tests = shipped.filter((f) => /^(test|src)\//.test(f));
  step(
    'npm pack',
    !!packed.filename,
    `${packed.filename}, ${shipped.length} files, ${(packed.size / 1e6).toFixed(1)} MB`,
  );
  const wanted = [
    'dist/cli/main.js',
    'dist/playground/public/index.html',
    'dist/sandbox/seeds/demo.json',
    'prisma/schema.prisma',
    'bin/autotask-bot.js',
    'README.md',
    'LICENSE',
  ];
  const missing = wanted.filter((f) => !shipped.includes(f));
  step(
    'the package ships dist/, prisma/, manifests/, README and LICENSE',
    missing.length === 0 &&
      shipped.some((f) => f.startsWith('manifests/')) &&
      shipped.some((f) => f.startsWith('prisma/migrations/')),
    missing.length ? `missing ${missing.join(', ')}` : '',
  );
  step('the package ships no tests and no sources', tests.length === 0, tests.slice(0, 3).join(', '));

  step(
    'installed from the tarball (production dependencies only)',
    fs.existsSync(path.join(install, 'node_modules/.bin/autotask-bot')),
  );
  const warned = /install-scripts|EBADENGINE/.test(installOutput);
  step(
    'npm install printed no install-script or engine warning',
    !warned,
    warned ? installOutput.trim().split('\n').slice(0, 3).join(' | ') : '',
  );
  const devOnly = ['jest', 'typescript', 'tsx', 'eslint', 'prisma'].filter((p) =>
    fs.existsSync(path.join(install, 'node_modules', p)),
  );
  step('no development dependency came along', devOnly.length === 0, devOnly.join(', '));

  const env = {
    ...process.env,
    DATA_DIR: path.join(install, 'data'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  delete env.DATABASE_URL;
  const npx = (argv, options = {}) =>
    run('npx', ['--no-install', 'autotask-bot', ...argv], { cwd: install, env, ...options });

  // 3. help
  const help = npx(['help']);
  step('npx autotask-bot help', /Usage: autotask-bot <command>/.test(help));

  // 4. serve on the embedded defaults
  const port = await freePort();
  const serveEnv = { ...env, PORT: String(port), HOST: '127.0.0.1' };
  // the image's command: node itself, so SIGTERM reaches the bot and not a wrapper
  const bin = path.join(install, 'node_modules/autotask-bot/bin/autotask-bot.js');
  const serve = spawn(process.execPath, [bin, 'serve'], {
    cwd: install,
    env: serveEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  serve.stdout.on('data', (d) => (log += d));
  serve.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => serve.on('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  try {
    const health = await waitFor(`${base}/healthz`, 120_000);
    if (!step('serve answers /healthz', !!health, health ? '' : log.slice(-2000))) return;
    const ready = await waitFor(`${base}/readyz`, 30_000);
    step('serve answers /readyz', !!ready, ready ? JSON.stringify(await ready.json()) : '');
    const page = await fetch(`${base}/playground/`);
    const html = await page.text();
    step('GET /playground serves the page', page.ok && /<html/i.test(html));
    const asset = await fetch(`${base}/playground/static/playground.js`);
    step('the playground script comes from dist/', asset.ok);
    const answer = await fetch(`${base}/playground/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'cli:alice', text: 'customers' }),
    });
    const reply = answer.ok ? await answer.json() : undefined;
    step(
      'a playground command answers with a card',
      !!reply && reply.cards?.model?.length > 0 && reply.cards.teams?.length > 0,
      reply
        ? `${reply.cards?.model?.length} card(s): ${reply.cards?.model?.[0]?.summary ?? ''}`
        : `HTTP ${answer.status}`,
    );
    const status = JSON.parse(npx(['status', '--json']));
    step(
      '`status` attaches to the running bot',
      status.database?.sharedWithRunningBot === true && status.database.migrationsApplied > 0,
    );
  } finally {
    serve.kill('SIGTERM');
    const stopped = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 30_000))]);
    if (!stopped) serve.kill('SIGKILL');
    step(
      'serve stops on SIGTERM',
      !!stopped && stopped.code === 0,
      stopped ? `exit ${stopped.code ?? stopped.signal}` : 'still running after 30 s',
    );
  }
}

try {
  await main();
} catch (error) {
  step('packed install smoke', false, String(error?.stderr || error?.message || error).slice(0, 2000));
}
const failed = results.filter((r) => !r.ok).length;
if (reportFile)
  fs.writeFileSync(
    reportFile,
    JSON.stringify({
      numPassedTests: results.length - failed,
      numFailedTests: failed,
      numRuntimeErrorTestSuites: 0,
    }),
  );
if (!args.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
process.stdout.write(`packed install: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
