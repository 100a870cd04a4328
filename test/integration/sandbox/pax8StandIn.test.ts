// The Pax8 stand-in refuses what Pax8 documents refusing (docs/sources-pax8.md "What the
// stand-in models and refuses"), and pages and lists history as Pax8 describes.
import { startPax8StandIn, type Pax8StandIn } from '../../../src/sandbox/pax8/pax8StandIn.js';
import { randomPax8World } from '../../../src/sandbox/pax8/randomPax8World.js';

let standIn: Pax8StandIn;
beforeAll(async () => {
  standIn = await startPax8StandIn({
    world: randomPax8World({ seed: 3, companies: 12, subscriptions: 45, days: 2 }),
  });
});
afterAll(async () => {
  await standIn.close();
});

async function token(body: Record<string, string>, contentType = 'application/json') {
  const response = await fetch(standIn.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: contentType === 'application/json' ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const credentials = () => ({
  client_id: standIn.clientId,
  client_secret: standIn.clientSecret,
  audience: 'https://api.pax8.com',
  grant_type: 'client_credentials',
});

async function get(path: string, bearer?: string) {
  const response = await fetch(`${standIn.url}${path}`, {
    headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the token endpoint', () => {
  test('issues a one-day Bearer token for the partner audiences', async () => {
    for (const audience of ['https://api.pax8.com', 'api://p8p.client']) {
      const answer = await token({ ...credentials(), audience });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        access_token: expect.any(String),
        expires_in: 86400,
        token_type: 'Bearer',
      });
    }
  });

  test('refuses wrong credentials with 401 access_denied, a missing field or a form body with 400', async () => {
    expect(await token({ ...credentials(), client_secret: 'nope' })).toEqual({
      status: 401,
      body: { error: 'access_denied', error_description: 'Unauthorized' },
    });
    const { audience: _a, ...noAudience } = credentials();
    expect((await token(noAudience)).status).toBe(400);
    expect((await token({ ...credentials(), grant_type: 'password' })).status).toBe(400);
    expect((await token(credentials(), 'application/x-www-form-urlencoded')).status).toBe(400);
  });
});

describe('the partner endpoints', () => {
  let bearer: string;
  beforeAll(async () => {
    bearer = (await token(credentials())).body.access_token as string;
  });

  test('refuse a missing or unknown bearer token with 401 in Pax8’s error shape', async () => {
    for (const b of [undefined, 'made-up']) {
      const answer = await get('/companies', b);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ status: 401, instance: '/v1/companies', details: [] });
    }
  });

  test('page with zero-based page and size (default 10, at most 200) in the page envelope', async () => {
    const world = standIn.world;
    const first = await get('/subscriptions', bearer);
    expect(first.body.page).toEqual({
      size: 10,
      totalElements: world.subscriptions.length,
      totalPages: Math.ceil(world.subscriptions.length / 10),
      number: 0,
    });
    const last = await get(`/subscriptions?page=2&size=20`, bearer);
    expect((last.body.content as unknown[]).length).toBe(world.subscriptions.length - 40);
    const beyond = await get(`/subscriptions?page=9&size=20`, bearer);
    expect(beyond.body.content).toEqual([]);
    expect((await get('/subscriptions?size=201', bearer)).status).toBe(400);
    expect((await get('/subscriptions?size=0', bearer)).status).toBe(400);
  });

  test('filter subscriptions by companyId and answer 403 for an id that is not the partner’s', async () => {
    const company = standIn.world.companies[2]!;
    const answer = await get(`/subscriptions?companyId=${company.id}&size=200`, bearer);
    const ids = (answer.body.content as { id: string; companyId: string }[]).map((s) => s.companyId);
    expect(ids).toEqual(
      standIn.world.subscriptions.filter((s) => s.companyId === company.id).map((s) => s.companyId),
    );
    const foreign = await get('/subscriptions?companyId=11111111-2222-4333-8444-555555555555', bearer);
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toBe('Invalid companyId');
  });

  test('list a subscription’s history newest first, as full snapshots; 404 for an unknown id', async () => {
    const changed = standIn.world.subscriptions.find((s) => standIn.world.history[s.id]!.length > 1)!;
    const answer = await get(`/subscriptions/${changed.id}/history`, bearer);
    const content = answer.body.content as { id: string; updatedDate: string }[];
    expect(content.map((c) => c.updatedDate)).toEqual(
      standIn.world.history[changed.id]!.map((h) => h.updatedDate).reverse(),
    );
    expect(content.every((c) => c.id === changed.id)).toBe(true);
    expect(answer.body.page).toBeUndefined();
    expect((await get('/subscriptions/no-such-subscription/history', bearer)).status).toBe(404);
  });

  test('stop taking a token once the controls expire it', async () => {
    const own = (await token(credentials())).body.access_token as string;
    expect((await get('/products', own)).status).toBe(200);
    standIn.controls.expireAllTokens();
    expect((await get('/products', own)).status).toBe(401);
  });
});
