// At most N at a time per key, waiters served first come, first served. The Autotask client keeps
// 2 requests in flight per endpoint (Autotask allows 3 and its counter lags); chat adapters bound
// the work they do after acknowledging a command, so acknowledgements never queue behind it.
export class KeyedSemaphore {
  private readonly busy = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('KeyedSemaphore needs a limit of at least 1');
  }

  async acquire(key: string): Promise<() => void> {
    const busy = this.busy.get(key) ?? 0;
    if (busy < this.limit) {
      this.busy.set(key, busy + 1);
    } else {
      // the releaser hands its slot straight to us, so busy stays at the limit
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.get(key)?.shift();
      if (next) next();
      else this.busy.set(key, (this.busy.get(key) ?? 1) - 1);
    };
  }

  inFlight(key: string): number {
    return this.busy.get(key) ?? 0;
  }
}
