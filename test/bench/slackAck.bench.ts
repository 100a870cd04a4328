// Slack ack latency: 200 signed /autotask commands, 20 at a time, against the bot's real Slack
// route (signature check, delivery ledger in PostgreSQL, Bolt), compared in the same run with bare
// Bolt (its own ExpressReceiver, a listener that only acks). Prints figures; asserts nothing.
//   npx tsx test/bench/slackAck.bench.ts            (embedded PostgreSQL in a temp directory)
//   DATABASE_URL=postgresql://… npx tsx test/bench/slackAck.bench.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bolt from '@slack/bolt';
import express from 'express';
import { loadConfig } from '../../src/config.js';
import { startEmbeddedPostgres } from '../../src/db/embeddedPostgres.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPrismaClient } from '../../src/db/prismaClient.js';
import { startSlackApp } from '../../src/chat/slack/startSlackApp.js';
import { createHttpApp, finishHttpApp, listen } from '../../src/http/httpServer.js';
import { createLogger } from '../../src/observability/logger.js';
import { startRecordingSlackServer } from '../helpers/recordingSlackServer.js';
import { postSigned, slashCommandBody } from '../helpers/signedSlackRequests.js';
import { InMemoryChatServices } from '../helpers/inMemoryChatServices.js';

const SECRET = 'bench-signing-secret';
const TOTAL = 200;
const CONCURRENCY = 20;

async function measure(url: string, responseUrl: (id: string) => string, text: string): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const i = next++;
        const body = slashCommandBody({
          who: { team: 'T1', user: 'UADMIN' },
          text,
          responseUrl: responseUrl(`b${i}-${Math.random()}`),
        });
        const started = process.hrtime.bigint();
        const response = await postSigned(url, body, { secret: SECRET });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (response.status !== 200) throw new Error(`status ${response.status}`);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const logger = createLogger({ level: 'silent', format: 'json', secrets: [] });
  let dataDir: string | undefined;
  let stopPg = async () => {};
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-bench-'));
    fs.chmodSync(dataDir, 0o755); // the embedded server runs as its own user
    const pg = await startEmbeddedPostgres({ dataDir, port: 0, logger });
    databaseUrl = pg.url;
    stopPg = () => pg.stop();
  }
  await applyMigrations(databaseUrl);
  const prisma = createPrismaClient(databaseUrl);
  const recorder = await startRecordingSlackServer();
  const customer = await prisma.customer.create({ data: { name: `Bench ${Date.now()}` } });
  const services = new InMemoryChatServices({ customers: [customer] });

  // ours
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: recorder.apiUrl,
    ADMIN_USERS: 'slack:T1:UADMIN',
  });
  const app = createHttpApp({ logger, health: [] });
  const bot = await startSlackApp({ config, prisma, logger, app, services });
  finishHttpApp(app, logger);
  const ours = await listen(app, 0, '127.0.0.1');

  // bare Bolt: its own receiver, a listener that only acks
  const receiver = new bolt.ExpressReceiver({ signingSecret: SECRET });
  const bare = new bolt.App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B1', botUserId: 'U1', teamId: 'T1' }),
    logLevel: bolt.LogLevel.ERROR,
  });
  bare.command('/autotask', async ({ ack }) => {
    await ack();
  });
  const bareApp = express();
  bareApp.use(receiver.router);
  const bareServer = await listen(bareApp, 0, '127.0.0.1');

  await measure(`${ours.url}/slack/events`, recorder.responseUrl, 'help'); // warm-up
  await measure(`${bareServer.url}/slack/events`, recorder.responseUrl, 'help');
  const results: Record<string, { p50: number; p99: number; max: number }> = {};
  for (const [name, url, text] of [
    ['bare Bolt (ack only)', `${bareServer.url}/slack/events`, 'help'],
    ['autotask-bot: help', `${ours.url}/slack/events`, 'help'],
    [`autotask-bot: validate`, `${ours.url}/slack/events`, `validate "${customer.name}"`],
  ] as const) {
    const times = await measure(url, recorder.responseUrl, text);
    results[name] = { p50: pct(times, 50), p99: pct(times, 99), max: times.at(-1)! };
    console.log(
      `${name.padEnd(28)} ack p50 ${pct(times, 50).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms  max ${times.at(-1)!.toFixed(1)} ms  (${TOTAL} commands, ${CONCURRENCY} at once)`,
    );
  }
  const ratio = results['autotask-bot: help']!.p99 / results['bare Bolt (ack only)']!.p99;
  console.log(`p99 ratio autotask-bot / bare Bolt: ${ratio.toFixed(2)}`);
  fs.mkdirSync('test/bench/results', { recursive: true });
  fs.writeFileSync(
    'test/bench/results/slackAck.json',
    JSON.stringify(
      { at: new Date().toISOString(), total: TOTAL, concurrency: CONCURRENCY, results, ratio },
      null,
      2,
    ),
  );

  await ours.close(100);
  await bareServer.close(100);
  await bot.stop();
  await recorder.close();
  await prisma.$disconnect();
  await stopPg();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
