// The watch jobs' bodies with plain functions for their dependencies: the monthly reconciliation
// posts one notice per month (or a failure notice with a Retry), Autotask being unreachable is a
// JobError the job policy retries; the drift watch passes each warning on as a drift notice.
import { problem, type Problem } from '../../../src/core/problem.js';
import { JobError } from '../../../src/jobs/jobError.js';
import type { Notice } from '../../../src/jobs/notifier.js';
import { runDriftWatch, runReconcileMonth, type WatchJobDependencies } from '../../../src/jobs/watchJobs.js';
import type { ReconciliationSummary } from '../../../src/reconciliation/reconciliationSummary.js';
import type { DriftWarningData, DriftWatchSummary } from '../../../src/useCases/watchDrift.js';

// one line of 220.00 expected, 250.00 billed: +30.00
const summaryOf = (month: string): ReconciliationSummary => ({
  month,
  scopeLabel: 'all customers',
  customers: 1,
  lineCount: 1,
  differing: 1,
  totals: { expected: '220.00', billed: '250.00', variance: '30.00' },
  reasons: { 'hand-edit': 1 },
  largest: [],
  skipped: [],
  skippedCount: 0,
  csv: { url: null, problem: null },
});

type Reconcile = WatchJobDependencies['reconcile'];
type WatchDrift = WatchJobDependencies['watchDrift'];

function harness(options: { reconcile?: Reconcile; watchDrift?: WatchDrift; failNotify?: boolean } = {}) {
  const notified: { key: string; notice: Notice }[] = [];
  const asked: (string | null)[] = [];
  const deps = {
    reconcileCron: '0 6 2 * *',
    driftCron: '0 5 * * *',
    reconcile: async (month: string | null) => {
      asked.push(month);
      return (
        options.reconcile ?? (async (m) => ({ ok: true as const, summary: summaryOf(m ?? '2026-10') }))
      )(month);
    },
    watchDrift:
      options.watchDrift ??
      (async (): Promise<DriftWatchSummary> => ({
        watched: 0,
        drifted: 0,
        told: 0,
        cleared: 0,
        unreadable: [],
      })),
    notify: async (key: string, notice: Notice) => {
      if (options.failNotify) throw new Error('NOTIFIER_UNREACHABLE: outbox down');
      notified.push({ key, notice });
    },
  };
  return { deps, notified, asked };
}

const refusing =
  (p: Problem): Reconcile =>
  async () => ({ ok: false, problem: p });

describe('runReconcileMonth', () => {
  it('posts one reconciliation notice keyed by the month and returns the counts', async () => {
    const { deps, notified, asked } = harness();
    const result = await runReconcileMonth(deps, { month: '2026-09' });
    expect(asked).toEqual(['2026-09']);
    expect(notified).toEqual([
      { key: 'reconciliation:2026-09', notice: { kind: 'reconciliation', summary: summaryOf('2026-09') } },
    ]);
    expect(result).toEqual({ month: '2026-09', lines: 1, differing: 1 });
  });

  it('without a month asks for the last one and keys the notice by the month it got', async () => {
    const { deps, notified, asked } = harness();
    await runReconcileMonth(deps, {});
    await runReconcileMonth(deps, { month: null });
    // absent and null both mean "the month that ended last": the use case picks 2026-10
    expect(asked).toEqual([null, null]);
    expect(notified.map((n) => n.key)).toEqual(['reconciliation:2026-10', 'reconciliation:2026-10']);
  });

  it('throws a JobError AUTOTASK_UNREACHABLE for the job policy to retry, telling nobody', async () => {
    const down = problem('AUTOTASK_UNREACHABLE', 'Autotask did not answer', 'check the network');
    const { deps, notified } = harness({ reconcile: refusing(down) });
    const error = await runReconcileMonth(deps, { month: '2026-10' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobError);
    expect((error as JobError).code).toBe('AUTOTASK_UNREACHABLE');
    expect((error as JobError).problem).toEqual(down);
    expect(notified).toEqual([]);
  });

  it('any other problem is a failure notice whose Retry reconciles the same month again', async () => {
    const invalid = problem(
      'RECONCILE_MONTH_INVALID',
      '2027-01 has not ended yet',
      'reconcile a month that ended',
    );
    const { deps, notified } = harness({ reconcile: refusing(invalid) });
    const result = await runReconcileMonth(deps, { month: '2027-01' });
    expect(result).toEqual({ outcome: 'failed', code: 'RECONCILE_MONTH_INVALID' });
    expect(notified).toEqual([
      {
        key: 'reconciliation:2027-01:RECONCILE_MONTH_INVALID',
        notice: {
          kind: 'failure',
          runId: null,
          customerName: 'all customers',
          what: 'the monthly reconciliation could not run: 2027-01 has not ended yet',
          errors: [invalid],
          retryCommand: 'reconcile all 2027-01',
        },
      },
    ]);
  });

  it('a failure without a month retries `reconcile all` and is keyed "last"', async () => {
    const p = problem('ARTIFACTS_UNAVAILABLE', 'no store', 'set ARTIFACTS_DIR');
    const { deps, notified } = harness({ reconcile: refusing(p) });
    await runReconcileMonth(deps, {});
    expect(notified.map((n) => n.key)).toEqual(['reconciliation:last:ARTIFACTS_UNAVAILABLE']);
    expect(notified[0]!.notice).toMatchObject({ kind: 'failure', retryCommand: 'reconcile all' });
  });

  it('a notice that cannot be stored fails the job', async () => {
    const { deps } = harness({ failNotify: true });
    await expect(runReconcileMonth(deps, { month: '2026-10' })).rejects.toThrow('NOTIFIER_UNREACHABLE');
  });
});

const warning = (customerId: string, customerName: string): DriftWarningData => ({
  customerId,
  customerName,
  lines: [
    {
      productName: 'Microsoft 365 Business Premium',
      billingCycle: 'monthly',
      contractServiceId: 501,
      since: '2026-03-05',
      detail: 'on 2026-03-05 Autotask has 10 units, this system pushed 8',
    },
  ],
  correctionCommand: `validate ${customerId}`,
});

describe('runDriftWatch', () => {
  it('passes each warning on as a drift notice under the key it was told with', async () => {
    const acme = warning('c-acme', 'Acme Corp');
    const bravo = warning('c-bravo', 'Bravo Ltd');
    const { deps, notified } = harness({
      watchDrift: async (tell) => {
        await tell('drift:c-acme:f1:0', acme);
        await tell('drift:c-bravo:f2:17', bravo);
        return { watched: 3, drifted: 2, told: 2, cleared: 1, unreadable: [] };
      },
    });
    const result = await runDriftWatch(deps);
    expect(notified).toEqual([
      { key: 'drift:c-acme:f1:0', notice: { kind: 'drift', ...acme } },
      { key: 'drift:c-bravo:f2:17', notice: { kind: 'drift', ...bravo } },
    ]);
    expect(result).toEqual({ watched: 3, drifted: 2, told: 2, cleared: 1, unreadable: 0 });
  });

  it('nothing drifted: nothing told', async () => {
    const { deps, notified } = harness();
    expect(await runDriftWatch(deps)).toEqual({ watched: 0, drifted: 0, told: 0, cleared: 0, unreadable: 0 });
    expect(notified).toEqual([]);
  });

  it('unreadable customers fail the job with AUTOTASK_UNREACHABLE after the readable ones were told', async () => {
    const acme = warning('c-acme', 'Acme Corp');
    const { deps, notified } = harness({
      watchDrift: async (tell) => {
        await tell('drift:c-acme:f1:0', acme);
        return {
          watched: 3,
          drifted: 1,
          told: 1,
          cleared: 0,
          unreadable: [
            { customerName: 'Bravo Ltd', message: 'Autotask did not answer' },
            { customerName: 'Charlie', message: 'timeout' },
          ],
        };
      },
    });
    const error = await runDriftWatch(deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobError);
    expect((error as JobError).code).toBe('AUTOTASK_UNREACHABLE');
    // the count and the first unreadable customer are named
    expect((error as JobError).problem.message).toBe(
      'Autotask could not be read for 2 customer(s) (Bravo Ltd: Autotask did not answer)',
    );
    expect(notified).toEqual([{ key: 'drift:c-acme:f1:0', notice: { kind: 'drift', ...acme } }]);
  });

  it('a warning whose notice cannot be stored fails the watch at that warning (the job retries)', async () => {
    let toldAfterFailure = false;
    const { deps } = harness({
      failNotify: true,
      watchDrift: async (tell) => {
        await tell('drift:c-acme:f1:0', warning('c-acme', 'Acme Corp'));
        toldAfterFailure = true;
        return { watched: 1, drifted: 1, told: 1, cleared: 0, unreadable: [] };
      },
    });
    await expect(runDriftWatch(deps)).rejects.toThrow('NOTIFIER_UNREACHABLE');
    expect(toldAfterFailure).toBe(false);
  });
});
