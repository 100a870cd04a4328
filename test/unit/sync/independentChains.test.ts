import { independentChains } from '../../../src/sync/independentChains.js';

const op = (seq: number, subscriptionId: string, contractId: number, serviceId: number) => ({
  seq,
  subscriptionId,
  contractId,
  serviceId,
});
const seqs = (chains: { seq: number }[][]) => chains.map((c) => c.map((o) => o.seq));

describe('independentChains', () => {
  it('puts each subscription on its own service in a chain of its own, in plan order', () => {
    const ops = [op(1, 'a', 100, 11), op(2, 'b', 100, 12), op(3, 'a', 100, 11), op(4, 'c', 200, 11)];
    expect(seqs(independentChains(ops))).toEqual([[1, 3], [2], [4]]);
  });

  it('joins subscriptions that share a service on a contract (a repeat line needs the base line)', () => {
    const ops = [op(1, 'a', 100, 11), op(2, 'b', 100, 12), op(3, 'c', 100, 11), op(4, 'a', 100, 11)];
    expect(seqs(independentChains(ops))).toEqual([[1, 3, 4], [2]]);
  });

  it('joins transitively: a subscription moving to another service brings that service’s chain along', () => {
    const ops = [
      op(1, 'a', 100, 11),
      op(2, 'b', 100, 12),
      op(3, 'c', 200, 13),
      op(4, 'a', 100, 12), // a also touches b's service
      op(5, 'd', 200, 14),
    ];
    expect(seqs(independentChains(ops))).toEqual([[1, 2, 4], [3], [5]]);
  });

  it('keeps plan order within a chain whatever order the operations come in', () => {
    const ops = [op(5, 'a', 100, 11), op(2, 'b', 100, 11), op(9, 'c', 300, 1), op(1, 'a', 100, 11)];
    expect(seqs(independentChains(ops))).toEqual([[1, 2, 5], [9]]);
  });

  it('answers no chain for no operation', () => {
    expect(independentChains([])).toEqual([]);
  });
});
