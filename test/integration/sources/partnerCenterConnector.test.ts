// The Partner Center connector against the strict stand-in, over real HTTP: what a pull returns
// is derived from the stand-in's seeded world, never written down.
import { addDays } from '../../../src/core/calendarDate.js';
import {
  startPartnerCenterStandIn,
  type PartnerCenterStandIn,
} from '../../../src/sandbox/partnerCenter/partnerCenterStandIn.js';
import {
  randomPartnerCenterWorld,
  partnerCenterWorldFromDemo,
  type PartnerCenterWorld,
  type PcSubscription,
} from '../../../src/sandbox/partnerCenter/partnerCenterWorld.js';
import {
  createPartnerCenterConnector,
  type PartnerCenterConnectorOptions,
} from '../../../src/sources/partnerCenter/partnerCenterConnector.js';
import type { PartnerCenterConfig } from '../../../src/sources/partnerCenter/partnerCenterConfig.js';
import type { SnapshotPull, SourcePull } from '../../../src/sources/sourceConnector.js';
import { isSourceError, type SourceError } from '../../../src/sources/sourceError.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const waits: number[] = [];
const fast: PartnerCenterConnectorOptions = {
  retry: { baseDelayMs: 1, maxDelayMs: 5 },
  sleep: async (ms) => {
    waits.push(ms);
  },
};

let standIn: PartnerCenterStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  waits.length = 0;
});

async function start(world: PartnerCenterWorld, maxPageSize?: number): Promise<PartnerCenterStandIn> {
  standIn = await startPartnerCenterStandIn({ world, ...(maxPageSize ? { maxPageSize } : {}) });
  return standIn;
}

function configOf(s: PartnerCenterStandIn, over: Partial<PartnerCenterConfig> = {}): PartnerCenterConfig {
  return { ...s.credentials, baseUrl: s.url, loginUrl: s.loginUrl, ...over };
}

function snapshot(pull: SourcePull): SnapshotPull {
  if (pull.kind !== 'snapshot') throw new Error('expected a snapshot pull');
  return pull;
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    if (isSourceError(error)) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

/** The documented mapping (docs/sources-partner-center.md "Mapping"), applied to the world's rows. */
function expectedSubscription(s: PcSubscription) {
  const status = ({ active: 'active', pending: 'active', suspended: 'suspended' } as Record<string, string>)[
    s.status
  ];
  const endDate = s.commitmentEndDate.slice(0, 10);
  return {
    id: s.id,
    customerSourceId: s.customerId,
    productName: s.offerName,
    sku: s.offerId,
    billingType: s.billingType === 'usage' ? 'usage' : 'quantity',
    billingCycle: s.billingCycle,
    currency: 'USD',
    term: {
      duration: s.termDuration,
      endDate: endDate.startsWith('9999') ? undefined : endDate,
      autoRenew: s.autoRenewEnabled,
    },
    state: {
      quantity: s.quantity,
      status: status ?? 'cancelled',
      unitPrice: '0',
      billingCycle: s.billingCycle,
    },
  };
}

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

describe('Partner Center connector', () => {
  it('pulls a 50-customer, 500-subscription world exactly, paging the customers', async () => {
    const world = randomPartnerCenterWorld({ seed: 42, customers: 50, subscriptions: 500 });
    const s = await start(world);
    const pageSize = 20;
    const pull = snapshot(
      await createPartnerCenterConnector(configOf(s), { ...fast, pageSize }).pull({ today: world.today }),
    );

    expect(pull.problems).toEqual([]);
    expect([...pull.customers].sort((a, b) => a.sourceId.localeCompare(b.sourceId))).toEqual(
      [...world.customers]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((c) => ({ sourceId: c.id, tenantId: c.id, name: c.companyName, domain: c.domain })),
    );
    expect(byId(pull.subscriptions)).toEqual(byId(world.subscriptions.map(expectedSubscription)));
    expect(world.subscriptions.some((x) => x.billingType === 'usage')).toBe(true);
    expect(pull.subscriptions.some((x) => x.billingType === 'usage')).toBe(true);

    // paging was used: every further page asked with links.next and its MS-ContinuationToken
    const customerPages = s.requests.filter((r) => r.path === '/v1/customers');
    expect(customerPages).toHaveLength(Math.ceil(world.customers.length / pageSize));
    for (const page of customerPages.slice(1)) {
      expect(page.query['seekOperation']).toBe('Next');
      expect(page.headers['ms-continuationtoken']).toEqual(expect.any(String));
      expect(page.status).toBe(200);
    }

    // the API budget: one token, the customer pages, one subscriptions list per customer, one audit page
    expect(pull.requests).toBe(s.requests.length);
    expect(pull.requests).toBe(1 + customerPages.length + world.customers.length + 1);

    // one MS-CorrelationId for the pull, a fresh MS-RequestId per request
    const api = s.requests.filter((r) => r.path.startsWith('/v1/'));
    expect(new Set(api.map((r) => r.headers['ms-correlationid'])).size).toBe(1);
    expect(api[0]!.headers['ms-correlationid']).toMatch(GUID);
    expect(new Set(api.map((r) => r.headers['ms-requestid'])).size).toBe(api.length);
    expect(api.every((r) => GUID.test(r.headers['ms-requestid'] ?? ''))).toBe(true);
    expect(api.every((r) => r.headers['accept'] === 'application/json')).toBe(true);

    // the App+User sign-in Microsoft documents: v1 endpoint, refresh_token grant, resource
    const token = s.requests.filter((r) => r.path.includes('/oauth2/'));
    expect(token).toHaveLength(1);
    expect(token[0]!.path).toBe(`/login/${world.partnerTenantId}/oauth2/token`);
    expect(token[0]!.form).toMatchObject({
      grant_type: 'refresh_token',
      client_id: s.credentials.appId,
      resource: 'https://api.partnercenter.microsoft.com',
    });
  });

  it('returns the activity records changeSubscription wrote, with their dates, paging the audit list', async () => {
    const world = randomPartnerCenterWorld({ seed: 7, customers: 6, subscriptions: 40 });
    const s = await start(world, 10);
    const since = addDays(world.today, -20);
    const active = world.subscriptions.filter((x) => x.status === 'active');
    // 25 changes inside (since, today] — more than two audit pages — and two outside
    const written = active.slice(0, 25).map((sub, i) => {
      const date = addDays(since, 1 + (i % 20));
      const change = i % 3 === 0 ? { status: 'suspended' as const } : { quantity: sub.quantity + 1 + i };
      const record = s.controls.changeSubscription(sub.customerId, sub.id, change, date);
      return {
        subscriptionId: sub.id,
        change: 'status' in change ? 'status' : 'quantity',
        date,
        recordId: record.id,
      };
    });
    const old = active[25]!;
    s.controls.changeSubscription(old.customerId, old.id, { quantity: old.quantity + 3 }, addDays(since, -5));
    s.controls.addCustomer(
      {
        id: '99999999-0000-4000-8000-000000000001',
        companyName: 'New Co',
        domain: 'newco.example',
        relationshipToPartner: 'reseller',
      },
      addDays(since, 2),
    );
    s.controls.advanceDay();

    const pull = snapshot(
      await createPartnerCenterConnector(configOf(s), { ...fast, pageSize: 50 }).pull({
        since,
        today: world.today,
      }),
    );
    const sortKey = (a: { recordId?: string | undefined; change: string }) => `${a.recordId}-${a.change}`;
    expect([...pull.activity].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
      [...written].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );
    // the state reflects the changes
    expect(byId(pull.subscriptions)).toEqual(byId(world.subscriptions.map(expectedSubscription)));
    const audit = s.requests.filter((r) => r.path === '/v1/auditrecords');
    expect(audit.length).toBeGreaterThan(2);
    expect(audit[0]!.query).toMatchObject({ startDate: since, endDate: world.today });
  });

  it('signs in again when the token expires half way and completes', async () => {
    const world = randomPartnerCenterWorld({ seed: 3, customers: 20, subscriptions: 120 });
    const s = await start(world);
    // one lane: with several, two lanes' 401s can each drop the token (see the doc, "Open points")
    const pull = snapshot(
      await createPartnerCenterConnector(configOf(s), { ...fast, lanes: 1 }).pull({
        today: world.today,
        onProgress: (p) => {
          if (p.phase === 'subscriptions' && p.done === 10) s.controls.expireTokens();
        },
      }),
    );
    expect(byId(pull.subscriptions)).toEqual(byId(world.subscriptions.map(expectedSubscription)));
    expect(s.requests.filter((r) => r.path.includes('/oauth2/'))).toHaveLength(2);
    const statuses = s.requests.filter((r) => r.path.endsWith('/subscriptions')).map((r) => r.status);
    expect(statuses.filter((x) => x === 401)).toHaveLength(1);
    expect(statuses.indexOf(401)).toBe(10);
  });

  it('waits Retry-After on 429 and backs off on 5xx within the policy', async () => {
    const world = randomPartnerCenterWorld({ seed: 5, customers: 4, subscriptions: 12 });
    const s = await start(world);
    s.controls.fail(2, 429, 3);
    const first = snapshot(
      await createPartnerCenterConnector(configOf(s), fast).pull({ today: world.today }),
    );
    expect(first.subscriptions).toHaveLength(world.subscriptions.length);
    expect(waits).toEqual([3000, 3000]);
    expect(s.requests.filter((r) => r.status === 429)).toHaveLength(2);

    s.controls.fail(3, 503);
    const second = snapshot(
      await createPartnerCenterConnector(configOf(s), fast).pull({ today: world.today }),
    );
    expect(byId(second.subscriptions)).toEqual(byId(first.subscriptions));
    expect(s.requests.filter((r) => r.status === 503)).toHaveLength(3);
  });

  it('ends with SOURCE_RATE_LIMITED or SOURCE_UNREACHABLE beyond the policy', async () => {
    const world = randomPartnerCenterWorld({ seed: 5, customers: 3, subscriptions: 6 });
    const s = await start(world);
    const options = { ...fast, retry: { ...fast.retry, maxAttempts: 3 } };
    s.controls.fail(3, 429, 1);
    expect(
      (await failure(createPartnerCenterConnector(configOf(s), options).pull({ today: world.today }))).code,
    ).toBe('SOURCE_RATE_LIMITED');
    s.controls.fail(3, 502);
    expect(
      (await failure(createPartnerCenterConnector(configOf(s), options).pull({ today: world.today }))).code,
    ).toBe('SOURCE_UNREACHABLE');
    // a Retry-After longer than the policy waits is not waited
    s.controls.fail(1, 429, 3600);
    const long = await failure(
      createPartnerCenterConnector(configOf(s), options).pull({ today: world.today }),
    );
    expect(long.code).toBe('SOURCE_RATE_LIMITED');
  });

  it('names the setting Entra points at when the sign-in is refused', async () => {
    const world = randomPartnerCenterWorld({ seed: 9, customers: 2, subscriptions: 3 });
    const s = await start(world);
    const cases: [Partial<PartnerCenterConfig>, string, number][] = [
      [{ refreshToken: 'not-the-refresh-token' }, 'PARTNER_CENTER_REFRESH_TOKEN', 400],
      [{ appSecret: 'not-the-secret' }, 'PARTNER_CENTER_APP_SECRET', 401],
      [{ appId: '00000000-0000-4000-8000-00000000dead' }, 'PARTNER_CENTER_APP_ID', 400],
      [{ tenantId: '00000000-0000-4000-8000-00000000beef' }, 'PARTNER_CENTER_TENANT_ID', 400],
    ];
    for (const [wrong, setting, status] of cases) {
      const error = await failure(
        createPartnerCenterConnector(configOf(s, wrong), fast).pull({ today: world.today }),
      );
      expect(error.code).toBe('SOURCE_AUTH_FAILED');
      expect(error.hint).toContain(setting);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(/AADSTS\d+/);
    }
    // nothing but token requests was sent
    expect(s.requests.every((r) => r.path.includes('/oauth2/'))).toBe(true);
  });

  it('reports a malformed subscription by its id and returns the rest', async () => {
    const world = randomPartnerCenterWorld({ seed: 11, customers: 5, subscriptions: 30 });
    const s = await start(world);
    const bad = world.subscriptions[7]!;
    s.controls.malform(bad.id);
    const pull = snapshot(await createPartnerCenterConnector(configOf(s), fast).pull({ today: world.today }));
    expect(pull.problems).toEqual([{ entity: 'subscription', sourceId: bad.id, reason: expect.any(String) }]);
    expect(byId(pull.subscriptions)).toEqual(
      byId(world.subscriptions.filter((x) => x.id !== bad.id).map(expectedSubscription)),
    );
  });

  it('limits the pull to customerSourceIds', async () => {
    const world = randomPartnerCenterWorld({ seed: 13, customers: 8, subscriptions: 40 });
    const s = await start(world);
    const wanted = [world.customers[1]!.id, world.customers[4]!.id];
    const pull = snapshot(
      await createPartnerCenterConnector(configOf(s), fast).pull({
        today: world.today,
        customerSourceIds: wanted,
      }),
    );
    expect(pull.customers.map((c) => c.sourceId).sort()).toEqual([...wanted].sort());
    expect(byId(pull.subscriptions)).toEqual(
      byId(world.subscriptions.filter((x) => wanted.includes(x.customerId)).map(expectedSubscription)),
    );
    expect(s.requests.filter((r) => r.path.endsWith('/subscriptions'))).toHaveLength(wanted.length);
  });

  it('signs in App-only without a refresh token', async () => {
    const world = partnerCenterWorldFromDemo();
    const s = await start(world);
    const pull = snapshot(
      await createPartnerCenterConnector(configOf(s, { refreshToken: undefined }), fast).pull({
        today: world.today,
      }),
    );
    expect(pull.customers).toHaveLength(world.customers.length);
    expect(byId(pull.subscriptions)).toEqual(byId(world.subscriptions.map(expectedSubscription)));
    expect(s.requests.find((r) => r.path.includes('/oauth2/'))!.form).toMatchObject({
      grant_type: 'client_credentials',
    });
  });

  it('reads activity from at most 90 days back and says so', async () => {
    const world = randomPartnerCenterWorld({ seed: 17, customers: 2, subscriptions: 4 });
    const s = await start(world);
    const pull = snapshot(
      await createPartnerCenterConnector(configOf(s), fast).pull({
        since: addDays(world.today, -200),
        today: world.today,
      }),
    );
    expect(pull.problems).toEqual([{ entity: 'activity', reason: expect.stringContaining('90 days') }]);
    const audit = s.requests.find((r) => r.path === '/v1/auditrecords')!;
    expect(audit.status).toBe(200);
    expect(audit.query['startDate']! >= addDays(world.today, -90)).toBe(true);
  });

  it('test() signs in, counts customers and reads subscriptions and activity', async () => {
    const world = partnerCenterWorldFromDemo();
    const s = await start(world);
    const report = await createPartnerCenterConnector(configOf(s), fast).test();
    expect(report.checks.map((c) => [c.name, c.outcome])).toEqual([
      ['sign-in', 'ok'],
      ['customers', 'ok'],
      ['subscriptions', 'ok'],
      ['activity records', 'ok'],
    ]);
    expect(report.counts.customers).toBe(world.customers.length);
    expect(report.requests).toBe(s.requests.length);
    expect(report.latencyMs).toBeDefined();

    const refused = await createPartnerCenterConnector(configOf(s, { appSecret: 'wrong' }), fast).test();
    expect(refused.checks).toEqual([
      expect.objectContaining({
        name: 'sign-in',
        outcome: 'failed',
        problem: expect.objectContaining({ code: 'SOURCE_AUTH_FAILED' }),
      }),
    ]);
  });
});

describe('Partner Center stand-in refuses what Microsoft refuses', () => {
  async function token(s: PartnerCenterStandIn, form: Record<string, string>, path = 'oauth2/token') {
    const res = await fetch(`${s.loginUrl}/${s.credentials.tenantId}/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const good = (s: PartnerCenterStandIn) => ({
    grant_type: 'refresh_token',
    client_id: s.credentials.appId,
    client_secret: s.credentials.appSecret,
    refresh_token: s.credentials.refreshToken,
  });

  it('answers Entra error JSON for a wrong resource or scope, and accepts the v2.0 scope', async () => {
    const s = await start(randomPartnerCenterWorld({ seed: 1, customers: 1, subscriptions: 1 }));
    const wrong = await token(s, { ...good(s), resource: 'https://graph.microsoft.com' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
    expect(String(wrong.body['error_description'])).toMatch(/^AADSTS500011:/);
    const v2 = await token(
      s,
      { ...good(s), scope: 'https://api.partnercenter.microsoft.com/user_impersonation offline_access' },
      'oauth2/v2.0/token',
    );
    expect(v2.status).toBe(200);
    expect(typeof v2.body['expires_in']).toBe('number');
    const v1 = await token(s, { ...good(s), resource: 'https://api.partnercenter.microsoft.com' });
    expect(typeof v1.body['expires_in']).toBe('string');
  });

  it('refuses a missing token, a non-JSON Accept, a foreign continuation token and a start over 90 days back', async () => {
    const world = randomPartnerCenterWorld({ seed: 1, customers: 3, subscriptions: 3 });
    const s = await start(world);
    const { body } = await token(s, { ...good(s), resource: 'https://api.partnercenter.microsoft.com' });
    const auth = { Authorization: `Bearer ${String(body['access_token'])}` };
    expect((await fetch(`${s.url}/customers`, { headers: { Accept: 'application/json' } })).status).toBe(401);
    expect((await fetch(`${s.url}/customers`, { headers: { ...auth, Accept: 'text/html' } })).status).toBe(
      406,
    );
    const next = await fetch(`${s.url}/customers?seekOperation=Next`, {
      headers: { ...auth, Accept: 'application/json', 'MS-ContinuationToken': 'made-up' },
    });
    expect(next.status).toBe(400);
    expect(await next.json()).toMatchObject({ code: expect.any(String), description: expect.any(String) });
    const old = await fetch(`${s.url}/auditrecords?startDate=${addDays(world.today, -91)}`, {
      headers: { ...auth, Accept: 'application/json' },
    });
    expect(old.status).toBe(400);
    const throttled =
      (s.controls.fail(1, 429, 7),
      await fetch(`${s.url}/customers`, { headers: { ...auth, Accept: 'application/json' } }));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(await throttled.json()).toEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 7 seconds.',
    });
  });
});
