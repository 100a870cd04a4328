import { parkingGateway } from '../../../src/jobs/shutdownGateway.js';
import type { AutotaskGateway } from '../../../src/sync/autotaskGateway.js';

const inner: AutotaskGateway = {
  contractServices: async () => ({ ok: true, value: [] }),
  contractServiceUnits: async () => ({ ok: true, value: [] }),
  createContractService: async () => ({ ok: true, value: { contractServiceId: 1 } }),
  createAdjustment: async () => ({ ok: true, value: { itemId: 1 } }),
};
const adjustment = { contractId: 100, contractServiceId: 1, effectiveDate: '2026-01-05', unitChange: 1 };

describe('parkingGateway', () => {
  it('is at its safe point once a call is held back and none is in flight (one lane: the executor between rounds)', async () => {
    const stopping = new AbortController();
    const parking = parkingGateway(inner, stopping.signal);
    await parking.gateway.createAdjustment(adjustment);
    expect(parking.atSafePoint()).toBe(false);
    stopping.abort();
    void parking.gateway.contractServices([100]);
    expect(parking.atSafePoint()).toBe(true);
  });

  it('with lanes of concurrent sends, waits until every open lane is held back or closed', async () => {
    const stopping = new AbortController();
    const parking = parkingGateway(inner, stopping.signal);
    parking.lanes.opened();
    parking.lanes.opened();
    stopping.abort();
    void parking.gateway.createAdjustment(adjustment); // lane 1 is held back
    // lane 2 is between two calls (writing the ledger row of its last one): not safe yet
    expect(parking.atSafePoint()).toBe(false);
    void parking.gateway.createAdjustment(adjustment); // lane 2 is held back too
    expect(parking.atSafePoint()).toBe(true);
  });

  it('counts a lane that ran out of work as settled', () => {
    const stopping = new AbortController();
    const parking = parkingGateway(inner, stopping.signal);
    parking.lanes.opened();
    parking.lanes.opened();
    stopping.abort();
    void parking.gateway.createAdjustment(adjustment);
    expect(parking.atSafePoint()).toBe(false);
    parking.lanes.closed();
    expect(parking.atSafePoint()).toBe(true);
  });
});
