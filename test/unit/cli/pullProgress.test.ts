import { pullProgressLines } from '../../../src/cli/pullProgress.js';

describe('pull progress on a terminal', () => {
  it('says each new phase, then at most one line per interval, and the end of a phase', () => {
    const lines: string[] = [];
    let t = 0;
    const report = pullProgressLines(
      (line) => lines.push(line),
      () => t,
      2_000,
    );
    report({ phase: 'customers', done: 50, total: 50 });
    for (let done = 1; done <= 500; done++) {
      t += 10; // 5 s in all
      report({ phase: 'history', done, total: 500 });
    }
    report({ phase: 'activity', done: 7 });
    expect(lines).toEqual([
      '… customers: 50 of 50',
      '… history: 1 of 500',
      '… history: 201 of 500',
      '… history: 401 of 500',
      '… history: 500 of 500',
      '… activity: 7',
    ]);
  });
});
