// A sandbox on a free port plus a client pointed at it with millisecond retry delays, so the
// Autotask tests stay fast. Everything goes over real HTTP on localhost.
import { AutotaskClient, type AutotaskClientOptions } from '../../src/autotask/autotaskClient.js';
import type { AutotaskConnection } from '../../src/autotask/autotaskConnection.js';
import { SandboxSeedSchema, type SandboxSeedInput } from '../../src/sandbox/sandboxSeed.js';
import {
  startAutotaskSandbox,
  type RunningSandbox,
  type SandboxCredentials,
} from '../../src/sandbox/sandboxServer.js';

export const TEST_CREDENTIALS: SandboxCredentials = {
  username: 'api@partner.example',
  secret: 'right-secret-123',
  integrationCode: 'PARTNER-INTEGRATION',
};

export async function startTestSandbox(seed: SandboxSeedInput): Promise<RunningSandbox> {
  return startAutotaskSandbox({ seed: SandboxSeedSchema.parse(seed), credentials: TEST_CREDENTIALS });
}

/** A client for a test stand-in at `zoneUrl`, with millisecond retry and budget delays. */
export function fastTestClient(
  zoneUrl: string,
  overrides: Partial<AutotaskClientOptions> = {},
): AutotaskClient {
  return new AutotaskClient({
    ...TEST_CREDENTIALS,
    zoneUrl,
    maxInFlightPerEndpoint: 2,
    budgetShare: 0.5,
    timeoutMs: 2_000,
    retry: { baseDelayMs: 2, maxDelayMs: 20, maxAttempts: 8 },
    budget: { pollMs: 10, maxWaitMs: 200 },
    ...overrides,
  });
}

export function clientFor(
  sandbox: RunningSandbox,
  overrides: Partial<AutotaskClientOptions> = {},
): AutotaskClient {
  return fastTestClient(sandbox.zoneUrl, overrides);
}

/** What the composition root would hand the use cases for this sandbox (tests stop the sandbox themselves). */
export function connectionTo(sandbox: RunningSandbox): AutotaskConnection {
  return {
    client: clientFor(sandbox),
    database: { zoneUrl: sandbox.zoneUrl, username: TEST_CREDENTIALS.username },
    stop: async () => undefined,
  };
}

/** Raw HTTP with the right headers, for asserting the sandbox's exact answers. */
export async function rawCall(
  sandbox: RunningSandbox,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Partial<Record<'UserName' | 'Secret' | 'ApiIntegrationCode', string>> = {},
): Promise<{ status: number; body: unknown; text: string; headers: Headers }> {
  const url = /^https?:/.test(path) ? path : `${sandbox.baseUrl}V1.0/${path}`;
  const res = await fetch(url, {
    method,
    headers: {
      UserName: TEST_CREDENTIALS.username,
      Secret: TEST_CREDENTIALS.secret,
      ApiIntegrationCode: TEST_CREDENTIALS.integrationCode,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML answers stay text
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** A small tenant: two companies, a monthly contract starting on the 15th, a Fixed Price one. */
export function smallSeed(): SandboxSeedInput {
  return {
    companies: [
      { id: 1, companyName: 'Acme Corporation, Inc.' },
      { id: 2, companyName: 'Northwind Traders Ltd', isActive: false },
    ],
    contracts: [
      {
        id: 10,
        companyID: 1,
        contractName: 'Acme monthly',
        contractType: 7,
        contractPeriodType: 2,
        status: 1,
        startDate: '2026-01-15',
        endDate: '2026-05-14',
      },
      {
        id: 11,
        companyID: 1,
        contractName: 'Acme project',
        contractType: 3,
        contractPeriodType: null,
        status: 1,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
      },
      {
        id: 12,
        companyID: 2,
        contractName: 'Northwind yearly',
        contractType: 7,
        contractPeriodType: 5,
        status: 1,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
        isDefaultContract: true,
      },
    ],
    services: [
      {
        id: 20,
        name: 'Microsoft 365 Business Basic',
        sku: 'CFQ7TTC0LH18:0001',
        unitPrice: '12.50',
        unitCost: '10.00',
        periodType: 2,
      },
      { id: 21, name: 'Exchange Online Plan 1', unitPrice: '4.00', periodType: 2 },
    ],
  };
}
