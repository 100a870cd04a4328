// Four eyes against a race: one person sends `upload <run>` and `approve <run>` a few
// milliseconds apart. The decision is taken by the UPDATE that records it (and the database
// refuses a self-approved row), so however the two interleave the run is never approved by its
// requester while four eyes is on — and with `sync.four_eyes` off, the same person may approve.
import type { Actor } from '../../../src/audit/actor.js';
import { listAudit } from '../../../src/audit/auditLog.js';
import { encodeHistory } from '../../../src/sync/encodeHistory.js';
import { planUpload } from '../../../src/sync/planUpload.js';
import { DEFAULT_RUN_POLICY, FOUR_EYES_SETTING } from '../../../src/sync/runPolicy.js';
import {
  approveRun,
  getRun,
  recordValidation,
  requestUpload,
  startValidation,
  type RunOutcome,
} from '../../../src/sync/runStore.js';
import { writeSetting } from '../../../src/settings/settingsStore.js';
import { z } from 'zod';
import pg from 'pg';
import { CUSTOMER, TARGETS, created, subscription } from '../../helpers/syncFixtures.js';
import { seededRandom } from '../../helpers/seededRandom.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const mallory: Actor = { id: 'slack:T1:UMAL', name: 'Mallory' };
const admin: Actor = { id: 'cli:admin' };
const ROUNDS = 200;
const check = { currentPlanHash: 'h', now: new Date('2026-11-25T09:00:00Z'), policy: DEFAULT_RUN_POLICY };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const plan = planUpload(
  [
    {
      customerId: CUSTOMER,
      customerName: 'Acme',
      findings: [],
      blocked: false,
      encoded: encodeHistory({
        customerId: CUSTOMER,
        cutoverDate: null,
        asOf: '2026-11-25',
        subscriptions: [subscription()],
        events: [created('2026-01-05', 5)],
        targets: TARGETS,
        pushed: [],
        knownLines: [],
        existingLines: [],
      }),
    },
  ],
  { planHash: 'h', budget: { requestsPerHour: 5000, inFlight: 2, secondsPerCall: 0.5 } },
);

async function validatedRun(): Promise<string> {
  const run = await startValidation(db.prisma, mallory, CUSTOMER);
  expect(await recordValidation(db.prisma, run.id, plan, mallory)).toMatchObject({ ok: true });
  return run.id;
}

const after = <T>(ms: number, work: () => Promise<T>): Promise<T> =>
  new Promise((resolve, reject) => setTimeout(() => work().then(resolve, reject), ms));

/** how long a request has taken so far (a running mean), to aim approvals at its commit */
const requestTime = {
  total: 0,
  count: 0,
  mean: () => (requestTime.count ? requestTime.total / requestTime.count : 15),
};

/**
 * Fires request and approve by one person, the approval 0–30 ms after the request — on even
 * rounds counted from the request's start, on odd rounds from 15 ms before the moment a request
 * usually commits, so the approval lands on both sides of that commit (where the race is).
 */
async function race(random: () => number, round: number): Promise<{ runId: string; approve: RunOutcome }> {
  const runId = await validatedRun();
  const base = round % 2 === 0 ? 0 : Math.max(0, requestTime.mean() - 15);
  const approveAt = Math.round(base + random() * 30);
  const started = Date.now();
  const [, approve] = await Promise.all([
    requestUpload(db.prisma, runId, mallory, check).then((r) => {
      requestTime.total += Date.now() - started;
      requestTime.count += 1;
      return r;
    }),
    after(approveAt, () => approveRun(db.prisma, runId, mallory, check)),
  ]);
  return { runId, approve };
}

const setFourEyes = (on: boolean) => writeSetting(db.prisma, FOUR_EYES_SETTING, z.boolean(), on, admin);

describe('four eyes under a request/approve race by one person', () => {
  it(`${ROUNDS} races at 0–30 ms offsets: no run is ever approved by its requester`, async () => {
    const random = seededRandom(17);
    const answers: Record<string, number> = {};
    const runIds: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { runId, approve } = await race(random, round);
      runIds.push(runId);
      const code = approve.ok ? 'approved' : approve.code;
      answers[code] = (answers[code] ?? 0) + 1;
    }
    process.stdout.write(`four-eyes race answers: ${JSON.stringify(answers)}\n`);
    const selfApproved = await db.prisma.syncRun.count({
      where: { id: { in: runIds }, state: 'approved' },
    });
    expect(selfApproved).toBe(0);
    expect(answers.approved ?? 0).toBe(0);
    // every approval was answered: refused by four eyes, or too early (not requested yet)
    expect((answers.FOUR_EYES ?? 0) + (answers.RUN_STATE ?? 0)).toBe(ROUNDS);
    // both orders happened, so the race was really run both ways
    expect(answers.FOUR_EYES).toBeGreaterThan(0);
    expect(answers.RUN_STATE).toBeGreaterThan(0);
    const runs = await db.prisma.syncRun.findMany({ where: { id: { in: runIds } } });
    expect(runs.every((r) => r.state === 'upload_requested' || r.state === 'validated_clean')).toBe(true);
    expect(await db.prisma.syncDecision.count({ where: { runId: { in: runIds } } })).toBe(0);
  }, 300_000);

  it('with sync.four_eyes off the requester may approve (and the change of setting is audited)', async () => {
    await setFourEyes(false);
    try {
      const [changed] = await listAudit(db.prisma, { action: 'settings.changed' });
      expect(changed).toMatchObject({
        actorId: admin.id,
        details: { key: FOUR_EYES_SETTING, before: null, after: false },
      });
      const runId = await validatedRun();
      expect(await requestUpload(db.prisma, runId, mallory, check)).toMatchObject({ ok: true });
      expect(await approveRun(db.prisma, runId, mallory, check)).toMatchObject({
        ok: true,
        run: { state: 'approved', requestedBy: mallory.id, decidedBy: mallory.id },
      });
      // raced, too: whenever the approval came after the request, it went through
      const random = seededRandom(71);
      let approved = 0;
      for (let round = 0; round < 20; round++) {
        const { approve } = await race(random, round);
        if (approve.ok) approved += 1;
        else expect(approve.code).toBe('RUN_STATE');
      }
      expect(approved).toBeGreaterThan(0);
    } finally {
      await setFourEyes(true);
    }
  });

  it('the database refuses a direct UPDATE that makes the decider the requester while four eyes is on', async () => {
    const runId = await validatedRun();
    expect(await requestUpload(db.prisma, runId, mallory, check)).toMatchObject({ ok: true });
    await expect(
      db.prisma
        .$executeRaw`UPDATE sync_runs SET state = 'approved', decided_by = requested_by, decided_at = now() WHERE id = ${runId}`,
    ).rejects.toThrow(/FOUR_EYES/);
    expect((await getRun(db.prisma, runId))!.state).toBe('upload_requested');
    // nor can an approval decision by the requester be recorded
    await expect(
      db.prisma.syncDecision.create({ data: { runId, decision: 'approved', actorId: mallory.id } }),
    ).rejects.toThrow(/FOUR_EYES/);
    // an honest approval by someone else, then a rewrite of the decider: refused as well
    expect(await approveRun(db.prisma, runId, { id: 'slack:T1:UBOB' }, check)).toMatchObject({ ok: true });
    await expect(
      db.prisma.$executeRaw`UPDATE sync_runs SET decided_by = requested_by WHERE id = ${runId}`,
    ).rejects.toThrow(/FOUR_EYES/);
    await expect(
      db.prisma.$executeRaw`UPDATE sync_runs SET requested_by = decided_by WHERE id = ${runId}`,
    ).rejects.toThrow(/FOUR_EYES/);
    expect((await getRun(db.prisma, runId))!.decidedBy).toBe('slack:T1:UBOB');
    // with four eyes off the same statement goes through: the rule follows the setting
    await setFourEyes(false);
    try {
      await db.prisma.$executeRaw`UPDATE sync_runs SET decided_by = requested_by WHERE id = ${runId}`;
      expect((await getRun(db.prisma, runId))!.decidedBy).toBe(mallory.id);
    } finally {
      await setFourEyes(true);
    }
  });

  it('a temporary table called settings cannot switch the database rule off for a session', async () => {
    const runId = await validatedRun();
    expect(await requestUpload(db.prisma, runId, mallory, check)).toMatchObject({ ok: true });
    const session = new pg.Client({ connectionString: db.url });
    await session.connect();
    try {
      await session.query(`CREATE TEMP TABLE settings (key text, value jsonb)`);
      await session.query(`INSERT INTO settings VALUES ('sync.four_eyes', 'false')`);
      await expect(
        session.query(
          `UPDATE sync_runs SET state = 'approved', decided_by = requested_by, decided_at = now() WHERE id = $1`,
          [runId],
        ),
      ).rejects.toThrow(/FOUR_EYES/);
    } finally {
      await session.end();
    }
    expect((await getRun(db.prisma, runId))!.state).toBe('upload_requested');
  });
});
