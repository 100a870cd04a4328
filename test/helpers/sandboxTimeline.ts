// The sandbox's ContractServiceUnits read back over HTTP as short text rows, for comparing an
// upload's result with a table written by hand. Lines are named m#n (contract 100, monthly) or
// y#n (any other contract) by their order of creation on that contract.
import type { AutotaskClient } from '../../src/autotask/autotaskClient.js';
import { ContractServiceUnitSchema } from '../../src/autotask/entities.js';
import type { PrismaClient } from '../../src/db/prismaClient.js';

/** `line start end units` per row starting on or before `until`, lines in creation order. */
export async function sandboxTimeline(client: AutotaskClient, until = '2026-04-30'): Promise<string[]> {
  const rows = await client.query('ContractServiceUnits', ContractServiceUnitSchema);
  const lineIds = [...new Set(rows.map((r) => r.contractServiceID!))].sort((a, b) => a - b);
  const label = (r: (typeof rows)[number]) => {
    const sameContract = lineIds.filter(
      (id) => rows.find((x) => x.contractServiceID === id)!.contractID === r.contractID,
    );
    return `${r.contractID === 100 ? 'm' : 'y'}#${sameContract.indexOf(r.contractServiceID!) + 1}`;
  };
  return rows
    .filter((r) => r.startDate <= until)
    .sort((a, b) => a.contractServiceID! - b.contractServiceID! || (a.startDate < b.startDate ? -1 : 1))
    .map((r) => `${label(r)} ${r.startDate} ${r.endDate} ${r.units}`);
}

/**
 * Each of a customer's lines (found through the ledger, keyed `subscription|contract|service|price`)
 * as its change points `date units`: where the sandbox's units differ from the row before.
 */
export async function lineChangePoints(
  prisma: PrismaClient,
  client: AutotaskClient,
  customerId: string,
): Promise<Record<string, string[]>> {
  const lines = await prisma.syncLine.findMany({ where: { customerId } });
  const rows = await client.query('ContractServiceUnits', ContractServiceUnitSchema);
  const changePoints = (contractServiceId: number) => {
    const points: string[] = [];
    let last: number | null = null;
    for (const r of rows
      .filter((x) => x.contractServiceID === contractServiceId)
      .sort((a, b) => (a.startDate < b.startDate ? -1 : 1)))
      if (r.units !== last) {
        points.push(`${r.startDate} ${r.units}`);
        last = r.units;
      }
    return points;
  };
  return Object.fromEntries(lines.map((l) => [l.lineKey, changePoints(l.contractServiceId)]));
}
