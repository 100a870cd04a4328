// The listings' directory cache over a counting directory, on an injected clock: one read per
// list per TTL however many ask (at once or in turn), contracts per company, invalidation, and a
// failed read that is not kept.
import { AutotaskDirectoryCache } from '../../../src/app/autotaskDirectoryCache.js';
import type { AutotaskPicklists, Company, Contract, Service } from '../../../src/autotask/entities.js';
import type { AutotaskDirectory } from '../../../src/mapping/autotaskDirectory.js';

const company = (id: number): Company => ({ id, companyName: `Company ${id}`, isActive: true }) as Company;
const service = (id: number): Service => ({ id, name: `Service ${id}`, isActive: true }) as Service;
const contract = (id: number, companyID: number): Contract => ({ id, companyID }) as Contract;

function countingDirectory() {
  const calls = { companies: 0, services: 0, picklists: 0, contracts: [] as number[][] };
  let failNext = false;
  const directory: AutotaskDirectory = {
    listCompanies: async () => {
      calls.companies++;
      if (failNext) {
        failNext = false;
        throw new Error('AUTOTASK_UNAVAILABLE');
      }
      return [company(1), company(2)];
    },
    listServices: async () => {
      calls.services++;
      return [service(20)];
    },
    picklists: async () => {
      calls.picklists++;
      return {} as AutotaskPicklists;
    },
    listContracts: async (ids) => {
      calls.contracts.push([...ids]);
      return [contract(10, 1), contract(11, 1), contract(12, 2)].filter((c) => ids.includes(c.companyID));
    },
  };
  return { directory, calls, failOnce: () => (failNext = true) };
}

function cached(ttlMs = 300_000) {
  const source = countingDirectory();
  const clock = { ms: 0 };
  const cache = new AutotaskDirectoryCache(source.directory, { ttlMs, nowMs: () => clock.ms });
  return { ...source, cache, clock };
}

describe('AutotaskDirectoryCache', () => {
  it('ten listings in turn and ten at once read Companies and Services once', async () => {
    const { cache, calls, clock } = cached();
    for (let i = 0; i < 10; i++) {
      expect(await cache.directory.listCompanies()).toHaveLength(2);
      expect(await cache.directory.listServices()).toHaveLength(1);
      clock.ms += 1_000;
    }
    await Promise.all(Array.from({ length: 10 }, () => cache.directory.listCompanies()));
    expect(calls).toMatchObject({ companies: 1, services: 1 });
  });

  it('reads again once the TTL has passed, not before', async () => {
    const { cache, calls, clock } = cached(300_000);
    await cache.directory.listCompanies();
    clock.ms = 299_999;
    await cache.directory.listCompanies();
    expect(calls.companies).toBe(1);
    clock.ms = 300_000;
    await cache.directory.listCompanies();
    expect(calls.companies).toBe(2);
  });

  it('invalidate makes the next listing read again', async () => {
    const { cache, calls } = cached();
    await cache.directory.listCompanies();
    await cache.directory.listServices();
    await cache.directory.listContracts([1]);
    cache.invalidate();
    await cache.directory.listCompanies();
    await cache.directory.listServices();
    await cache.directory.listContracts([1]);
    expect(calls).toMatchObject({ companies: 2, services: 2, contracts: [[1], [1]] });
  });

  it('keeps contracts per company: only companies not yet known are read, in one batch', async () => {
    const { cache, calls, clock } = cached();
    expect((await cache.directory.listContracts([1])).map((c) => c.id)).toEqual([10, 11]);
    expect((await cache.directory.listContracts([2, 1, 3, 2])).map((c) => c.id)).toEqual([12, 10, 11]);
    expect((await cache.directory.listContracts([3, 1])).map((c) => c.id)).toEqual([10, 11]);
    expect(calls.contracts).toEqual([[1], [2, 3]]);
    clock.ms += 300_000;
    await cache.directory.listContracts([1, 2]);
    expect(calls.contracts).toEqual([[1], [2, 3], [1, 2]]);
  });

  it('a failed read is answered as a failure and not kept: the next listing reads again', async () => {
    const { cache, calls, failOnce } = cached();
    failOnce();
    await expect(cache.directory.listCompanies()).rejects.toThrow('AUTOTASK_UNAVAILABLE');
    expect(await cache.directory.listCompanies()).toHaveLength(2);
    expect(await cache.directory.listCompanies()).toHaveLength(2);
    expect(calls.companies).toBe(2);
  });

  it('a TTL of 0 caches nothing', async () => {
    const { cache, calls } = cached(0);
    for (let i = 0; i < 3; i++) {
      await cache.directory.listCompanies();
      await cache.directory.picklists();
      await cache.directory.listContracts([1]);
    }
    expect(calls).toMatchObject({ companies: 3, picklists: 3, contracts: [[1], [1], [1]] });
  });
});
