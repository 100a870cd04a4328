import { runLanes } from '../../../src/concurrency/runLanes.js';

/** A gate per item: the test decides when each item's work ends. */
function gates(n: number) {
  const opened: (() => void)[] = [];
  const promises = Array.from({ length: n }, (_, i) => new Promise<void>((r) => (opened[i] = r)));
  return { wait: (i: number) => promises[i]!, open: (i: number) => opened[i]!() };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('runLanes', () => {
  it('keeps at most `lanes` items at work and takes them in order as lanes free up', async () => {
    const g = gates(4);
    const started: number[] = [];
    let atWork = 0;
    let most = 0;
    const done = runLanes([0, 1, 2, 3], 2, async (i) => {
      started.push(i);
      most = Math.max(most, ++atWork);
      await g.wait(i);
      atWork--;
    });
    await settle();
    expect(started).toEqual([0, 1]);
    g.open(1);
    await settle();
    expect(started).toEqual([0, 1, 2]);
    g.open(0);
    g.open(2);
    g.open(3);
    await done;
    expect(started).toEqual([0, 1, 2, 3]);
    expect(most).toBe(2);
  });

  it('after a failure takes no further item, waits for the work under way and throws the first error', async () => {
    const g = gates(4);
    const started: number[] = [];
    let stoppedSeen = false;
    const done = runLanes([0, 1, 2, 3], 2, async (i, stopped) => {
      started.push(i);
      if (i === 0) throw new Error('boom');
      await g.wait(i);
      stoppedSeen = stopped.aborted;
    });
    const outcome = done.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await settle();
    let finished = false;
    void outcome.then(() => (finished = true));
    await settle();
    expect(finished).toBe(false); // item 1 is still at work
    g.open(1);
    expect(await outcome).toBe('boom');
    expect(started).toEqual([0, 1]);
    expect(stoppedSeen).toBe(true);
  });

  it('tells when each lane opens and closes', async () => {
    const events: string[] = [];
    await runLanes([1, 2, 3], 2, async () => undefined, {
      opened: () => events.push('open'),
      closed: () => events.push('close'),
    });
    expect(events.filter((e) => e === 'open')).toHaveLength(2);
    expect(events.filter((e) => e === 'close')).toHaveLength(2);
  });

  it('refuses fewer than one lane', async () => {
    await expect(runLanes([1], 0, async () => undefined)).rejects.toThrow(/at least 1 lane/);
  });
});
