// The port through which mapping reads Autotask. The lead implements it over the real
// AutotaskClient when merging; arrayDirectory serves tests, the demo and any cached snapshot.
import type { AutotaskPicklists, Company, Contract, Service } from '../autotask/entities.js';

export interface AutotaskDirectory {
  listCompanies(): Promise<Company[]>;
  /** every contract of these companies (any type, status and period: mapping filters) */
  listContracts(companyIds: readonly number[]): Promise<Contract[]>;
  listServices(): Promise<Service[]>;
  picklists(): Promise<AutotaskPicklists>;
}

export interface DirectoryData {
  companies: Company[];
  contracts: Contract[];
  services: Service[];
  picklists: AutotaskPicklists;
}

/** A directory over plain arrays (already parsed with the entity schemas). */
export function arrayDirectory(data: DirectoryData): AutotaskDirectory {
  return {
    listCompanies: async () => data.companies,
    listContracts: async (companyIds) => data.contracts.filter((c) => companyIds.includes(c.companyID)),
    listServices: async () => data.services,
    picklists: async () => data.picklists,
  };
}
