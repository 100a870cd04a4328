// The per-person budget of expensive commands, on an injected clock: N in any 60 seconds, the
// refusal says when the next one fits, people do not share a window, admins are not limited.
import { CommandRateLimiter } from '../../../src/chat/commandRateLimiter.js';

function limiter(viewerPerMinute = 10, operatorPerMinute = 30) {
  const clock = { ms: 1_000_000 };
  const limits = new CommandRateLimiter({ viewerPerMinute, operatorPerMinute }, { nowMs: () => clock.ms });
  return { limits, clock };
}

describe('CommandRateLimiter', () => {
  it('admits ten commands of a viewer in a minute and refuses the eleventh, saying when to try again', () => {
    const { limits, clock } = limiter();
    for (let i = 0; i < 10; i++) {
      expect(limits.admit('slack:T1:UVIEW', 'viewer')).toEqual({ ok: true });
      clock.ms += 2_000;
    }
    // the first command was 20 s ago: it leaves the window in 40 s
    expect(limits.admit('slack:T1:UVIEW', 'viewer')).toEqual({
      ok: false,
      retryAfterSeconds: 40,
      limit: 10,
      first: true,
    });
    clock.ms += 39_000;
    expect(limits.admit('slack:T1:UVIEW', 'viewer')).toMatchObject({
      ok: false,
      retryAfterSeconds: 1,
      first: false,
    });
    clock.ms += 1_000;
    expect(limits.admit('slack:T1:UVIEW', 'viewer')).toEqual({ ok: true });
    // the slot freed by the first command is taken again; the second command leaves 2 s later
    expect(limits.admit('slack:T1:UVIEW', 'viewer')).toMatchObject({
      ok: false,
      retryAfterSeconds: 2,
      first: true,
    });
  });

  it('refusals are not counted: a person hammering the bot is admitted again once the window moved', () => {
    const { limits, clock } = limiter(3);
    for (let i = 0; i < 3; i++) expect(limits.admit('cli:victor', 'viewer').ok).toBe(true);
    for (let i = 0; i < 500; i++) {
      clock.ms += 100;
      expect(limits.admit('cli:victor', 'viewer').ok).toBe(false);
    }
    clock.ms += 10_000; // 60 s after the three admitted commands
    expect(limits.admit('cli:victor', 'viewer').ok).toBe(true);
  });

  it('each identity has its own window', () => {
    const { limits } = limiter(2);
    expect(limits.admit('slack:T1:UVIEW', 'viewer').ok).toBe(true);
    expect(limits.admit('slack:T1:UVIEW', 'viewer').ok).toBe(true);
    expect(limits.admit('slack:T1:UVIEW', 'viewer').ok).toBe(false);
    expect(limits.admit('slack:T1:UOTHER', 'viewer').ok).toBe(true);
    expect(limits.admit('teams:tenant:UVIEW', 'viewer').ok).toBe(true);
  });

  it('operators and approvers have the operator limit; admins and a limit of 0 are unlimited', () => {
    const { limits } = limiter(1, 3);
    expect(limits.limitOf('viewer')).toBe(1);
    expect(limits.limitOf(undefined)).toBe(1);
    expect(limits.limitOf('operator')).toBe(3);
    expect(limits.limitOf('approver')).toBe(3);
    expect(limits.limitOf('admin')).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(limits.admit('slack:T1:UOPS', 'operator').ok).toBe(true);
    expect(limits.admit('slack:T1:UOPS', 'operator').ok).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limits.admit('slack:T1:UADMIN', 'admin').ok).toBe(true);
    const off = limiter(0, 0).limits;
    for (let i = 0; i < 100; i++) expect(off.admit('slack:T1:UVIEW', 'viewer').ok).toBe(true);
  });

  it('forgets idle people, so many identities do not grow it without bound', () => {
    const { limits, clock } = limiter(1);
    for (let i = 0; i < 1_001; i++) limits.admit(`slack:T1:U${i}`, 'viewer');
    clock.ms += 60_000;
    limits.admit('slack:T1:ULAST', 'viewer');
    limits.admit('slack:T1:ULAST2', 'viewer');
    const held = (limits as unknown as { windows: Map<string, unknown> }).windows;
    expect(held.size).toBeLessThanOrEqual(2);
    // a pruned person starts with a full budget, as a window that emptied would
    expect(limits.admit('slack:T1:U0', 'viewer').ok).toBe(true);
  });
});
