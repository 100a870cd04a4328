// Works through items with at most `lanes` of them in progress at once, each lane taking the next
// item in the given order when it is free. The upload sends independent chains of operations this
// way. When one item fails, the lanes take no further items (the work already started is told
// through `stopped` and ends at its next check), every lane is awaited, and the first error is
// thrown — nothing keeps running behind the caller's back.
export interface LaneActivity {
  /** a lane starts taking items */
  opened(): void;
  /** a lane has no more items (it never closes while its item is still at work) */
  closed(): void;
}

export async function runLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T, stopped: AbortSignal) => Promise<void>,
  activity?: LaneActivity,
): Promise<void> {
  if (!Number.isInteger(lanes) || lanes < 1) throw new Error('runLanes needs at least 1 lane');
  const stop = new AbortController();
  const errors: unknown[] = [];
  let next = 0;
  const lane = async () => {
    activity?.opened();
    try {
      while (!stop.signal.aborted && next < items.length) {
        const item = items[next++]!;
        try {
          await work(item, stop.signal);
        } catch (error) {
          errors.push(error);
          stop.abort();
        }
      }
    } finally {
      activity?.closed();
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
}
