// A strict stand-in for the Pax8 Partner API (plain node:http), for the connector's tests and
// the demo. It follows Pax8's published description (docs/sources-pax8.md lists the documents
// and their dates):
// - Pax8 Partner Endpoints and Authentication OpenAPI documents (1.0.0), as mirrored in the public
//   repository api-evangelist/pax8 at commit 36580fb (2026-08-07): paths, parameters, the page
//   envelope, the Company/Product/Subscription schemas and enums, the Error shape, the token
//   request/response and its 401 example;
// - devx.pax8.com "Authentication" (token lifetime one day, JSON body, audience), "Errors"
//   (status codes), "Pagination" (zero-based pages; past the last page an empty content),
//   home page "API Rate Limits" (1000 calls a minute; 429).
// It refuses what Pax8 documents refusing: a token request that is not JSON or lacks a field,
// wrong client credentials (401 access_denied), an API call without a live bearer token (401), a
// page size outside 1..200, an unknown companyId filter (403 "Invalid companyId"), an unknown id
// (404). It records every request so tests can assert on what was sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { addDays } from '../../core/calendarDate.js';
import { readJson, send, type HttpAnswer } from '../server/sandboxHttp.js';
import {
  changePax8Subscription,
  pax8Timestamp,
  PAX8_BILLING_TERMS,
  PAX8_SUBSCRIPTION_STATUSES,
  type Pax8Subscription,
  type Pax8World,
} from './pax8World.js';

export interface Pax8StandInOptions {
  world: Pax8World;
  clientId?: string;
  clientSecret?: string;
  /** seconds a token lives (Pax8: one day) */
  tokenLifetimeSeconds?: number;
}

export interface Pax8RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** an Authorization header was sent */
  authorization: boolean;
  status: number;
}

export interface Pax8Controls {
  /** every token issued so far stops working now */
  expireAllTokens(): void;
  /** every token issued so far stops working after `requests` more API requests */
  expireTokensAfter(requests: number): void;
  /** the next `count` API requests (token requests not included) answer `status` */
  fail(count: number, status: number, retryAfterSeconds?: number): void;
  /** the row of this subscription or company is served with a broken field */
  malform(id: string): void;
  /** moves the world's today forward */
  advanceDays(days: number): void;
  /** a new snapshot of the subscription today, after its last one */
  changeSubscription(
    subscriptionId: string,
    patch: Partial<Pick<Pax8Subscription, 'quantity' | 'status' | 'price' | 'billingTerm'>>,
  ): Pax8Subscription;
}

export interface Pax8StandIn {
  /** the API base, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  world: Pax8World;
  controls: Pax8Controls;
  requests: Pax8RecordedRequest[];
  /** tokens issued (each successful token request) */
  tokensIssued(): number;
  close(): Promise<void>;
}

const PARTNER_AUDIENCES = ['https://api.pax8.com', 'api://p8p.client'];
const MAX_PAGE_SIZE = 200;
const DEFAULT_PAGE_SIZE = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Pax8's documented error body. */
function pax8Error(status: number, type: string, message: string, instance: string): HttpAnswer {
  return { status, body: { type, message, instance, status, details: [] } };
}

export async function startPax8StandIn(options: Pax8StandInOptions): Promise<Pax8StandIn> {
  const world = options.world;
  const clientId = options.clientId ?? `pax8-client-${randomBytes(4).toString('hex')}`;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const lifetime = options.tokenLifetimeSeconds ?? 86_400;
  const tokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  const requests: Pax8RecordedRequest[] = [];
  const malformed = new Set<string>();
  let issued = 0;
  let expireAfter: number | undefined;
  let failures: { remaining: number; status: number; retryAfterSeconds?: number | undefined } | undefined;

  const expireAll = () => {
    for (const t of tokens.values()) t.revoked = true;
  };

  const controls: Pax8Controls = {
    expireAllTokens: expireAll,
    expireTokensAfter(n) {
      expireAfter = n;
    },
    fail(count, status, retryAfterSeconds) {
      failures = { remaining: count, status, retryAfterSeconds };
    },
    malform(id) {
      const known = world.subscriptions.some((s) => s.id === id) || world.companies.some((c) => c.id === id);
      if (!known) throw new Error(`no subscription or company ${id} to malform`);
      malformed.add(id);
    },
    advanceDays(days) {
      world.today = addDays(world.today, days);
    },
    changeSubscription(subscriptionId, patch) {
      const current = world.subscriptions.find((s) => s.id === subscriptionId);
      if (!current) throw new Error(`no subscription ${subscriptionId}`);
      const sameDay = current.updatedDate.slice(0, 10) === world.today;
      const last =
        Number(current.updatedDate.slice(11, 13)) * 3600 + Number(current.updatedDate.slice(14, 16)) * 60;
      const at = pax8Timestamp(world.today, sameDay ? last + 60 : 10 * 3600);
      return changePax8Subscription(world, subscriptionId, at, patch);
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const record: Pax8RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      authorization: req.headers.authorization !== undefined,
      status: 0,
    };
    requests.push(record);
    const answer = (a: HttpAnswer) => {
      record.status = a.status;
      send(res, a);
    };
    void (async () => {
      if (url.pathname === '/v1/token') return answer(await tokenRequest(req));
      answer(apiRequest(req, url));
    })().catch(() => answer(pax8Error(500, 'INTERNAL_SERVER_ERROR', 'The stand-in failed', url.pathname)));
  });

  async function tokenRequest(req: http.IncomingMessage): Promise<HttpAnswer> {
    const oauthError = (status: number, error: string, description: string): HttpAnswer => ({
      status,
      body: { error, error_description: description },
    });
    if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'The token endpoint takes POST');
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
      req.resume();
      return oauthError(400, 'invalid_request', 'The token request body must be JSON');
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return oauthError(400, 'invalid_request', 'The token request body is not valid JSON');
    }
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    for (const field of ['client_id', 'client_secret', 'audience', 'grant_type'])
      if (typeof b[field] !== 'string' || b[field] === '')
        return oauthError(400, 'invalid_request', `Missing required parameter: ${field}`);
    if (b.grant_type !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
    if (b.client_id !== clientId || b.client_secret !== clientSecret)
      return oauthError(401, 'access_denied', 'Unauthorized');
    if (!PARTNER_AUDIENCES.includes(b.audience as string))
      return oauthError(403, 'access_denied', `No partner API access for audience ${String(b.audience)}`);
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { expiresAt: Date.now() + lifetime * 1000, revoked: false });
    issued++;
    return { status: 200, body: { access_token: token, expires_in: lifetime, token_type: 'Bearer' } };
  }

  function apiRequest(req: http.IncomingMessage, url: URL): HttpAnswer {
    req.resume();
    const path = url.pathname;
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer (\S+)$/i.exec(header)?.[1];
    const token = bearer ? tokens.get(bearer) : undefined;
    if (!token || token.revoked || token.expiresAt <= Date.now())
      return pax8Error(401, 'UNAUTHORIZED', 'No valid access token was provided', path);
    if (expireAfter !== undefined && --expireAfter <= 0) {
      expireAfter = undefined;
      expireAll();
    }
    if (failures && failures.remaining > 0) {
      failures.remaining--;
      const { status, retryAfterSeconds } = failures;
      const failed = pax8Error(
        status,
        status === 429 ? 'TOO_MANY_REQUESTS' : 'INTERNAL_SERVER_ERROR',
        status === 429 ? 'Too many requests in a short time' : 'The service is unavailable',
        path,
      );
      return retryAfterSeconds !== undefined && status === 429
        ? { ...failed, headers: { 'Retry-After': String(retryAfterSeconds) } }
        : failed;
    }
    if (req.method !== 'GET')
      return pax8Error(405, 'METHOD_NOT_ALLOWED', `${req.method} is not served here`, path);
    const q = url.searchParams;
    let m: RegExpExecArray | null;
    if (path === '/v1/companies')
      return paged(q, path, world.companies.filter(companyFilter(q)).map(serveCompany));
    if ((m = /^\/v1\/companies\/([^/]+)$/.exec(path))) {
      const company = world.companies.find((c) => c.id === decodeURIComponent(m![1]!));
      return company
        ? { status: 200, body: serveCompany(company) }
        : pax8Error(404, 'NOT_FOUND', `Company Not Found: ${m[1]}`, path);
    }
    if (path === '/v1/products') return paged(q, path, world.products);
    if ((m = /^\/v1\/products\/([^/]+)$/.exec(path))) {
      const product = world.products.find((p) => p.id === decodeURIComponent(m![1]!));
      return product
        ? { status: 200, body: product }
        : pax8Error(404, 'NOT_FOUND', `Product Not Found: ${m[1]}`, path);
    }
    if (path === '/v1/subscriptions') {
      const companyId = q.get('companyId');
      if (companyId !== null && (!UUID.test(companyId) || !world.companies.some((c) => c.id === companyId)))
        return pax8Error(403, 'FORBIDDEN', 'Invalid companyId', path);
      const status = q.get('status');
      if (status !== null && !(PAX8_SUBSCRIPTION_STATUSES as readonly string[]).includes(status))
        return pax8Error(400, 'BAD_REQUEST', `Invalid status: ${status}`, path);
      const billingTerm = q.get('billingTerm');
      if (billingTerm !== null && !(PAX8_BILLING_TERMS as readonly string[]).includes(billingTerm))
        return pax8Error(400, 'BAD_REQUEST', `Invalid billingTerm: ${billingTerm}`, path);
      const productId = q.get('productId');
      const rows = world.subscriptions.filter(
        (s) =>
          (companyId === null || s.companyId === companyId) &&
          (status === null || s.status === status) &&
          (billingTerm === null || s.billingTerm === billingTerm) &&
          (productId === null || s.productId === productId),
      );
      return paged(q, path, rows.map(serveSubscription));
    }
    if ((m = /^\/v1\/subscriptions\/([^/]+)(\/history)?$/.exec(path))) {
      const id = decodeURIComponent(m[1]!);
      const subscription = world.subscriptions.find((s) => s.id === id);
      if (!subscription) return pax8Error(404, 'NOT_FOUND', 'Subscription not found', path);
      if (!m[2]) return { status: 200, body: serveSubscription(subscription) };
      // newest first, as Pax8's example lists them; no page envelope (none is documented)
      return { status: 200, body: { content: [...world.history[id]!].reverse() } };
    }
    return pax8Error(404, 'NOT_FOUND', `No endpoint ${path}`, path);
  }

  function serveCompany(company: Pax8World['companies'][number]): unknown {
    return malformed.has(company.id) ? { ...company, name: null } : company;
  }
  function serveSubscription(subscription: Pax8Subscription): unknown {
    return malformed.has(subscription.id) ? { ...subscription, quantity: 'several' } : subscription;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    tokenUrl: `http://127.0.0.1:${port}/v1/token`,
    clientId,
    clientSecret,
    world,
    controls,
    requests,
    tokensIssued: () => issued,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function companyFilter(q: URLSearchParams) {
  const status = q.get('status');
  return (c: Pax8World['companies'][number]) => status === null || c.status === status;
}

/** Pax8's paging: zero-based `page`, `size` 1..200 (default 10), the `page` block beside `content`. */
function paged(q: URLSearchParams, path: string, rows: unknown[]): HttpAnswer {
  const pageText = q.get('page') ?? '0';
  const sizeText = q.get('size') ?? String(DEFAULT_PAGE_SIZE);
  if (!/^\d+$/.test(pageText)) return pax8Error(400, 'BAD_REQUEST', `Invalid page: ${pageText}`, path);
  if (!/^\d+$/.test(sizeText) || Number(sizeText) < 1 || Number(sizeText) > MAX_PAGE_SIZE)
    return pax8Error(400, 'BAD_REQUEST', `size must be between 1 and ${MAX_PAGE_SIZE}`, path);
  const page = Number(pageText);
  const size = Number(sizeText);
  return {
    status: 200,
    body: {
      content: rows.slice(page * size, page * size + size),
      page: { size, totalElements: rows.length, totalPages: Math.ceil(rows.length / size), number: page },
    },
  };
}
