// What the upload knows of Autotask: the lines and units rows of the contracts it read, batched.
import type { AutotaskGateway, GatewayFailure, GatewayLine, GatewayUnitsRow } from '../autotaskGateway.js';

export interface AutotaskView {
  lines: GatewayLine[];
  rows: GatewayUnitsRow[];
}

/** One batched read of every line and units row on these contracts. */
export async function readContracts(
  gateway: AutotaskGateway,
  ids: readonly number[],
): Promise<{ ok: true; view: AutotaskView } | GatewayFailure> {
  const lines = await gateway.contractServices(ids);
  if (!lines.ok) return lines;
  const rows = await gateway.contractServiceUnits(ids);
  if (!rows.ok) return rows;
  return { ok: true, view: { lines: lines.value, rows: rows.value } };
}

/** Replaces what the view holds of the contracts read (or, given `only`, of that one service). */
export function mergeView(
  into: AutotaskView,
  fresh: AutotaskView,
  only?: { contractId: number; serviceId: number },
): void {
  const contracts = new Set([
    ...fresh.lines.map((l) => l.contractId),
    ...fresh.rows.map((r) => r.contractId),
  ]);
  const replaced = (x: { contractId: number; serviceId: number }) =>
    contracts.has(x.contractId) &&
    (!only || (x.contractId === only.contractId && x.serviceId === only.serviceId));
  into.lines = [...into.lines.filter((l) => !replaced(l)), ...fresh.lines.filter(replaced)];
  into.rows = [...into.rows.filter((r) => !replaced(r)), ...fresh.rows.filter(replaced)];
}

/** The line for a service on a contract: the oldest one (repeat lines come later). */
export function baseLine(
  lines: readonly GatewayLine[],
  contractId: number,
  serviceId: number,
): number | null {
  const ids = lines
    .filter((l) => l.contractId === contractId && l.serviceId === serviceId)
    .map((l) => l.contractServiceId);
  return ids.length === 0 ? null : Math.min(...ids);
}

/** The gateway, counting every call (the report's `calls`). */
export function countingGateway(gateway: AutotaskGateway, count: () => void): AutotaskGateway {
  return {
    contractServices: (ids) => (count(), gateway.contractServices(ids)),
    contractServiceUnits: (ids) => (count(), gateway.contractServiceUnits(ids)),
    createContractService: (r) => (count(), gateway.createContractService(r)),
    createAdjustment: (r) => (count(), gateway.createAdjustment(r)),
  };
}
