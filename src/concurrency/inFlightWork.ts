// Counts work under way so a caller can wait until there is none: a drain before shutdown, or a
// test that checks nothing happened once everything that arrived has been handled.

export class InFlightWork {
  private count = 0;
  private waiters: Array<() => void> = [];

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** resolves once no tracked work is under way (at once when there is none) */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
