// The scheduled pull of a subscription source on a real job worker (Agenda on PostgreSQL) over
// the Pax8 stand-in: `source add` puts the daily job an hour before the daily validations; the
// job stores the pull; a source that stays down is retried by the policy and then reaches the
// notification channel once, with a "Try again" command; refused credentials notify at once.
import { JOB } from '../../../src/jobs/jobNames.js';
import type { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { startPax8StandIn, type Pax8StandIn } from '../../../src/sandbox/pax8/pax8StandIn.js';
import { randomPax8World } from '../../../src/sandbox/pax8/randomPax8World.js';
import { createPax8Connector } from '../../../src/sources/pax8/pax8Connector.js';
import { pullSource } from '../../../src/useCases/pullSource.js';
import { addSource, listSources, sourceEnabled } from '../../../src/useCases/sourceRegistry.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestScheduler } from '../../helpers/jobsHarness.js';
import { RecordingNotifier } from '../../helpers/recordingNotifier.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const ADMIN = { id: 'cli:admin' };
const SCHEDULER = { id: 'system:source-pull' };

let db: TestDatabase;
let standIn: Pax8StandIn;
let jobs: JobScheduler;
let notifier: RecordingNotifier;
let secret: string;

beforeAll(async () => {
  db = await createTestDatabase();
  standIn = await startPax8StandIn({
    world: randomPax8World({ seed: 3, companies: 6, subscriptions: 30, days: 2 }),
  });
  secret = standIn.clientSecret;
  // the connector reads `secret` at each pull: a test can make the credentials wrong
  const connector = () =>
    createPax8Connector(
      { clientId: standIn.clientId, clientSecret: secret, baseUrl: standIn.url, tokenUrl: standIn.tokenUrl },
      { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } },
    );
  notifier = new RecordingNotifier();
  jobs = await startTestScheduler({
    databaseUrl: db.url,
    prisma: db.prisma,
    notifier,
    sources: {
      pull: (source) =>
        pullSource({ prisma: db.prisma, connectors: { pax8: connector() } }, { source, actor: SCHEDULER }),
      enabled: (source) => sourceEnabled(db.prisma, source),
    },
  });
  const added = await addSource(
    {
      prisma: db.prisma,
      connectors: { pax8: connector() },
      modes: { pax8: 'stand-in' },
      pullCron: '0 1 * * *',
      queue: async () => jobs,
    },
    { source: 'pax8', actor: ADMIN },
  );
  expect(added.ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await standIn?.close();
  await db?.drop();
});

const pulls = () => db.prisma.sourcePull.findMany({ orderBy: { startedAt: 'asc' } });

describe('the scheduled source pull', () => {
  it('is a daily job at 01:00 UTC once the source is added', async () => {
    const next = await jobs.nextSourcePullAt('pax8');
    expect(next?.toISOString()).toMatch(/T01:00:00\.000Z$/);
    const [pax8] = await listSources({
      prisma: db.prisma,
      connectors: {},
      modes: {},
      pullCron: '0 1 * * *',
      queue: async () => jobs,
    });
    expect(pax8).toMatchObject({ source: 'pax8', enabled: true, addedBy: 'cli:admin', cron: '0 1 * * *' });
  });

  it('stores what the source holds, as the scheduler, audited', async () => {
    await jobs.enqueueSourcePull('pax8');
    const [pull] = await eventually('the pull is recorded', async () => {
      const done = (await pulls()).filter((p) => p.outcome !== 'running');
      return done.length > 0 ? done : null;
    });
    expect(pull).toMatchObject({ outcome: 'ok', actorId: 'system:source-pull', customers: 6 });
    expect(pull!.eventsNew).toBeGreaterThan(30);
    expect(await db.prisma.subscription.count({ where: { origin: 'pax8' } })).toBe(pull!.subscriptions);
    expect(
      await db.prisma.auditRecord.count({
        where: { action: 'source.pulled', actorId: 'system:source-pull' },
      }),
    ).toBe(1);
  });

  it('retries a source that is down, then notifies once with the command to try again', async () => {
    const before = (await pulls()).length;
    // every attempt of the job (3 in the test policy) meets a 503 on each of its 2 requests
    standIn.controls.fail(1_000, 503);
    await jobs.enqueueSourcePull('pax8');
    const notice = await eventually('the failure notice', async () => notifier.of('failure')[0]);
    expect(notice.retryCommand).toBe('source sync pax8');
    expect(notice.what).toContain('failed 3 times');
    expect(notice.errors[0]?.code).toBe('SOURCE_UNREACHABLE');
    expect(notifier.of('failure')).toHaveLength(1);
    const failed = (await pulls()).slice(before);
    expect(failed.map((p) => p.outcome)).toEqual(['failed', 'failed', 'failed']);
    const executions = await db.prisma.jobExecution.findMany({ where: { jobName: JOB.pullSource } });
    expect(executions.filter((e) => e.outcome === 'failed')).toHaveLength(3);
    standIn.controls.fail(0, 503);
  });

  it('notifies refused credentials at once, naming the settings, without retrying', async () => {
    notifier.notices.length = 0;
    const before = (await pulls()).length;
    secret = 'not-the-secret';
    await jobs.enqueueSourcePull('pax8');
    const notice = await eventually('the failure notice', async () => notifier.of('failure')[0]);
    expect(notice.errors[0]?.code).toBe('SOURCE_AUTH_FAILED');
    expect(notice.errors[0]?.hint).toContain('PAX8_CLIENT_SECRET');
    expect((await pulls()).slice(before).map((p) => p.outcome)).toEqual(['failed']);
    secret = standIn.clientSecret;
  });
});
