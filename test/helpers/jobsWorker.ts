// A real job worker process for the e2e job tests: a JobScheduler on the test database and the
// sandbox, with the validate use case mapping every customer to the fixture targets. Prints
// `ready`, then every notice as a JSON line; on SIGTERM it stops gracefully and exits 0.
// Usage: node --import tsx test/helpers/jobsWorker.ts '<json {databaseUrl, zoneUrl, worker}>'
import { z } from 'zod';
import { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { createPrismaClient } from '../../src/db/prismaClient.js';
import { autotaskDatabaseKey } from '../../src/autotask/autotaskDatabaseKey.js';
import { ConsoleNotifier } from '../../src/jobs/consoleNotifier.js';
import { JobScheduler } from '../../src/jobs/jobScheduler.js';
import { chooseJobsBackend } from '../../src/jobs/jobsBackend.js';
import { createLogger } from '../../src/observability/logger.js';
import { clientAutotaskGateway } from '../../src/sync/clientAutotaskGateway.js';
import { readAutotaskSnapshots } from '../../src/sync/readAutotaskState.js';
import { TEST_CREDENTIALS } from './autotaskSandbox.js';
import { TARGETS } from './syncFixtures.js';

const Args = z.object({ databaseUrl: z.string(), zoneUrl: z.string(), worker: z.string() });
const parsed = Args.safeParse(JSON.parse(process.argv[2] ?? 'null'));
if (!parsed.success) {
  process.stderr.write('usage: jobsWorker \'{"databaseUrl": "...", "zoneUrl": "...", "worker": "w1"}\'\n');
  process.exit(2);
}
const { databaseUrl, zoneUrl, worker } = parsed.data;
const prisma = createPrismaClient(databaseUrl, { poolSize: 3 });
const client = new AutotaskClient({
  ...TEST_CREDENTIALS,
  zoneUrl,
  maxInFlightPerEndpoint: 2,
  budgetShare: 0.5,
  timeoutMs: 2_000,
  retry: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 8 },
});
const write = (line: string) => process.stdout.write(`${line}\n`);
const jobs = await JobScheduler.create({
  prisma,
  logger: createLogger({ level: 'warn', format: 'json', secrets: [] }),
  notifier: new ConsoleNotifier(write, 'json'),
  backend: chooseJobsBackend({ jobsDatabaseUrl: undefined, databaseUrl }),
  databaseUrl,
  autotask: {
    gateway: clientAutotaskGateway(client),
    databaseKey: autotaskDatabaseKey({ zoneUrl, username: TEST_CREDENTIALS.username }),
  },
  planning: {
    prisma,
    resolveMapping: async (ids) => new Map(ids.map((id) => [id, { targets: TARGETS, findings: [] }])),
    readAutotask: (requests) => readAutotaskSnapshots(client, requests),
    budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.1 },
  },
  workerName: worker,
  processEveryMs: 300,
  lockLifetimeMs: 4_000,
});
await jobs.start();
write('ready');
process.once('SIGTERM', () => {
  void jobs
    .stop()
    .then(() => prisma.$disconnect())
    .then(() => {
      write('stopped');
      process.exit(0);
    });
});
