// The MongoDB backend against a real MongoDB — only when MONGODB_URL names one (no MongoDB server
// runs on this project's machines). It queues and delivers a notice and keeps a schedule, with
// the bot's PostgreSQL still holding everything else (and the upload lock).
import { JobScheduler } from '../../../src/jobs/jobScheduler.js';
import { chooseJobsBackend } from '../../../src/jobs/jobsBackend.js';
import { RecordingNotifier } from '../../helpers/recordingNotifier.js';
import { listSchedules } from '../../../src/useCases/listSchedules.js';
import { createSchedule } from '../../../src/useCases/scheduleValidation.js';
import { removeSchedule } from '../../../src/useCases/unschedule.js';
import { createLogger } from '../../../src/observability/logger.js';
import { eventually } from '../../helpers/eventually.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const MONGODB_URL = process.env.MONGODB_URL;
// Jest has no skip decided at run time, so the reason is both the skipped test's name (listed
// by --verbose and in the summary's count) and a line printed to the run output.
const SKIP_REASON =
  'MONGODB_URL is not set, so the MongoDB jobs backend was not run against a server; run it with MONGODB_URL=mongodb://host:27017/agenda_test npm test -- test/integration/jobs/mongoBackend.test.ts';

if (!MONGODB_URL) {
  process.stdout.write(`SKIPPED test/integration/jobs/mongoBackend.test.ts: ${SKIP_REASON}\n`);
  it.skip(`MongoDB jobs backend — skipped: ${SKIP_REASON}`, () => undefined);
} else {
  let db: TestDatabase;
  let jobs: JobScheduler;
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    db = await createTestDatabase();
    const backend = chooseJobsBackend({ jobsDatabaseUrl: MONGODB_URL, databaseUrl: db.url });
    expect(backend.kind).toBe('mongo');
    jobs = await JobScheduler.create({
      prisma: db.prisma,
      logger: createLogger({ level: 'silent', format: 'json', secrets: [] }),
      notifier,
      backend,
      databaseUrl: db.url,
      autotask: undefined,
      workerName: 'mongo-worker',
      processEveryMs: 200,
      lockLifetimeMs: 3_000,
    });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs?.stop();
    await db?.drop();
  });

  it('delivers a queued notice through MongoDB', async () => {
    await jobs.notify(`mongo-${Date.now()}`, {
      kind: 'outcome',
      runId: 'r-mongo',
      outcome: 'succeeded',
      summary: 'delivered through the MongoDB backend',
    });
    await eventually('the notice', async () => notifier.of('outcome').length === 1);
  });

  it('keeps a schedule as a repeating job in MongoDB', async () => {
    const created = await createSchedule(
      { prisma: db.prisma, queue: jobs },
      { target: { all: true }, cadence: 'weekly', actor: { id: 'cli:admin' } },
    );
    if (!created.ok) throw new Error(created.message);
    expect((await listSchedules({ prisma: db.prisma, queue: jobs }))[0]!.nextRunAt).not.toBeNull();
    expect(
      await removeSchedule(
        { prisma: db.prisma, queue: jobs },
        { id: created.schedule.id, actor: { id: 'cli:admin' } },
      ),
    ).toBe(true);
    expect(await jobs.nextRunAt(created.schedule.id)).toBeNull();
  });
}
