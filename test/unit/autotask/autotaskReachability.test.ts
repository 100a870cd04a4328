// The readiness view of Autotask: a recent request's outcome stands for the window, else one
// probe is made (shared by callers arriving together) and kept for the window; which failures
// mean "cannot work with Autotask now".
import {
  AutotaskReachability,
  reachabilityOfFailure,
  type Reachability,
} from '../../../src/autotask/autotaskReachability.js';

function fakeProbe(answers: Reachability[]) {
  const probe = { calls: 0, fn: async () => answers[Math.min(probe.calls++, answers.length - 1)]! };
  return probe;
}

describe('AutotaskReachability', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('answers from the last request while it is inside the window, without probing', async () => {
    const probe = fakeProbe([{ reachable: true }]);
    const reach = new AutotaskReachability(probe.fn, 60_000, clock);
    reach.record({ reachable: false, reason: 'AUTOTASK_UNREACHABLE' });
    now += 59_999;
    expect(await reach.check()).toEqual({ reachable: false, reason: 'AUTOTASK_UNREACHABLE' });
    reach.record({ reachable: true });
    expect(await reach.check()).toEqual({ reachable: true });
    expect(probe.calls).toBe(0);
  });

  it('probes once the last outcome is older than the window, and keeps the probe for the window', async () => {
    const probe = fakeProbe([{ reachable: false, reason: 'AUTOTASK_TIMEOUT' }, { reachable: true }]);
    const reach = new AutotaskReachability(probe.fn, 60_000, clock);
    expect(await reach.check()).toEqual({ reachable: false, reason: 'AUTOTASK_TIMEOUT' });
    now += 30_000;
    expect(await reach.check()).toEqual({ reachable: false, reason: 'AUTOTASK_TIMEOUT' });
    expect(probe.calls).toBe(1);
    now += 30_000;
    expect(await reach.check()).toEqual({ reachable: true });
    expect(probe.calls).toBe(2);
  });

  it('shares one probe among checks that arrive together', async () => {
    let release!: (r: Reachability) => void;
    let calls = 0;
    const reach = new AutotaskReachability(
      () => {
        calls++;
        return new Promise<Reachability>((resolve) => (release = resolve));
      },
      60_000,
      clock,
    );
    const both = Promise.all([reach.check(), reach.check(), reach.check()]);
    release({ reachable: true });
    expect(await both).toEqual([{ reachable: true }, { reachable: true }, { reachable: true }]);
    expect(calls).toBe(1);
  });
});

describe('reachabilityOfFailure', () => {
  it.each([
    ['AUTOTASK_UNREACHABLE', undefined],
    ['AUTOTASK_TIMEOUT', undefined],
    ['AUTOTASK_OUTCOME_UNKNOWN', 504],
    ['AUTOTASK_AUTH_SECRET', 401],
    ['AUTOTASK_AUTH_UNKNOWN_USER', 404],
    ['AUTOTASK_AUTH_INTEGRATION_CODE', 500],
    ['AUTOTASK_UNEXPECTED', 502],
  ] as const)('%s (HTTP %s): not reachable, the code named', (code, status) => {
    const outcome = reachabilityOfFailure(code, status);
    expect(outcome.reachable).toBe(false);
    expect(!outcome.reachable && outcome.reason).toContain(code);
  });

  it.each([
    ['AUTOTASK_BUSINESS_RULE', 500],
    ['AUTOTASK_NOT_FOUND', 404],
    ['AUTOTASK_THREAD_LIMIT', 429],
    ['AUTOTASK_PERMISSION', 403],
    ['AUTOTASK_UNEXPECTED', 400],
  ] as const)('%s (HTTP %s): Autotask answered, so it is reachable', (code, status) => {
    expect(reachabilityOfFailure(code, status)).toEqual({ reachable: true });
  });
});
