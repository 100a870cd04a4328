// The per-conversation throttle on a fake clock: no more than 7 calls start in any second of one
// conversation, other conversations are not held up, and a 429 is retried after Retry-After.
import { ConversationThrottle } from '../../../../src/chat/teams/conversationThrottle.js';

function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  return {
    nowMs: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

class Status429 extends Error {
  statusCode = 429;
  response = { headers: { get: (name: string) => (name === 'retry-after' ? '2' : undefined) } };
}

describe('ConversationThrottle', () => {
  it('starts at most 7 calls per second in one conversation', async () => {
    const clock = fakeClock();
    const throttle = new ConversationThrottle({ nowMs: clock.nowMs, sleep: clock.sleep });
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, () => throttle.run('c1', async () => started.push(clock.nowMs()))),
    );
    expect(started).toHaveLength(30);
    for (let i = 0; i + 7 < started.length; i++)
      expect(started[i + 7]! - started[i]!).toBeGreaterThanOrEqual(1000);
    expect(throttle.stats.maxPerSecond.c1).toBe(7);
    expect(throttle.stats.sent).toBe(30);
  });

  it('does not hold one conversation up for another', async () => {
    const clock = fakeClock();
    const throttle = new ConversationThrottle({ nowMs: clock.nowMs, sleep: clock.sleep });
    const order: string[] = [];
    await Promise.all([
      ...Array.from({ length: 7 }, () => throttle.run('busy', async () => order.push('busy'))),
      throttle.run('quiet', async () => order.push('quiet')),
    ]);
    expect(clock.slept).toEqual([]);
    expect(order).toContain('quiet');
  });

  it('backs off after a 429 (Retry-After honoured) and delivers; gives up after its retries', async () => {
    const clock = fakeClock();
    const throttle = new ConversationThrottle({ nowMs: clock.nowMs, sleep: clock.sleep, retries: 3 });
    let calls = 0;
    const result = await throttle.run('c1', async () => {
      if (++calls <= 2) throw new Status429('Too Many Requests');
      return 'sent';
    });
    expect(result).toBe('sent');
    expect(throttle.stats.throttled429).toBe(2);
    expect(clock.slept.filter((ms) => ms >= 2000)).toHaveLength(2);

    await expect(
      throttle.run('c1', async () => {
        throw new Status429('Too Many Requests');
      }),
    ).rejects.toThrow('Too Many Requests');
    const other = new Error('bad request') as Error & { statusCode: number };
    other.statusCode = 400;
    let tries = 0;
    await expect(
      throttle.run('c1', async () => {
        tries++;
        throw other;
      }),
    ).rejects.toThrow('bad request');
    expect(tries).toBe(1);
  });
});
