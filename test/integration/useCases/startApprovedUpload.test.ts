// The one way an upload starts, on real PostgreSQL: which runs it starts, which it leaves alone
// (not audited), and what it answers when an approved plan cannot be checked.
import { listAudit } from '../../../src/audit/auditLog.js';
import { getRun } from '../../../src/sync/runStore.js';
import { startApprovedUpload } from '../../../src/useCases/startApprovedUpload.js';
import { approvedRun } from '../../helpers/jobRuns.js';
import { created, subscription } from '../../helpers/syncFixtures.js';
import { APPROVER, RUN_CLOCK } from '../../helpers/syncRuns.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const start = (runId: string, retry: boolean) =>
  startApprovedUpload(
    { prisma: db.prisma, planning: undefined, now: () => RUN_CLOCK },
    { runId, actor: APPROVER, retry },
  );

async function approved(customerId: string): Promise<string> {
  await db.prisma.customer.create({
    data: { id: customerId, name: customerId, externalId: `x-${customerId}` },
  });
  const a = subscription({ id: `${customerId}-a`, customerId });
  const { runId } = await approvedRun(db.prisma, {
    customerId,
    subscriptions: [a],
    events: [created('2026-01-05', 5, a.id)],
    existingLines: [],
  });
  return runId;
}

describe('startApprovedUpload', () => {
  it('skips a run that does not exist, with the hint of RUN_NOT_FOUND', async () => {
    expect(await start('r-nothere', false)).toEqual({
      kind: 'skipped',
      refusal: {
        ok: false,
        code: 'RUN_NOT_FOUND',
        message: 'there is no run r-nothere',
        hint: 'list runs with `runs`',
      },
    });
  });

  it('cannot start an approved run without the validate use case, and changes nothing', async () => {
    const runId = await approved('sau-approved');
    const outcome = await start(runId, false);
    expect(outcome).toMatchObject({ kind: 'unplannable', problem: { code: 'JOBS_PLANNING_UNAVAILABLE' } });
    expect((await getRun(db.prisma, runId))!.state).toBe('approved');
  });

  it('retries a failed upload only when a person asked; resumes one left uploading', async () => {
    const runId = await approved('sau-failed');
    await db.prisma.syncRun.update({ where: { id: runId }, data: { state: 'failed' } });
    expect(await start(runId, false)).toMatchObject({ kind: 'skipped', refusal: { code: 'RUN_STATE' } });
    expect(await listAudit(db.prisma, { runId, action: 'upload.start' })).toEqual([]);
    const retried = await start(runId, true);
    expect(retried).toMatchObject({ kind: 'started', run: { state: 'uploading' } });
    const [started] = await listAudit(db.prisma, { runId, action: 'upload.started' });
    expect(started!.details).toMatchObject({ retry: true });
    expect(await start(runId, false)).toMatchObject({ kind: 'started', run: { state: 'uploading' } });
  });
});
