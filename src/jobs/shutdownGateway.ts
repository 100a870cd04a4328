// The upload's safe point at shutdown. Once the worker is stopping, a gateway call that has not
// been sent yet is never sent: it waits forever, and the job is handed back to the queue. Calls
// already in flight finish and their ledger rows are written; whatever is left `sending` is
// resolved from Autotask's units timeline by the next worker (the ledger makes resuming safe).
// The executor sends on several lanes at once: the point is safe only once every open lane is
// held back (a lane between two calls may still be writing the ledger row of the first).
import type { LaneActivity } from '../concurrency/runLanes.js';
import type { AutotaskGateway } from '../sync/autotaskGateway.js';

export interface ParkingGateway {
  gateway: AutotaskGateway;
  /** the executor's lanes of concurrent sends (UploadDependencies.lanes) */
  lanes: LaneActivity;
  /** true once a call has been held back and none is in flight: nothing more will be sent */
  atSafePoint(): boolean;
}

export function parkingGateway(inner: AutotaskGateway, stopping: AbortSignal): ParkingGateway {
  let inFlight = 0;
  let parked = 0;
  let openLanes = 0;
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (stopping.aborted) {
        parked += 1;
        return new Promise<R>(() => undefined);
      }
      inFlight += 1;
      try {
        return await call(...args);
      } finally {
        inFlight -= 1;
      }
    };
  return {
    gateway: {
      contractServices: wrap((ids) => inner.contractServices(ids)),
      contractServiceUnits: wrap((ids) => inner.contractServiceUnits(ids)),
      createContractService: wrap((r) => inner.createContractService(r)),
      createAdjustment: wrap((r) => inner.createAdjustment(r)),
    },
    lanes: { opened: () => (openLanes += 1), closed: () => (openLanes -= 1) },
    // a held-back call never returns, so each open lane is held back at most once
    atSafePoint: () => parked > 0 && inFlight === 0 && parked >= openLanes,
  };
}
