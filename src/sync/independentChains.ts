// Splits an upload's operations into chains that may be sent at the same time. Two operations
// share a chain when they touch the same service on the same contract (a line's creation and its
// adjustments; a repeat line, which needs the service's base line first) or belong to the same
// subscription (its changes go in plan order and stop at its first failure) — and transitively,
// so a chain owns every line of the (contract, service) pairs it touches. Within a chain the plan
// order is kept; chains come in the plan order of their first operation.
interface ChainMember {
  seq: number;
  subscriptionId: string;
  contractId: number;
  serviceId: number;
}

export function independentChains<T extends ChainMember>(ops: readonly T[]): T[][] {
  const parent = new Map<string, string>();
  const root = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    // path compression keeps later look-ups short
    for (let y = x; y !== r;) {
      const up = parent.get(y)!;
      parent.set(y, r);
      y = up;
    }
    return r;
  };
  const join = (a: string, b: string) => {
    for (const x of [a, b]) if (!parent.has(x)) parent.set(x, x);
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  const subscription = (op: T) => `subscription:${op.subscriptionId}`;
  for (const op of ops) join(subscription(op), `service:${op.contractId}|${op.serviceId}`);

  const chains = new Map<string, T[]>();
  for (const op of [...ops].sort((a, b) => a.seq - b.seq)) {
    const key = root(subscription(op));
    const chain = chains.get(key);
    if (chain) chain.push(op);
    else chains.set(key, [op]);
  }
  // a Map iterates in insertion order: the chain of the earliest operation first
  return [...chains.values()];
}
