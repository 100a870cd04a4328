// Probe: no form of a secret is ever written down or sent. Every secret is configured with a `"`,
// a `\`, a `%` and non-ASCII letters; the bot is driven down every path that logs — start-up,
// a configuration error, Autotask refusing the secret (401) or answering an error that echoes
// what it was sent, Slack's Web API answering errors, Teams refusing a token, a job failing —
// and every log line, audit row, job record, stored notice and chat message sent is searched for
// each secret as given, JSON-escaped, percent-encoded and base64 (alone and in Basic auth).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { createLogger } from '../../src/observability/logger.js';
import { clientAutotaskDirectory } from '../../src/app/clientAutotaskDirectory.js';
import { syncDependencies } from '../../src/app/syncDependencies.js';
import type { JobScheduler } from '../../src/jobs/jobScheduler.js';
import { runCliToEnd, startCli, waitFor } from '../helpers/cliProcess.js';
import { CollectingStream } from '../helpers/collectingStream.js';
import { eventually } from '../helpers/eventually.js';
import { startTestScheduler } from '../helpers/jobsHarness.js';
import { postSigned } from '../helpers/signedSlackRequests.js';
import { ADMIN, startSlackHarness, type SlackHarness } from '../helpers/slackBotHarness.js';
import { messageActivity, postActivity } from '../helpers/teamsActivities.js';

/** in every secret; the ones sent in HTTP headers (tokens, Autotask's Secret) keep to Latin-1 */
const HEADER_CORE = 'p"a\\ss%20wörd';
const CORE = `${HEADER_CORE}€`;
const AUTOTASK_USER = 'api@partner.example';
const DB_ROLE = `secrets_probe_${process.pid}`;
const SECRETS = {
  AUTOTASK_SECRET: `at-${HEADER_CORE}-1`,
  SLACK_BOT_TOKEN: `xoxb-${HEADER_CORE}-2`,
  SLACK_SIGNING_SECRET: `sig-${CORE}-3`,
  MICROSOFT_APP_PASSWORD: `ms-${CORE}-4`,
  INGEST_API_KEY: `ingest-${CORE}-5`,
};
const DB_PASSWORD = `db-${CORE}-6`;
const ALL = [...Object.values(SECRETS), DB_PASSWORD];

/** each secret as a careless writer could put it down */
function formsOf(secret: string, user?: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const url = new URL('postgresql://host');
  url.password = secret;
  const forms = [
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    encodeURIComponent(secret),
    encodeURIComponent(secret).toLowerCase(),
    url.password,
    new URLSearchParams({ s: secret }).toString().slice(2),
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
  ];
  if (user) forms.push(Buffer.from(`${user}:${secret}`).toString('base64').replace(/=+$/, ''));
  return forms;
}
const FORMS = [
  ...ALL.flatMap((s) => formsOf(s)),
  ...formsOf(SECRETS.AUTOTASK_SECRET, AUTOTASK_USER),
  ...formsOf(DB_PASSWORD, DB_ROLE),
  // no part of a secret either: every one of them contains this
  ...formsOf(HEADER_CORE),
];

/** the forms of a secret found in a text (an empty list is a pass) */
const leaksIn = (text: string) => [...new Set(FORMS.filter((form) => text.includes(form)))];

/**
 * Autotask as a careless vendor: it knows the API user, and refuses (401) or forbids (403) with
 * a message that echoes the secret it was sent.
 */
async function startEchoingAutotask() {
  const state = { status: 401 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (/zoneInformation/i.test(url.pathname)) {
      res.end(JSON.stringify({ zoneName: 'Echo', url: `${base}/`, webUrl: `${base}/`, ci: 0 }));
      return;
    }
    const said = `Access denied for ${String(req.headers.username)} with secret ${String(req.headers.secret)}`;
    res.statusCode = state.status;
    res.end(JSON.stringify(state.status === 401 ? { Message: said } : { errors: [said] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    zoneUrl: `${base}/atservicesrest/v1.0/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function asServerAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(process.env.TEST_DATABASE_SERVER_URL!);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** the test database reached as a role whose password is one of the secrets */
function roleUrl(testDatabaseUrl: string): string {
  const url = new URL(testDatabaseUrl);
  url.username = DB_ROLE;
  url.password = encodeURIComponent(DB_PASSWORD); // the URL setter leaves "%" as it is, and "%20" would read back as a space
  return url.toString();
}

const log = new CollectingStream();
let autotask: Awaited<ReturnType<typeof startEchoingAutotask>>;
let h: SlackHarness;
let databaseUrl = '';
const processOutputs: string[] = [];

function environment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...SECRETS,
    DATABASE_URL: databaseUrl,
    JOBS_DATABASE_URL: databaseUrl,
    AUTOTASK_MODE: 'live',
    AUTOTASK_USERNAME: AUTOTASK_USER,
    AUTOTASK_INTEGRATION_CODE: 'PARTNER-INTEGRATION',
    AUTOTASK_ZONE_URL: autotask.zoneUrl,
    MICROSOFT_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    MICROSOFT_APP_TENANT_ID: 'tenant-1',
    DEMO_PARTNER: 'off',
    ...extra,
  };
}

beforeAll(async () => {
  autotask = await startEchoingAutotask();
  await asServerAdmin((c) =>
    c.query(`CREATE ROLE ${DB_ROLE} LOGIN SUPERUSER PASSWORD '${DB_PASSWORD.replaceAll("'", "''")}'`),
  );
  h = await startSlackHarness({
    demo: false,
    grantPeople: false,
    logStream: log,
    logLevel: 'debug',
    secret: SECRETS.SLACK_SIGNING_SECRET,
    databaseUrl: (url) => (databaseUrl = roleUrl(url)),
    // Slack's Web API refuses every post to a channel
    slackAnswers: { 'chat.postMessage': { ok: false, error: 'invalid_auth' } },
    // the database URLs come from databaseUrl above
    env: Object.fromEntries(Object.entries(environment()).filter(([name]) => !name.endsWith('DATABASE_URL'))),
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await autotask?.close();
  await asServerAdmin((c) => c.query(`DROP ROLE IF EXISTS ${DB_ROLE}`));
});

describe('no form of a secret is written or sent, on any path', () => {
  it('the bot connected with the database password that holds every awkward character', async () => {
    const [row] = await h.bot.database.prisma.$queryRaw<{ user: string }[]>`SELECT current_user AS user`;
    expect(row?.user).toBe(DB_ROLE);
    expect(h.bot.config.databaseUrl).toBe(databaseUrl);
    expect(await h.bot.database.ping()).toBe(true);
    // start-up logged the configuration (debug) and more
    expect(log.text()).toContain('"msg":"configuration"');
  });

  it('Autotask refusing the secret (401, its text echoing it): chat answers and audit rows', async () => {
    autotask.state.status = 401;
    const { message } = await h.command(ADMIN, 'test');
    expect(JSON.stringify(message.body)).toContain('AUTOTASK_AUTH_SECRET');
  });

  it('Autotask answering an error that echoes the secret (403): chat answers', async () => {
    autotask.state.status = 403;
    const { message } = await h.command(ADMIN, 'test');
    expect(JSON.stringify(message.body)).toContain('AUTOTASK_PERMISSION');
    expect(JSON.stringify(message.body)).toContain('[REDACTED]');
  });

  let jobs: JobScheduler | undefined;
  it('a job failing with that error: job record, audit row, notice, Slack answering errors', async () => {
    autotask.state.status = 403;
    await h.command(ADMIN, 'notify here', { channel: 'CNOTIFY' });
    const customer = await h.db.prisma.customer.create({ data: { name: 'Echo Co', externalId: 'echo-1' } });
    const client = new AutotaskClient({
      username: AUTOTASK_USER,
      secret: SECRETS.AUTOTASK_SECRET,
      integrationCode: 'PARTNER-INTEGRATION',
      zoneUrl: autotask.zoneUrl,
      maxInFlightPerEndpoint: 2,
      budgetShare: 0.5,
      retry: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 2 },
    });
    // this worker (retries in milliseconds) does the bot's jobs from here on; the bot's own
    // retries in minutes, so it stops (its stop is the one bot.stop() calls later)
    await h.bot.jobs.stop();
    jobs = await startTestScheduler({
      databaseUrl,
      prisma: h.db.prisma,
      notifier: h.bot.services.jobsNotifier,
      // the bot's own planning, reading the echoing Autotask
      planning: syncDependencies({
        prisma: h.db.prisma,
        client,
        directory: clientAutotaskDirectory(client),
        autotask: { budgetShare: 0.5, maxInFlightPerEndpoint: 2 },
      }),
      logger: createLogger({ level: 'debug', format: 'json', secrets: [], destination: log }),
    });
    try {
      await jobs.enqueueValidation(customer.id);
      await eventually(
        'the job given up',
        () => h.db.prisma.auditRecord.findFirst({ where: { action: 'job.failed' } }),
        60_000,
      );
      // the failure notice went to the notification channel, and Slack refused it
      await h.recorder.waitFor((c) => c.method === 'chat.postMessage', 1, 30_000);
      await eventually('the refusal logged', async () => log.text().includes('invalid_auth'), 30_000);
    } finally {
      await jobs.stop();
    }
    const failed = await h.db.prisma.jobExecution.findFirst({ where: { outcome: 'failed' } });
    expect(JSON.stringify(failed?.problem)).toContain('[REDACTED]');
  }, 120_000);

  it('Teams refusing a forged token that carries the app password', async () => {
    const activity = messageActivity(
      { tenant: 'tenant-1', aadObjectId: 'aad-x', name: 'X' },
      { serviceUrl: 'http://127.0.0.1:9/' },
      `grant aad-x admin ${SECRETS.MICROSOFT_APP_PASSWORD}`,
    );
    const forged = await postActivity(`${h.bot.http.url}/api/messages`, activity, {
      authorization: `Bearer ${encodeURIComponent(SECRETS.MICROSOFT_APP_PASSWORD)}`,
    });
    expect(forged.status).toBe(401);
    expect(leaksIn(JSON.stringify(forged.body))).toEqual([]);
  });

  it('a Slack request signed with a wrong secret, and one whose text is a secret', async () => {
    const body = new URLSearchParams({ command: '/autotask', text: 'x' }).toString();
    const refused = await postSigned(h.url, body, { secret: `${SECRETS.SLACK_SIGNING_SECRET}-wrong` });
    expect(refused.status).toBe(401);
    // a person pastes a secret into a command: the answer and the audit record do not repeat it
    const { message } = await h.command(ADMIN, `grant <@${SECRETS.SLACK_BOT_TOKEN}> admin`);
    expect(leaksIn(JSON.stringify(message.body))).toEqual([]);
  });

  it('a refused configuration, Autotask refusing the CLI, and a real start-up print none either', async () => {
    const bad = await runCliToEnd(['serve'], environment({ PORT: 'not-a-port', LOG_LEVEL: 'debug' }));
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('PORT');
    processOutputs.push(bad.output);

    autotask.state.status = 401;
    const tested = await runCliToEnd(['test'], environment());
    expect(tested.code).toBe(1);
    expect(tested.output).toContain('AUTOTASK_AUTH_SECRET');
    processOutputs.push(tested.output);

    const serve = startCli(
      ['serve'],
      environment({ PORT: '0', LOG_LEVEL: 'debug', DATA_DIR: h.bot.config.dataDir }),
    );
    try {
      await waitFor(async () => (/listening on/.test(serve.output()) ? true : undefined), 60_000, 'start-up');
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
    expect(serve.output()).toContain('"msg":"configuration"');
    processOutputs.push(serve.output());
  }, 120_000);

  it('finds no form of any secret in any log line, audit row, job record, notice or chat message', async () => {
    const audit = await h.db.prisma.auditRecord.findMany();
    const executions = await h.db.prisma.jobExecution.findMany();
    const notices = await h.db.prisma.$queryRawUnsafe<unknown[]>('SELECT * FROM job_notifications');
    const written = {
      'log lines': log.text(),
      'process output': processOutputs.join('\n'),
      'audit rows': JSON.stringify(audit, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      'job executions': JSON.stringify(executions, (_, v: unknown) =>
        typeof v === 'bigint' ? String(v) : v,
      ),
      'stored notices': JSON.stringify(notices, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      'Slack messages': JSON.stringify(h.recorder.calls.map((c) => c.body)),
    };
    // the paths were really taken
    expect(audit.length).toBeGreaterThan(0);
    expect(log.chunks.length).toBeGreaterThan(20);
    expect(written['log lines']).toContain('[REDACTED]');
    for (const [what, text] of Object.entries(written))
      expect({ what, leaks: leaksIn(text) }).toEqual({ what, leaks: [] });
  });
});
