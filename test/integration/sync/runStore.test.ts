import type { Actor } from '../../../src/audit/actor.js';
import { listAudit } from '../../../src/audit/auditLog.js';
import { problem } from '../../../src/core/problem.js';
import { encodeHistory } from '../../../src/sync/encodeHistory.js';
import {
  loadRunOperations,
  markDone,
  markFailed,
  markSending,
  markSkipped,
} from '../../../src/sync/operationLedger.js';
import { planUpload } from '../../../src/sync/planUpload.js';
import { z } from 'zod';
import { writeSetting } from '../../../src/settings/settingsStore.js';
import { DEFAULT_RUN_POLICY, FOUR_EYES_SETTING } from '../../../src/sync/runPolicy.js';
import {
  approveRun,
  finishUpload,
  getRun,
  recordValidation,
  rejectRun,
  requestUpload,
  startUpload,
  startValidation,
} from '../../../src/sync/runStore.js';
import { CUSTOMER, TARGETS, created, quantity, subscription } from '../../helpers/syncFixtures.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const alice: Actor = { id: 'cli:alice', name: 'Alice' };
const bob: Actor = { id: 'slack:T1:U2', name: 'Bob' };
const HOUR = 3_600_000;
const t0 = new Date('2026-11-25T09:00:00Z');
const policy = DEFAULT_RUN_POLICY;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

function plan(hash: string, sub = 'sub-1') {
  const encoded = encodeHistory({
    customerId: CUSTOMER,
    cutoverDate: null,
    asOf: '2026-11-25',
    subscriptions: [subscription({ id: sub })],
    events: [created('2026-01-05', 5, sub), quantity('2026-02-01', 5, 7, sub)],
    targets: TARGETS,
    pushed: [],
    knownLines: [],
    existingLines: [],
  });
  return planUpload([{ customerId: CUSTOMER, customerName: 'Acme', findings: [], blocked: false, encoded }], {
    planHash: hash,
    budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.5 },
  });
}

async function requestedRun(hash = 'hash-1', sub = 'sub-1') {
  const run = await startValidation(db.prisma, alice, CUSTOMER);
  const validated = await recordValidation(db.prisma, run.id, plan(hash, sub), alice);
  expect(validated).toMatchObject({ ok: true, run: { state: 'validated_clean', planHash: hash } });
  const requested = await requestUpload(db.prisma, run.id, alice, { currentPlanHash: hash, now: t0, policy });
  expect(requested).toMatchObject({ ok: true, run: { state: 'upload_requested', requestedBy: alice.id } });
  return run.id;
}

const actions = async (runId: string) =>
  (await listAudit(db.prisma, { runId, limit: 100 })).reverse().map((r) => `${r.action}:${r.outcome}`);

describe('runs: state machine, approval and audit in the database', () => {
  it('goes validating → validated → requested → approved → uploading → succeeded, auditing each move', async () => {
    const runId = await requestedRun();
    expect(await loadRunOperations(db.prisma, runId)).toHaveLength(3);
    const approved = await approveRun(db.prisma, runId, bob, {
      currentPlanHash: 'hash-1',
      now: new Date(t0.getTime() + HOUR),
      policy,
    });
    expect(approved).toMatchObject({ ok: true, run: { state: 'approved', decidedBy: bob.id } });
    const started = await startUpload(db.prisma, runId, bob, {
      currentPlanHash: 'hash-1',
      now: new Date(t0.getTime() + 2 * HOUR),
      policy,
    });
    expect(started).toMatchObject({ ok: true, run: { state: 'uploading' } });
    const finished = await finishUpload(db.prisma, runId, bob, {
      outcome: 'succeeded',
      counts: { done: 3 },
      now: t0,
    });
    expect(finished).toMatchObject({ ok: true, run: { state: 'succeeded' } });
    expect(await actions(runId)).toEqual([
      'validation.started:ok',
      'validation.finished:ok',
      'upload.requested:ok',
      'upload.approved:ok',
      'upload.started:ok',
      'upload.finished:ok',
    ]);
  });

  it('refuses the requester approving their own run (four eyes), with a message and an audit record', async () => {
    const runId = await requestedRun();
    const refused = await approveRun(db.prisma, runId, alice, { currentPlanHash: 'hash-1', now: t0, policy });
    expect(refused).toEqual({
      ok: false,
      code: 'FOUR_EYES',
      message: expect.stringMatching(/another approver/),
      hint: expect.stringMatching(/another approver/),
    });
    expect((await getRun(db.prisma, runId))!.state).toBe('upload_requested');
    const [denied] = await listAudit(db.prisma, { runId, action: 'upload.approve' });
    expect(denied).toMatchObject({ actorId: alice.id, outcome: 'denied', details: { code: 'FOUR_EYES' } });
    // with four eyes switched off (the setting, which the database reads too) the requester may approve
    await writeSetting(db.prisma, FOUR_EYES_SETTING, z.boolean(), false, bob);
    try {
      const allowed = await approveRun(db.prisma, runId, alice, {
        currentPlanHash: 'hash-1',
        now: t0,
        policy,
      });
      expect(allowed).toMatchObject({ ok: true, run: { state: 'approved' } });
    } finally {
      await writeSetting(db.prisma, FOUR_EYES_SETTING, z.boolean(), true, bob);
    }
  });

  it('refuses a stale plan, with a message and an audit record', async () => {
    const runId = await requestedRun();
    const refused = await approveRun(db.prisma, runId, bob, { currentPlanHash: 'hash-2', now: t0, policy });
    expect(refused).toMatchObject({
      ok: false,
      code: 'PLAN_STALE',
      message: expect.stringMatching(/stale/),
      hint: expect.stringMatching(/validate again/),
    });
    const [denied] = await listAudit(db.prisma, { runId, action: 'upload.approve' });
    expect(denied).toMatchObject({ outcome: 'denied', details: { code: 'PLAN_STALE' } });
    expect((await getRun(db.prisma, runId))!.state).toBe('upload_requested');
  });

  it('expires a request not approved within 24 hours, with a message and audit records', async () => {
    const runId = await requestedRun();
    const refused = await approveRun(db.prisma, runId, bob, {
      currentPlanHash: 'hash-1',
      now: new Date(t0.getTime() + 25 * HOUR),
      policy,
    });
    expect(refused).toMatchObject({
      ok: false,
      code: 'APPROVAL_EXPIRED',
      message: expect.stringMatching(/expired/),
    });
    expect((await getRun(db.prisma, runId))!.state).toBe('expired');
    expect((await actions(runId)).slice(-2)).toEqual(['upload.expired:ok', 'upload.approve:denied']);
  });

  it('expires an approval whose upload did not start within 24 hours', async () => {
    const runId = await requestedRun();
    await approveRun(db.prisma, runId, bob, { currentPlanHash: 'hash-1', now: t0, policy });
    const refused = await startUpload(db.prisma, runId, bob, {
      currentPlanHash: 'hash-1',
      now: new Date(t0.getTime() + 24 * HOUR + 1000),
      policy,
    });
    expect(refused).toMatchObject({ ok: false, code: 'APPROVAL_EXPIRED' });
    expect((await getRun(db.prisma, runId))!.state).toBe('expired');
  });

  it('makes one decision when two approvers click at the same moment', async () => {
    const runId = await requestedRun();
    const carol: Actor = { id: 'teams:t1:carol' };
    const results = await Promise.all([
      approveRun(db.prisma, runId, bob, { currentPlanHash: 'hash-1', now: t0, policy }),
      approveRun(db.prisma, runId, carol, { currentPlanHash: 'hash-1', now: t0, policy }),
      rejectRun(db.prisma, runId, carol, { now: t0, reason: 'wrong customer' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.prisma.syncDecision.count({ where: { runId } })).toBe(1);
    const decided = (await actions(runId)).filter((a) => /approved:ok|rejected:ok/.test(a));
    expect(decided).toHaveLength(1);
  });

  it('refuses moves the state machine does not allow', async () => {
    const run = await startValidation(db.prisma, alice, CUSTOMER);
    await recordValidation(db.prisma, run.id, plan('h'), alice);
    const refused = await approveRun(db.prisma, run.id, bob, { currentPlanHash: 'h', now: t0, policy });
    expect(refused).toMatchObject({
      ok: false,
      code: 'RUN_STATE',
      message: expect.stringMatching(/validated/),
    });
    const missing = await approveRun(db.prisma, 'r-nope', bob, { currentPlanHash: 'h', now: t0, policy });
    expect(missing).toMatchObject({ ok: false, code: 'RUN_NOT_FOUND' });
  });
});

describe('operation ledger', () => {
  it('never lets a done operation be sent again, by any run', async () => {
    const first = await requestedRun('same');
    const second = await requestedRun('same');
    const [op1] = await loadRunOperations(db.prisma, first);
    const [op2] = await loadRunOperations(db.prisma, second);
    expect(op1!.key).toBe(op2!.key);
    await db.prisma.syncRun.updateMany({
      where: { id: { in: [first, second] } },
      data: { executionId: 'x-1' },
    });
    expect(await markSending(db.prisma, op1!, 'x-1')).toEqual({ ok: true });
    // while the first run is sending it, the second cannot
    expect(await markSending(db.prisma, op2!, 'x-1')).toEqual({
      ok: false,
      heldBy: { runId: first, status: 'sending' },
    });
    expect(await markDone(db.prisma, op1!, bob, { contractServiceId: 900, how: 'sent' })).toBe(true);
    expect(await markSending(db.prisma, op2!, 'x-1')).toEqual({
      ok: false,
      heldBy: { runId: first, status: 'done' },
    });
    // the database itself refuses, whatever code path tries
    await expect(
      db.prisma.$executeRawUnsafe(`UPDATE sync_operations SET status = 'done' WHERE id = ${op2!.id}`),
    ).rejects.toThrow(/unique|duplicate/i);
    const [record] = await listAudit(db.prisma, { runId: first, action: 'operation.done' });
    expect(record).toMatchObject({ details: { key: op1!.key, how: 'sent', contractServiceId: 900 } });
    expect(await db.prisma.syncLine.findUnique({ where: { lineKey: op1!.lineKey } })).toMatchObject({
      contractServiceId: 900,
    });
  });

  it('moves every row by compare-and-set: a move from a status the row no longer has changes nothing', async () => {
    const runId = await requestedRun('cas', 'sub-cas');
    await db.prisma.syncRun.update({ where: { id: runId }, data: { executionId: 'x-2' } });
    // an adjustment of this run's own subscription (the line's creation is shared with earlier tests)
    const read = (await loadRunOperations(db.prisma, runId)).find((o) => o.kind === 'adjust');
    // another execution of the run (or a stale one) cannot claim it
    expect(await markSending(db.prisma, read!, 'x-other')).toEqual({ ok: false, moved: true });
    expect(await markSending(db.prisma, read!, 'x-2')).toEqual({ ok: true });
    // the same read, used again (a second executor that read it as planned): moved on, not sent
    expect(await markSending(db.prisma, read!, 'x-2')).toEqual({ ok: false, moved: true });
    expect(await markSkipped(db.prisma, read!, bob, problem('ALREADY_DONE', 'stale', ''))).toBe(false);
    expect(await markDone(db.prisma, read!, bob, { contractServiceId: 901, how: 'sent' })).toBe(true);
    // sending → done happens once; the loser's transaction (audit, line) is rolled back
    expect(await markDone(db.prisma, read!, bob, { contractServiceId: 902, how: 'sent' })).toBe(false);
    expect(await markFailed(db.prisma, read!, bob, problem('AUTOTASK_FAILED', 'late', ''))).toBe(false);
    const after = (await loadRunOperations(db.prisma, runId)).find((o) => o.id === read!.id);
    expect(after).toMatchObject({ status: 'done', contractServiceId: 901, attempts: 1 });
    expect(await listAudit(db.prisma, { runId, action: 'operation.done' })).toHaveLength(1);
    expect(await listAudit(db.prisma, { runId, action: 'operation.failed' })).toHaveLength(0);
  });
});
