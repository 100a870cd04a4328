// A real upload worker process for the crash test: runs executeUpload for one run against the
// sandbox and the test database, then exits. The test kills it with SIGKILL at random points.
// Usage: node --import tsx test/helpers/uploadWorker.ts <databaseUrl> <zoneUrl> <runId>
import { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { createPrismaClient } from '../../src/db/prismaClient.js';
import { clientAutotaskGateway } from '../../src/sync/clientAutotaskGateway.js';
import { executeUpload } from '../../src/sync/executeUpload.js';
import { TEST_CREDENTIALS } from './autotaskSandbox.js';

const [databaseUrl, zoneUrl, runId] = process.argv.slice(2);
if (!databaseUrl || !zoneUrl || !runId) {
  process.stderr.write('usage: uploadWorker <databaseUrl> <zoneUrl> <runId>\n');
  process.exit(2);
}
const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
const client = new AutotaskClient({
  ...TEST_CREDENTIALS,
  zoneUrl,
  maxInFlightPerEndpoint: 2,
  budgetShare: 0.5,
  timeoutMs: 2_000,
  retry: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 8 },
});
await prisma.$queryRaw`SELECT 1`;
process.stdout.write('ready\n');
const report = await executeUpload(
  { prisma, gateway: clientAutotaskGateway(client), actor: { id: 'system:upload-worker' } },
  runId,
);
process.stdout.write(`${JSON.stringify(report)}\n`);
await prisma.$disconnect();
process.exit(0);
