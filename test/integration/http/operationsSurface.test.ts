// The operations surface of the running bot (startBot, docs/operations.md), over real HTTP:
// /healthz answers with no dependency; /readyz names database, jobs and Autotask and answers 503
// naming what fails (the database refusing connections, the job worker stopped); /metrics is
// Prometheus text behind METRICS_TOKEN whose counters move with real work — a Slack signed
// request, an ingest import, an upload through the sandbox; every request has an id, echoed, in
// its error answer and on the log lines written while handling it.
import pg from 'pg';
import { loadConfig } from '../../../src/config.js';
import { JOB } from '../../../src/jobs/jobNames.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { CollectingStream } from '../../helpers/collectingStream.js';
import { eventually } from '../../helpers/eventually.js';
import { parsePrometheusText, sampleValue } from '../../helpers/prometheusText.js';
import { startRecordingSlackServer, type RecordingSlackServer } from '../../helpers/recordingSlackServer.js';
import { postSigned, slashCommandBody, type SlackUser } from '../../helpers/signedSlackRequests.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const SECRET = 'operations-surface-signing-secret';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const INGEST_KEY = 'ingest-key-0123456789abcdef';
const ADMIN: SlackUser = { team: 'T1', user: 'UADMIN' };
const APPROVER: SlackUser = { team: 'T1', user: 'UAPP' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let db: TestDatabase;
let recorder: RecordingSlackServer;
let bot: RunningBot;
const logs = new CollectingStream();
let sequence = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  recorder = await startRecordingSlackServer();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    AUTOTASK_MODE: 'sandbox',
    DEMO_PARTNER: 'on',
    SLACK_BOT_TOKEN: 'xoxb-operations-surface',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: recorder.apiUrl,
    ADMIN_USERS: 'slack:T1:UADMIN',
    INGEST_API_KEY: INGEST_KEY,
    METRICS_TOKEN,
  });
  bot = await startBot(config, {
    logger: createLogger({ level: 'info', format: 'json', secrets: config.secrets, destination: logs }),
  });
}, 90_000);
afterAll(async () => {
  await bot?.stop();
  await recorder?.close();
  await db?.drop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${bot.http.url}${path}`, { headers });
const metricsText = async () => {
  const res = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
  expect(res.status).toBe(200);
  return res.text();
};
const logLines = () =>
  logs
    .text()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function slash(who: SlackUser, text: string): Promise<string> {
  const id = `ops-${++sequence}`;
  const body = slashCommandBody({ who, text, responseUrl: recorder.responseUrl(id), channel: 'COPS' });
  expect(await postSigned(`${bot.http.url}/slack/events`, body, { secret: SECRET })).toEqual({
    status: 200,
    text: '',
  });
  const [answer] = await recorder.waitFor((c) => c.responseId === id, 1, 60_000);
  return JSON.stringify(answer!.body.blocks ?? answer!.body.text);
}

/**
 * New connections to the bot's database refused, and the idle ones cut — all but the job queue's
 * LISTEN connection, whose loss is another story than "the database does not answer"; or
 * connections allowed again.
 */
async function databaseConnections(allowed: boolean): Promise<void> {
  const name = new URL(db.url).pathname.slice(1);
  const server = new URL(process.env.TEST_DATABASE_SERVER_URL!);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allowed ? 'true' : 'false'}`);
    if (!allowed)
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND state = 'idle' AND query NOT ILIKE 'LISTEN%'`,
        [name],
      );
  } finally {
    await admin.end();
  }
}

const event = (id: string, over: Record<string, unknown> = {}) => ({
  eventId: `${id}-created`,
  customer: { name: 'Metrics Test Co', externalId: 'metrics-tenant-1' },
  subscription: {
    id,
    product: 'Microsoft 365 E3',
    billingCycle: 'monthly',
    billingType: 'quantity',
    currency: 'USD',
  },
  date: '2025-01-01',
  kind: 'created',
  quantityAfter: 10,
  priceAfter: '36.00',
  ...over,
});
const ingest = (events: unknown[]) =>
  fetch(`${bot.http.url}/api/ingest/events`, {
    method: 'POST',
    body: JSON.stringify({ source: 'ops-test', events }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_KEY}` },
  });

describe('health and readiness', () => {
  it('/healthz: the process answers, nothing else asked', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz: 200 with every check, Autotask reported as the sandbox', async () => {
    const res = await get('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', jobs: 'ok', autotask: 'sandbox' },
    });
  });
});

describe('/metrics', () => {
  it('asks for METRICS_TOKEN, then serves Prometheus text with the process metrics of this bot', async () => {
    const refused = await get('/metrics', { 'x-request-id': 'metrics-refused-1' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    expect(await refused.json()).toMatchObject({ error: 'UNAUTHORIZED', requestId: 'metrics-refused-1' });
    expect((await get('/metrics', { authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);

    const res = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheusText(await res.text());
    expect(types.get('autotask_bot_process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('autotask_bot_autotask_requests_total')).toBe('counter');
    expect(types.get('autotask_bot_chat_ack_duration_seconds')).toBe('histogram');
    expect(types.get('autotask_bot_upload_duration_seconds')).toBe('histogram');
    expect(types.get('autotask_bot_autotask_hourly_budget_used_ratio')).toBe('gauge');
    expect(samples.some((s) => s.name === 'autotask_bot_process_resident_memory_bytes')).toBe(true);
  });

  it('counts Slack requests (signed and refused) with their ack latency', async () => {
    const before = await metricsText();
    const ok = (t: string) =>
      sampleValue(t, 'autotask_bot_chat_requests_total', { platform: 'slack', status: '200' });
    const refused = (t: string) =>
      sampleValue(t, 'autotask_bot_chat_requests_total', { platform: 'slack', status: '401' });
    const acks = (t: string) =>
      sampleValue(t, 'autotask_bot_chat_ack_duration_seconds_count', { platform: 'slack' });

    expect(await slash(ADMIN, 'roles')).toContain('slack:T1:UADMIN');
    const unsigned = await fetch(`${bot.http.url}/slack/events`, {
      method: 'POST',
      body: 'command=%2Fautotask&text=help',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(unsigned.status).toBe(401);

    const after = await metricsText();
    expect(ok(after) - ok(before)).toBe(1);
    expect(refused(after) - refused(before)).toBe(1);
    expect(acks(after) - acks(before)).toBe(2);
  });

  it('counts import rows accepted and refused by the ingest API', async () => {
    const rows = (t: string, outcome: string) =>
      sampleValue(t, 'autotask_bot_import_rows_total', { channel: 'ingest_events', outcome });
    const before = await metricsText();
    expect((await ingest([event('ops-a'), event('ops-b')])).status).toBe(200);
    expect((await ingest([event('ops-c'), event('ops-d', { date: 'not-a-date' })])).status).toBe(400);
    const after = await metricsText();
    expect(rows(after, 'accepted') - rows(before, 'accepted')).toBe(2);
    expect(rows(after, 'refused') - rows(before, 'refused')).toBe(1);
  });

  it('counts an upload through the sandbox: its outcome, duration, operations, job run and Autotask writes', async () => {
    const before = await metricsText();
    expect(await slash(ADMIN, 'grant slack:T1:UAPP approver')).toContain('is now approver');
    // Acme's Copilot has no exact match in the demo tenant: map it, then validate and request
    expect(await slash(ADMIN, 'map acme product "Microsoft 365 Copilot" service 1004')).toContain(
      'service 1004',
    );
    const validation = await slash(ADMIN, 'validate acme');
    const runId = /(r-[0-9a-f]{8})/.exec(validation)![1]!;
    expect(await slash(ADMIN, `upload ${runId}`)).toContain('requested');
    expect(await slash(APPROVER, `approve ${runId}`)).toContain('You approved run');
    await eventually(
      'the upload to succeed',
      async () => (await bot.services.chat.getRun!({ runId }))?.state === 'succeeded',
      120_000,
    );
    const done = await db.prisma.syncOperationRecord.count({ where: { runId, status: 'done' } });
    expect(done).toBeGreaterThan(0);

    // the job's run is counted once it has finished recording itself
    const uploadRuns = (t: string) =>
      sampleValue(t, 'autotask_bot_job_runs_total', { job: JOB.uploadRun, outcome: 'succeeded' });
    const after = await eventually('the upload job counted', async () => {
      const text = await metricsText();
      return uploadRuns(text) - uploadRuns(before) === 1 ? text : undefined;
    });
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('autotask_bot_uploads_total', { outcome: 'succeeded' })).toBe(1);
    expect(delta('autotask_bot_upload_duration_seconds_count', { outcome: 'succeeded' })).toBe(1);
    expect(delta('autotask_bot_operations_total', { outcome: 'done' })).toBe(done);
    expect(delta('autotask_bot_operations_total', { outcome: 'not_done' })).toBe(0);
    expect(delta('autotask_bot_job_failures_total', { job: JOB.uploadRun })).toBe(0);
    // every write the sandbox received was counted, with its answer's status
    const writes = Object.entries(bot.autotask.sandbox!.controls.counters().byEndpoint)
      .filter(([label]) => label.startsWith('POST Contracts/'))
      .reduce((n, [, count]) => n + count, 0);
    expect(writes).toBeGreaterThan(0);
    const countedWrites = parsePrometheusText(after)
      .samples.filter(
        (s) =>
          s.name === 'autotask_bot_autotask_requests_total' &&
          (s.labels.endpoint ?? '').startsWith('POST Contracts/'),
      )
      .reduce((n, s) => n + s.value, 0);
    expect(countedWrites).toBe(writes);
    expect(sampleValue(after, 'autotask_bot_autotask_hourly_budget_used_ratio')).toBeGreaterThan(0);
  }, 240_000);
});

describe('request id', () => {
  it('echoes a sane X-Request-Id and puts it in the error answer', async () => {
    const res = await get('/no/such/route', { 'x-request-id': 'ops-req-42' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('ops-req-42');
    expect(await res.json()).toEqual({
      error: 'NOT_FOUND',
      message: 'No such route.',
      requestId: 'ops-req-42',
    });
  });

  it('makes a new id for a missing or unsafe one', async () => {
    const cases: Record<string, string>[] = [
      {},
      { 'x-request-id': 'has spaces; and more' },
      { 'x-request-id': 'x'.repeat(200) },
    ];
    for (const headers of cases) {
      const res = await get('/no/such/route', headers);
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(UUID);
      expect(((await res.json()) as { requestId: string }).requestId).toBe(id);
    }
  });

  it('is on the log lines written while handling the request, deep inside too', async () => {
    const unsigned = (headers: Record<string, string>) =>
      fetch(`${bot.http.url}/slack/events`, {
        method: 'POST',
        body: 'command=%2Fautotask&text=help',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    const refused = await unsigned({ 'x-request-id': 'slack-unsigned-7' });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      error: 'SLACK_SIGNATURE_INVALID',
      requestId: 'slack-unsigned-7',
    });
    const other = await unsigned({});
    const otherId = other.headers.get('x-request-id')!;
    expect(otherId).toMatch(UUID);
    const linesOf = (id: string) => logLines().filter((l) => l.requestId === id);
    await eventually('both requests logged', async () =>
      ['slack-unsigned-7', otherId].every((id) => linesOf(id).some((l) => l.msg === 'http')),
    );
    // the receiver's own warning, written without being handed the id, carries its request's
    expect(linesOf('slack-unsigned-7').map((l) => l.msg)).toEqual(['slack request refused', 'http']);
    expect(linesOf(otherId).map((l) => l.msg)).toEqual(['slack request refused', 'http']);
  });
});

describe('readiness when a dependency fails', () => {
  it('503 naming the database while it refuses connections; ready again once it accepts them', async () => {
    await databaseConnections(false);
    try {
      const res = await get('/readyz', { 'x-request-id': 'readyz-db-down' });
      expect(res.status).toBe(503);
      const body = (await res.json()) as Record<string, unknown> & { checks: Record<string, string> };
      expect(body).toMatchObject({
        status: 'not_ready',
        error: 'NOT_READY',
        checks: { database: 'failing', autotask: 'sandbox' },
        failing: { database: expect.any(String) },
        requestId: 'readyz-db-down',
      });
      expect(body.message).toContain('database');
      // liveness does not depend on the database
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      await databaseConnections(true);
    }
    await eventually(
      'ready again',
      async () => ((await get('/readyz')).status === 200 ? true : undefined),
      30_000,
    );
  });

  it('503 naming the job worker once it is stopped', async () => {
    await bot.jobs.stop();
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'not_ready',
      checks: { database: 'ok', jobs: 'failing', autotask: 'sandbox' },
      failing: { jobs: expect.stringContaining('stopping') },
    });
  });
});
