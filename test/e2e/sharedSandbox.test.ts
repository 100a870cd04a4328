// In sandbox mode the Autotask sandbox lives inside the bot process. The CLI, run beside a bot on
// the same DATA_DIR, must talk to that sandbox (what it writes is what the bot sees): the bot
// announces it in DATA_DIR/sandbox.json and withdraws it on shutdown, after which the CLI starts
// its own. Real processes: `autotask-bot serve` and the CLI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embeddedPostgres.js';
import { runCliToEnd, startCli, waitFor, type RunningProcess } from '../helpers/cliProcess.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';

let db: TestDatabase;
let dataDir: string;
let bot: RunningProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-sandbox-'));
});
afterAll(async () => {
  if (bot && bot.child.exitCode === null) {
    bot.child.kill('SIGKILL');
    await bot.exited;
  }
  await db?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const zonePort = (output: string) => /Zone: +http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];

it('the CLI reaches the running bot’s sandbox, and its own once the bot has stopped', async () => {
  const port = await freePort();
  const env = {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    AUTOTASK_MODE: 'sandbox',
    ADMIN_USERS: 'cli:admin',
    LOG_LEVEL: 'warn',
  };
  bot = startCli(['serve'], { ...env, PORT: String(port) });
  await waitFor(
    async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined),
    60_000,
    'the bot to answer /healthz',
  );
  const file = path.join(dataDir, 'sandbox.json');
  const announced = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; pid: number };
  expect(announced.pid).toBe(bot.child.pid);
  const botSandboxPort = new URL(announced.url).port;
  const requests = async () =>
    ((await (await fetch(`${announced.url}/_sandbox/counters`)).json()) as { total: number }).total;

  const before = await requests();
  const viaChat = await runCliToEnd(['chat', 'test', '--as', 'admin'], env);
  expect(viaChat.code).toBe(0);
  expect(zonePort(viaChat.output)).toBe(botSandboxPort);
  expect(await requests()).toBeGreaterThan(before);
  // the local `test` command goes to the same sandbox
  const local = await runCliToEnd(['test'], env);
  expect(local.output).toMatch(new RegExp(`127\\.0\\.0\\.1:${botSandboxPort}/`));

  bot.child.kill('SIGTERM');
  await bot.exited;
  // the announcement is withdrawn on shutdown; one left behind by a killed bot names a dead pid,
  // which the CLI ignores the same way
  const left = fs.existsSync(file);
  process.stdout.write(`sandbox.json after shutdown: ${left ? 'left behind' : 'removed'}\n`);

  const alone = await runCliToEnd(['chat', 'test', '--as', 'admin'], env);
  expect(alone.code).toBe(0);
  expect(zonePort(alone.output)).toBeDefined();
  expect(zonePort(alone.output)).not.toBe(botSandboxPort);
}, 120_000);
