// One read of what mapping needs from Autotask, shared by all customers of a use case so a
// listing of 200 customers costs a handful of calls, not hundreds.
import type { AutotaskPicklists, Company, Contract, Service } from '../autotask/entities.js';
import type { AutotaskDirectory } from './autotaskDirectory.js';

export interface DirectorySnapshot {
  companies: Map<number, Company>;
  /** contracts by company id */
  contracts: Map<number, Contract[]>;
  services: Map<number, Service>;
  picklists: AutotaskPicklists;
}

export async function loadSnapshot(
  directory: AutotaskDirectory,
  contractsOfCompanies: readonly number[],
): Promise<DirectorySnapshot> {
  const [companies, services, picklists, contracts] = await Promise.all([
    directory.listCompanies(),
    directory.listServices(),
    directory.picklists(),
    contractsOfCompanies.length > 0 ? directory.listContracts([...new Set(contractsOfCompanies)]) : [],
  ]);
  const byCompany = new Map<number, Contract[]>();
  for (const c of contracts) byCompany.set(c.companyID, [...(byCompany.get(c.companyID) ?? []), c]);
  return {
    companies: new Map(companies.map((c) => [c.id, c])),
    contracts: byCompany,
    services: new Map(services.map((s) => [s.id, s])),
    picklists,
  };
}
