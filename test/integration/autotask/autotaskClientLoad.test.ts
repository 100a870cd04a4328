// "Must show" 2 and 4: paging 1,234 companies takes exactly 3 query calls; 6 concurrent callers
// never trip the thread limit; with 20 % of answers being 429, every read completes and the
// retries are reported.
import { CompanySchema } from '../../../src/autotask/entities.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientFor, startTestSandbox } from '../../helpers/autotaskSandbox.js';

const COMPANIES = 1_234;

describe('Autotask client under load', () => {
  let sandbox: RunningSandbox;
  beforeAll(
    async () =>
      (sandbox = await startTestSandbox({
        companies: Array.from({ length: COMPANIES }, (_, i) => ({
          id: 1000 + i,
          companyName: `Company ${i + 1}`,
        })),
      })),
  );
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.controls.reset());

  it('pages through 1,234 companies in exactly 3 query calls and returns each once', async () => {
    const client = clientFor(sandbox);
    const companies = await client.query('Companies', CompanySchema);
    expect(companies).toHaveLength(COMPANIES);
    expect(new Set(companies.map((c) => c.id)).size).toBe(COMPANIES);
    expect(sandbox.controls.counters().byEndpoint['POST Companies/query']).toBe(3);
    expect(client.requestStats().byEndpoint['POST Companies/query']).toBe(3);
  });

  it('splits an in-list of 1,234 ids into chunks of 500 (3 calls)', async () => {
    const client = clientFor(sandbox);
    const ids = Array.from({ length: COMPANIES }, (_, i) => 1000 + i);
    const companies = await client.queryIn('Companies', CompanySchema, 'id', [...ids, ...ids.slice(0, 10)]);
    expect(companies.map((c) => c.id).sort((a, b) => a - b)).toEqual(ids);
    expect(sandbox.controls.counters().byEndpoint['POST Companies/query']).toBe(3);
  });

  it('keeps at most 2 in flight per endpoint under 6 concurrent callers, never tripping the thread limit', async () => {
    sandbox.controls.setLatency(20);
    const client = clientFor(sandbox);
    const callers = Array.from({ length: 6 }, async (_, caller) => {
      for (let i = 0; i < 5; i++) {
        await client.query('Companies', CompanySchema, {
          filter: [{ op: 'eq', field: 'id', value: 1000 + caller * 5 + i }],
        });
        await client.count('Companies');
      }
    });
    await Promise.all(callers);
    const counters = sandbox.controls.counters();
    expect(counters.threadLimitRefusals).toBe(0);
    expect(counters.byEndpoint['POST Companies/query']).toBe(30);
    expect(counters.byEndpoint['POST Companies/query/count']).toBe(30);
    expect(Math.max(...Object.values(counters.maxInFlight))).toBe(2);
    expect(client.requestStats().retries).toBe(0);
  });

  it('with 20 % of answers being 429, every read of 6 concurrent callers completes and the retries are reported', async () => {
    sandbox.controls.setFaults({ rate: 0.2, kinds: ['429'], retryAfterSeconds: 0 });
    const client = clientFor(sandbox, { retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 10 } });
    const results = await Promise.all(
      Array.from({ length: 6 }, async (_, caller) => {
        const seen: number[] = [];
        for (let i = 0; i < 10; i++) {
          const [company] = await client.query('Companies', CompanySchema, {
            filter: [{ op: 'eq', field: 'id', value: 1000 + caller * 10 + i }],
          });
          seen.push(company!.id);
        }
        return seen;
      }),
    );
    expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => 1000 + i));
    const injected = sandbox.controls.counters().faultsInjected['429'] ?? 0;
    const stats = client.requestStats();
    process.stdout.write(
      `6 callers × 10 reads with 20 % 429s: ${stats.byEndpoint['POST Companies/query']} query requests, ${injected} answered 429, ${stats.retries} retries reported\n`,
    );
    expect(injected).toBeGreaterThan(0);
    expect(stats.retries).toBe(injected);
    expect(stats.failures).toEqual({});
  });
});
