import { InFlightWork } from '../../../src/concurrency/inFlightWork.js';

describe('InFlightWork', () => {
  it('is idle at once when nothing is under way', async () => {
    await expect(new InFlightWork().idle()).resolves.toBeUndefined();
  });

  it('becomes idle only after every tracked piece of work has settled, failures included', async () => {
    const work = new InFlightWork();
    const finish: Array<() => void> = [];
    const started = (fails: boolean) =>
      work.track(
        () =>
          new Promise<void>((resolve, reject) => finish.push(fails ? () => reject(new Error('x')) : resolve)),
      );
    const first = started(false);
    const second = started(true).catch(() => 'failed');
    let idle = false;
    const waiting = work.idle().then(() => (idle = true));
    finish[0]!();
    await first;
    expect(idle).toBe(false);
    finish[1]!();
    expect(await second).toBe('failed');
    await waiting;
    expect(idle).toBe(true);
  });
});
