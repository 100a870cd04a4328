// The directory reads behind listings (customers, unmapped, the service search of cards), kept for
// a few minutes and shared by every command and person of the process, so ten listings cost one
// read of Companies and Services instead of ten. Mapping changes and the mapping card read fresh
// and then drop it (`invalidate`); validation and uploads never read through it
// (docs/security/directory-cache-and-rate-limits.md says why).
import type { AutotaskPicklists, Company, Contract, Service } from '../autotask/entities.js';
import type { AutotaskDirectory } from '../mapping/autotaskDirectory.js';

interface Entry<T> {
  value: Promise<T>;
  /** when the read started: an entry is as old as the question it answers */
  readAt: number;
}

export class AutotaskDirectoryCache {
  /** the listings' directory: every read goes through the cache */
  readonly directory: AutotaskDirectory;
  private readonly nowMs: () => number;
  private companies: Entry<Company[]> | undefined;
  private services: Entry<Service[]> | undefined;
  private picklists: Entry<AutotaskPicklists> | undefined;
  /** contracts by company id (a company without contracts holds an empty list) */
  private contracts = new Map<number, Entry<Contract[]>>();

  constructor(
    private readonly source: AutotaskDirectory,
    private readonly options: { ttlMs: number; nowMs?: () => number },
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    this.directory = {
      listCompanies: () =>
        (this.companies = this.through(this.companies, () => source.listCompanies())).value,
      listServices: () => (this.services = this.through(this.services, () => source.listServices())).value,
      picklists: () => (this.picklists = this.through(this.picklists, () => source.picklists())).value,
      listContracts: (companyIds) => this.contractsOf(companyIds),
    };
  }

  /** Forgets everything: the next listing reads Autotask again. */
  invalidate(): void {
    this.companies = undefined;
    this.services = undefined;
    this.picklists = undefined;
    this.contracts = new Map();
  }

  private fresh(entry: Entry<unknown> | undefined, now: number): boolean {
    return entry !== undefined && now - entry.readAt < this.options.ttlMs;
  }

  /** The entry if still fresh, else a new read (concurrent askers share it; a failure is not kept). */
  private through<T>(entry: Entry<T> | undefined, read: () => Promise<T>): Entry<T> {
    const now = this.nowMs();
    if (entry && this.fresh(entry, now)) return entry;
    const next: Entry<T> = { value: read(), readAt: now };
    next.value.catch(() => {
      if (this.companies === next) this.companies = undefined;
      if (this.services === next) this.services = undefined;
      if (this.picklists === next) this.picklists = undefined;
    });
    return next;
  }

  private async contractsOf(companyIds: readonly number[]): Promise<Contract[]> {
    const now = this.nowMs();
    const ids = [...new Set(companyIds)];
    const missing = ids.filter((id) => !this.fresh(this.contracts.get(id), now));
    if (missing.length > 0) {
      // one batched read for every company not (freshly) known, shared by concurrent listings
      const batch = this.source.listContracts(missing);
      const held = this.contracts;
      for (const id of missing) {
        const entry: Entry<Contract[]> = {
          value: batch.then((read) => read.filter((c) => c.companyID === id)),
          readAt: now,
        };
        entry.value.catch(() => {
          if (held.get(id) === entry) held.delete(id);
        });
        held.set(id, entry);
      }
    }
    const lists = await Promise.all(ids.map((id) => this.contracts.get(id)!.value));
    return lists.flat();
  }
}
