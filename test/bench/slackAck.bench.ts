// Slack ack latency (docs/quality.md: p99 < 100 ms on loopback, 200 signed commands, 20 at once, while
// an upload runs). The REAL bot (startBot from src/main.ts, Slack pointed at a recording fake of
// Slack's API) runs in a child process; while it serves, that same process uploads the generated
// 200-customer partner (uploadApprovedRun, the use case the bot's upload runs; sandbox at 5 ms a
// call), so the upload's work shares the bot's event loop. This process only sends the signed
// commands (node:http, keep-alive, 20 in flight) and times each until its HTTP 200 — the ack.
// Bare Bolt (its own ExpressReceiver, a listener that only acks) runs the same load in a child
// of its own, for comparison; the recording fake of Slack runs in a child as well. Three runs: ours with the upload, ours idle, bare Bolt.
// Each run first sends 20 unmeasured commands over the same 20 keep-alive connections the
// measured ones use (Slack's edge keeps its connections open) and waits until Slack has their
// answers: measured without that, the p99 was the warm-up's own backlog and 20 connections
// opened at once (bare Bolt showed the same 180 ms first burst).
//
//   npm run bench:slack
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import bolt from '@slack/bolt';
import express from 'express';
import { startRecordingSlackServer } from '../helpers/recordingSlackServer.js';
import { computeSlackSignature, slashCommandBody } from '../helpers/signedSlackRequests.js';
import { createTestDatabase } from '../helpers/testDatabase.js';
import { percentile, round, withDatabaseServer, writeResult } from './benchRun.js';

const SECRET = 'bench-signing-secret';
const TOTAL = Number(process.env.BENCH_COMMANDS ?? 200);
const CONCURRENCY = 20;
const WARMUP = 20;
const UPLOAD_LATENCY_MS = 5;

/** Starts this file as `role`; resolves with the child and the first JSON line it prints. */
function startChild(role: string, env: Record<string, string>) {
  return new Promise<{ proc: ChildProcess; ready: Record<string, unknown>; lines: string[] }>(
    (resolve, reject) => {
      const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), role], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, ...env },
      });
      const lines: string[] = [];
      let buffer = '';
      let ready = false;
      proc.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          if (!line.startsWith('{')) continue;
          lines.push(line);
          if (!ready) {
            ready = true;
            resolve({ proc, ready: JSON.parse(line) as Record<string, unknown>, lines });
          }
        }
      });
      proc.on('error', reject);
      proc.on('exit', (code) => {
        if (!ready) reject(new Error(`${role} exited with ${code} before it was ready`));
      });
    },
  );
}

type Child = { proc: ChildProcess; lines: string[] };

/** Asks the child to stop (a line on stdin) and resolves with the last JSON line it printed. */
function stopChild(child: Child) {
  return new Promise<Record<string, unknown>>((resolve) => {
    child.proc.on('exit', () => resolve(JSON.parse(child.lines.at(-1) ?? '{}') as Record<string, unknown>));
    child.proc.stdin!.end('stop\n');
  });
}

/** Sends the child one line and resolves with the next JSON line it prints. */
function askChild(child: Child, line: string) {
  const before = child.lines.length;
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setInterval(() => {
      if (child.lines.length > before) {
        clearInterval(timer);
        resolve(JSON.parse(child.lines[before]!) as Record<string, unknown>);
      }
    }, 20);
    child.proc.once('exit', () => {
      clearInterval(timer);
      reject(new Error(`the child exited before answering "${line}"`));
    });
    child.proc.stdin!.write(`${line}\n`);
  });
}

/** 200 signed commands, 20 in flight over `agent`'s connections; milliseconds from sending to the 200. */
async function load(
  agent: http.Agent,
  url: string,
  responseUrl: (id: string) => string,
  total = TOTAL,
): Promise<number[]> {
  const target = new URL(url);
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const started = performance.now();
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-slack-request-timestamp': timestamp,
            'x-slack-signature': computeSlackSignature(SECRET, timestamp, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(performance.now() - started)
              : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const body = slashCommandBody({
          who: { team: 'T1', user: 'UADMIN' },
          text: i % 2 ? 'help' : 'runs',
          responseUrl: responseUrl(`bench-${i}`),
        });
        times.push(await post(body));
      }
    }),
  );
  return times;
}

/**
 * The warm-up round (not measured): it opens the 20 connections Slack's edge keeps open, and the
 * bot's database pool, and compiles the paths a command takes. It ends when Slack has received
 * every warm-up answer, so the measured round starts on a settled bot rather than on the
 * warm-up's own backlog.
 */
async function warmUp(
  agent: http.Agent,
  url: string,
  slack: Child & { ready: Record<string, unknown> },
  tag: string,
) {
  await load(agent, url, (id) => String(slack.ready.responseUrl).replace(/X$/, `${tag}-${id}`), WARMUP);
  const answer = await askChild(slack, `wait ${tag}- ${WARMUP}`);
  if (!answer.ok) throw new Error(`the warm-up answers did not reach Slack: ${JSON.stringify(answer)}`);
}

const summary = (times: number[]) => ({
  p50: round(percentile(times, 50)),
  p95: round(percentile(times, 95)),
  p99: round(percentile(times, 99)),
  max: round(Math.max(...times)),
});

async function main() {
  await withDatabaseServer(async () => {
    // Slack's side (the recording fake) in a process of its own too: its work answering 200
    // response_url posts must not sit on the load generator's event loop and inflate the timings
    const slack = await startChild('slack', {});
    const recorder = {
      apiUrl: String(slack.ready.apiUrl),
      responseUrl: (id: string) => String(slack.ready.responseUrl).replace(/X$/, id),
      close: () => stopChild(slack),
    };
    const agent = () => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const figures: Record<string, unknown> = { commands: TOTAL, concurrency: CONCURRENCY };
    try {
      for (const run of ['ours during upload', 'ours idle'] as const) {
        const db = await createTestDatabase();
        const child = await startChild('bot', {
          BOT_DATABASE_URL: db.url,
          SLACK_API_URL: recorder.apiUrl,
          WITH_UPLOAD: run === 'ours during upload' ? '1' : '',
        });
        const connections = agent();
        const url = `${String(child.ready.url)}/slack/events`;
        await warmUp(connections, url, slack, `warm-${run.replace(/ /g, '-')}`);
        console.error(`slackAck: ${run}: the bot is ready and warm, sending ${TOTAL} commands`);
        const times = await load(connections, url, (id) => recorder.responseUrl(id));
        connections.destroy();
        const after = await stopChild(child);
        figures[run === 'ours during upload' ? 'oursDuringUpload' : 'oursIdle'] = {
          ...summary(times),
          ...after,
        };
        await db.drop();
      }
      const bolt = await startChild('bolt', {});
      const boltConnections = agent();
      const boltUrl = `${String(bolt.ready.url)}/slack/events`;
      // bare Bolt posts nothing to Slack: its warm-up has no answers to wait for
      await load(boltConnections, boltUrl, (id) => recorder.responseUrl(`warm-bolt-${id}`), WARMUP);
      const boltTimes = await load(boltConnections, boltUrl, (id) => recorder.responseUrl(id));
      boltConnections.destroy();
      await stopChild(bolt);
      figures.bareBolt = summary(boltTimes);
    } finally {
      await recorder.close();
    }
    const ours = figures.oursDuringUpload as { p99: number; uploadRunningAtEnd?: boolean };
    writeResult('slackAck', figures as Record<string, never>, {
      'ack p99 < 100 ms while an upload runs': ours.p99 < 100,
      'the upload was still running when the last command was acked': ours.uploadRunningAtEnd === true,
    });
  });
}

/** The real bot; with WITH_UPLOAD, an upload of the generated partner on the same event loop. */
async function botRole() {
  const { loadConfig } = await import('../../src/config.js');
  const { startBot } = await import('../../src/main.js');
  const { createLogger } = await import('../../src/observability/logger.js');
  let upload: Promise<unknown> | undefined;
  let uploadRunning = false;
  let stopWorld: (() => Promise<void>) | undefined;
  let operations = 0;
  if (process.env.WITH_UPLOAD) {
    const { startPartnerWorld, BENCH_ACTOR } = await import('./generatedPartnerWorld.js');
    const { validateRun } = await import('../../src/sync/validateRun.js');
    const runs = {
      ...(await import('../../src/useCases/requestUpload.js')),
      ...(await import('../../src/useCases/approveRun.js')),
      ...(await import('../../src/useCases/uploadApprovedRun.js')),
    };
    const UPLOAD_HERE = { enqueueUpload: async () => undefined };
    const world = await startPartnerWorld();
    stopWorld = () => world.stop();
    const { outcome, plan } = await validateRun(world.services, BENCH_ACTOR, 'all');
    if (!outcome.ok) throw new Error(outcome.message);
    operations = plan?.operations.length ?? 0;
    const approver = { id: 'cli:bench-approver' };
    await runs.requestUpload(world.services, BENCH_ACTOR, outcome.run.id);
    await runs.approveRun({ planning: world.services, queue: UPLOAD_HERE }, approver, outcome.run.id);
    world.sandbox.controls.setLatency(UPLOAD_LATENCY_MS);
    uploadRunning = true;
    upload = runs
      .uploadApprovedRun(world.services, approver, outcome.run.id)
      .finally(() => (uploadRunning = false));
    // let it get going before the commands arrive
    await new Promise((r) => setTimeout(r, 2_000));
  }
  const config = loadConfig({
    DATABASE_URL: process.env.BOT_DATABASE_URL!,
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: process.env.SLACK_API_URL!,
    ADMIN_USERS: 'slack:T1:UADMIN',
  });
  const bot = await startBot(config, {
    // logs as in production (info, JSON), to a file: stdout carries this role's answers
    logger: createLogger({
      level: 'info',
      format: 'json',
      secrets: config.secrets,
      destination: fs.createWriteStream(path.join(os.tmpdir(), `bench-bot-${process.pid}.log`)),
    }),
  });
  console.log(JSON.stringify({ url: bot.http.url, uploadOperations: operations }));
  process.stdin.once('data', () => {
    void (async () => {
      const running = uploadRunning;
      // a bounded stop: the figures are taken already
      await Promise.race([bot.stop(), new Promise((r) => setTimeout(r, 3_000))]);
      // the upload is not waited for: it has done its part (it ran while the commands came in)
      void upload?.catch(() => undefined);
      await Promise.race([stopWorld?.(), new Promise((r) => setTimeout(r, 5_000))]);
      console.log(JSON.stringify({ uploadRunningAtEnd: running, uploadOperations: operations }));
      process.exit(0);
    })();
  });
}

async function boltRole() {
  const receiver = new bolt.ExpressReceiver({ signingSecret: SECRET });
  const app = new bolt.App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B1', botUserId: 'U1', teamId: 'T1' }),
    logLevel: bolt.LogLevel.ERROR,
  });
  app.command('/autotask', async ({ ack }) => {
    await ack();
  });
  const server = express().use(receiver.router).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
  process.stdin.once('data', () => {
    server.close();
    console.log('{}');
    process.exit(0);
  });
}

async function slackRole() {
  const recorder = await startRecordingSlackServer();
  console.log(JSON.stringify({ apiUrl: recorder.apiUrl, responseUrl: recorder.responseUrl('X') }));
  // one command a line: `wait <response id prefix> <count>` answers once that many answers
  // arrived (or says it gave up); `stop` stops
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, prefix, count] = line.trim().split(' ');
    if (command === 'wait') {
      const answer = await recorder
        .waitFor(
          (c) => c.method === 'response_url' && String(c.responseId).startsWith(prefix!),
          Number(count),
          60_000,
        )
        .then(
          (calls) => ({ ok: true, received: calls.length }),
          (error: Error) => ({ ok: false, error: error.message }),
        );
      console.log(JSON.stringify(answer));
      continue;
    }
    break;
  }
  await recorder.close();
  console.log('{}');
  process.exit(0);
}

const role = process.argv[2];
if (role === 'slack') await slackRole();
else if (role === 'bot') await botRole();
else if (role === 'bolt') await boltRole();
else await main();
