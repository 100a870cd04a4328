// The mapping part's AutotaskDirectory over the real Autotask client (the adapter the mapping demo
// test uses). `cachedDirectory` keeps one read of each list for the length of one use case, so
// resolving 30 customers costs a handful of calls instead of four per customer.
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import { CompanySchema, ContractSchema, ServiceSchema } from '../autotask/entities.js';
import type { Contract } from '../autotask/entities.js';
import type { AutotaskDirectory } from '../mapping/autotaskDirectory.js';

export function clientAutotaskDirectory(client: AutotaskClient): AutotaskDirectory {
  // A row the bot cannot read is left out of the lists (the client logs it with
  // AUTOTASK_ROW_UNREADABLE): mapping offers the rest rather than failing for one odd record.
  const skip = { onUnreadableRow: () => {} };
  return {
    listCompanies: () => client.query('Companies', CompanySchema, skip),
    listContracts: (companyIds) =>
      client.queryIn('Contracts', ContractSchema, 'companyID', [...companyIds], [], skip),
    listServices: () => client.query('Services', ServiceSchema, skip),
    picklists: () => client.picklists(),
  };
}

/** Remembers companies, services, picklists and the contracts of companies already asked for. */
export function cachedDirectory(directory: AutotaskDirectory): AutotaskDirectory {
  let companies: ReturnType<AutotaskDirectory['listCompanies']> | undefined;
  let services: ReturnType<AutotaskDirectory['listServices']> | undefined;
  let picklists: ReturnType<AutotaskDirectory['picklists']> | undefined;
  const contracts = new Map<number, Contract[]>();
  return {
    listCompanies: () => (companies ??= directory.listCompanies()),
    listServices: () => (services ??= directory.listServices()),
    picklists: () => (picklists ??= directory.picklists()),
    listContracts: async (companyIds) => {
      const missing = [...new Set(companyIds)].filter((id) => !contracts.has(id));
      if (missing.length > 0) {
        const read = await directory.listContracts(missing);
        for (const id of missing) contracts.set(id, []);
        for (const c of read) contracts.get(c.companyID)?.push(c);
      }
      return [...new Set(companyIds)].flatMap((id) => contracts.get(id) ?? []);
    },
  };
}
