// Reads the Autotask state a validation needs for many customers at once, in batches: one `in`
// query per entity (500 values a list, 500 rows a page) — companies, their contracts, the mapped
// services, the lines on those contracts and their units — never a lookup per record.
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { isAutotaskError } from '../autotask/autotaskError.js';
import {
  CompanySchema,
  ContractSchema,
  ContractServiceSchema,
  ContractServiceUnitSchema,
  DEFAULT_PICKLISTS,
  ServiceSchema,
  type Company,
  type Contract,
  type ContractService,
  type Service,
} from '../autotask/entities.js';
import type {
  AutotaskSnapshot,
  Connectivity,
  SnapshotCompany,
  SnapshotContract,
  SnapshotContractService,
  SnapshotService,
  SnapshotUnitsRow,
} from './autotaskSnapshot.js';
import { attributeUnitsToLines, unitsRowOf, type AttributedUnitsRow } from './unitsTimeline.js';
import type { CustomerTargets } from './syncInputs.js';

export interface SnapshotRequest {
  customerId: string;
  targets: CustomerTargets;
}

const unique = (values: readonly (number | null)[]): number[] =>
  [...new Set(values.filter((v): v is number => v !== null))].sort((a, b) => a - b);

// What a snapshot keeps of each Autotask row: only what the rules read.
const snapshotCompany = (c: Company): SnapshotCompany => ({
  id: c.id,
  companyName: c.companyName,
  isActive: c.isActive,
});
const snapshotContract = (c: Contract): SnapshotContract => ({
  id: c.id,
  companyID: c.companyID,
  contractName: c.contractName,
  contractType: c.contractType,
  contractPeriodType: c.contractPeriodType ?? null,
  status: c.status,
  startDate: c.startDate,
  endDate: c.endDate,
});
const snapshotService = (s: Service): SnapshotService => ({ id: s.id, name: s.name, isActive: s.isActive });
const snapshotLine = (l: ContractService): SnapshotContractService => ({
  id: l.id,
  contractID: l.contractID,
  serviceID: l.serviceID,
});
const snapshotUnits = (u: AttributedUnitsRow): SnapshotUnitsRow => ({
  ...unitsRowOf(u),
  contractID: u.contractID,
  serviceID: u.serviceID,
});

export async function readAutotaskSnapshots(
  client: AutotaskClient,
  requests: readonly SnapshotRequest[],
): Promise<Map<string, AutotaskSnapshot>> {
  const companyIds = unique(requests.map((r) => r.targets.companyId));
  const serviceIds = unique(requests.flatMap((r) => r.targets.services.map((s) => s.serviceId)));
  const mappedContractIds = requests.flatMap((r) => [
    r.targets.contracts.monthly,
    r.targets.contracts.annual,
  ]);
  // Companies, contracts and services: a row the bot cannot read is left out (validation then
  // says that record is not found, per customer). Lines and units are read strictly: a missing
  // one could make the upload add a duplicate, so an unreadable one fails the read.
  const skip = { onUnreadableRow: () => {} };
  try {
    const picklists = await client.picklists();
    const companies = companyIds.length
      ? await client.queryIn('Companies', CompanySchema, 'id', companyIds, [], skip)
      : [];
    const contracts = companyIds.length
      ? await client.queryIn('Contracts', ContractSchema, 'companyID', companyIds, [], skip)
      : [];
    const services = serviceIds.length
      ? await client.queryIn('Services', ServiceSchema, 'id', serviceIds, [], skip)
      : [];
    const contractIds = unique([...contracts.map((c) => c.id), ...mappedContractIds]);
    const lines = contractIds.length
      ? await client.queryIn('ContractServices', ContractServiceSchema, 'contractID', contractIds)
      : [];
    // only the units of the mapped services: what drift, duplicate-billing and posted-period checks read
    const unitRows =
      contractIds.length && serviceIds.length
        ? await client.queryIn('ContractServiceUnits', ContractServiceUnitSchema, 'contractID', contractIds, [
            { op: 'in', field: 'serviceID', value: serviceIds },
          ])
        : [];
    const units = attributeUnitsToLines(unitRows, lines);
    const result = new Map<string, AutotaskSnapshot>();
    for (const { customerId, targets } of requests) {
      const own = contracts.filter((c) => c.companyID === targets.companyId);
      const ownIds = new Set([
        ...own.map((c) => c.id),
        ...[targets.contracts.monthly, targets.contracts.annual],
      ]);
      const mappedServices = new Set(targets.services.map((s) => s.serviceId));
      result.set(customerId, {
        connectivity: { ok: true },
        picklists,
        companies: companies.filter((c) => c.id === targets.companyId).map(snapshotCompany),
        contracts: contracts.filter((c) => ownIds.has(c.id)).map(snapshotContract),
        services: services.filter((s) => mappedServices.has(s.id)).map(snapshotService),
        contractServices: lines.filter((l) => ownIds.has(l.contractID)).map(snapshotLine),
        units: units.filter((u) => ownIds.has(u.contractID)).map(snapshotUnits),
      });
    }
    return result;
  } catch (error) {
    if (!isAutotaskError(error)) throw error;
    const connectivity: Connectivity = {
      ok: false,
      code: /^AUTOTASK_AUTH/.test(error.code)
        ? 'AUTOTASK_AUTH'
        : error.code === 'AUTOTASK_ROW_UNREADABLE'
          ? 'AUTOTASK_ROW_UNREADABLE'
          : 'AUTOTASK_UNREACHABLE',
      message: error.describe(),
    };
    const empty = (): AutotaskSnapshot => ({
      connectivity,
      picklists: DEFAULT_PICKLISTS,
      companies: [],
      contracts: [],
      services: [],
      contractServices: [],
      units: [],
    });
    return new Map(requests.map((r) => [r.customerId, empty()]));
  }
}
