// The Autotask client's part of the operations surface (docs/operations.md), over real HTTP to
// the sandbox: every attempt counted by endpoint and status, retries counted, the hourly budget
// gauges set; and its readiness view — the last request's outcome, else a credential-free probe
// that spends no API call.
import { createServer } from 'node:net';
import { CompanySchema } from '../../../src/autotask/entities.js';
import { PrometheusMetrics } from '../../../src/observability/prometheusMetrics.js';
import type { RunningSandbox } from '../../../src/sandbox/sandboxServer.js';
import { clientFor, fastTestClient, startTestSandbox } from '../../helpers/autotaskSandbox.js';
import { sampleValue } from '../../helpers/prometheusText.js';

const SEED = { companies: [{ id: 1, companyName: 'Acme' }] };
const QUERY = 'POST Companies/query';

/** a loopback port nothing listens on */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the Autotask client counts what it sends', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => (sandbox = await startTestSandbox(SEED)));
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.controls.reset());

  it('counts every attempt by endpoint and status, and each retry', async () => {
    const metrics = new PrometheusMetrics();
    const client = clientFor(sandbox, { metrics, retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 4 } });
    sandbox.controls.setFaults({ rate: 1, kinds: ['429'], endpoints: [QUERY] });
    await expect(client.query('Companies', CompanySchema)).rejects.toMatchObject({
      code: 'AUTOTASK_THREAD_LIMIT',
    });
    let text = await metrics.text();
    expect(
      sampleValue(text, 'autotask_bot_autotask_requests_total', { endpoint: QUERY, status: '429' }),
    ).toBe(4);
    expect(sampleValue(text, 'autotask_bot_autotask_retries_total', { endpoint: QUERY })).toBe(3);
    expect(
      sampleValue(text, 'autotask_bot_autotask_requests_total', { endpoint: QUERY, status: '200' }),
    ).toBe(0);

    sandbox.controls.clearFaults();
    expect(await client.query('Companies', CompanySchema)).toHaveLength(1);
    text = await metrics.text();
    expect(
      sampleValue(text, 'autotask_bot_autotask_requests_total', { endpoint: QUERY, status: '200' }),
    ).toBe(1);
    expect(
      sampleValue(text, 'autotask_bot_autotask_requests_total', { endpoint: QUERY, status: '429' }),
    ).toBe(4);
    // the sandbox saw the same attempts the metric counted
    expect(sandbox.controls.counters().byEndpoint[QUERY]).toBe(5);
  });

  it("sets the budget gauges from the database's threshold and the bot's share", async () => {
    const metrics = new PrometheusMetrics();
    const client = clientFor(sandbox, { metrics, budgetShare: 0.4 });
    await client.query('Companies', CompanySchema);
    const { budget } = client.requestStats();
    const text = await metrics.text();
    expect(sampleValue(text, 'autotask_bot_autotask_hourly_budget_limit_ratio')).toBe(0.4);
    const used = sampleValue(text, 'autotask_bot_autotask_hourly_budget_used_ratio');
    expect(used).toBeGreaterThan(0);
    expect(used).toBeCloseTo((budget.usedAtLastRead! + budget.ownSinceLastRead) / budget.threshold!, 10);
  });
});

describe("the Autotask client's readiness view", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => (sandbox = await startTestSandbox(SEED)));
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.controls.reset());

  it('with no recent request, probes with the zone lookup: no API call spent', async () => {
    const client = clientFor(sandbox);
    expect(await client.reachability()).toEqual({ reachable: true });
    expect(await client.reachability()).toEqual({ reachable: true });
    // one lookup (kept for the window), nothing else
    expect(sandbox.controls.counters().byEndpoint).toEqual({ 'GET zoneInformation': 1 });
  });

  it('after a request, answers from its outcome without probing', async () => {
    const client = clientFor(sandbox);
    await client.query('Companies', CompanySchema);
    const before = sandbox.controls.counters().total;
    expect(await client.reachability()).toEqual({ reachable: true });
    expect(sandbox.controls.counters().total).toBe(before);
  });

  it('a request answered by a failing gateway (502) makes it unreachable until one succeeds', async () => {
    const client = clientFor(sandbox, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 } });
    sandbox.controls.setFaults({ rate: 1, kinds: ['502'], endpoints: [QUERY] });
    await expect(client.query('Companies', CompanySchema)).rejects.toBeDefined();
    expect(await client.reachability()).toEqual({
      reachable: false,
      reason: expect.stringContaining('HTTP 502'),
    });
    sandbox.controls.clearFaults();
    await client.query('Companies', CompanySchema);
    expect(await client.reachability()).toEqual({ reachable: true });
  });

  it('an Autotask nobody answers at: the probe fails, naming why', async () => {
    const port = await closedPort();
    const client = fastTestClient(`http://127.0.0.1:${port}/atservicesrest/v1.0/`);
    expect(await client.reachability()).toEqual({
      reachable: false,
      reason: expect.stringContaining('AUTOTASK_UNREACHABLE'),
    });
  });

  it('with AUTOTASK_BASE_URL, probes the base URL without credentials: reachable, no API call', async () => {
    const client = clientFor(sandbox, { baseUrl: sandbox.baseUrl });
    expect(await client.reachability()).toEqual({ reachable: true });
    expect(sandbox.controls.counters().total).toBe(0);
    const down = fastTestClient('http://127.0.0.1:1/unused/', {
      baseUrl: `http://127.0.0.1:${await closedPort()}/ATServicesRest/`,
    });
    expect((await down.reachability()).reachable).toBe(false);
  });
});
