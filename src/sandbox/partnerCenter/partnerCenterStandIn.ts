// A strict stand-in for the Microsoft Partner Center REST API and the Entra token endpoint it
// signs in at, on plain node:http (docs/sources-partner-center.md "What the stand-in models").
//
// Vendor documents followed (named in full, with dates, in docs/sources-partner-center.md):
// - "Enable the secure application model" — v1 token endpoint, refresh_token grant, resource.
// - "Partner Center REST headers" — Authorization, Accept, MS-RequestId, MS-CorrelationId.
// - "Get a list of customers" — GET /v1/customers?size=, Collection envelope; App-only allowed.
// - "Get all of a customer's subscriptions" and "Subscription resources" — fields and enums.
// - "Get a record of Partner Center activity" and "Auditing resources" — /v1/auditrecords,
//   30-day default, 90-day limit (400), AuditRecord fields, operationType names.
// - "Partner Center API throttling guidance" — 429 with Retry-After and its JSON body.
// - "Partner Center REST error codes" — {code, description, data, source}.
// - Entra "authentication and authorization error codes" — error JSON with AADSTS codes.
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { addDays, isCalendarDate } from '../../core/calendarDate.js';
import { send, type HttpAnswer } from '../server/sandboxHttp.js';
import {
  addCustomer,
  addSubscription,
  changeSubscription,
  type SubscriptionChange,
} from './partnerCenterActivity.js';
import { EntraTokenIssuer, type PartnerCenterCredentials, type TokenKind } from './entraTokenEndpoint.js';
import { collection, customerOnWire, subscriptionOnWire } from './partnerCenterWire.js';
import {
  randomPartnerCenterWorld,
  type PartnerCenterWorld,
  type PcAuditRecord,
  type PcCustomer,
  type PcSubscription,
} from './partnerCenterWorld.js';

export interface PartnerCenterStandInOptions {
  world?: PartnerCenterWorld;
  credentials?: Partial<PartnerCenterCredentials>;
  /** the most items one page holds whatever `size` asks (undocumented; see the doc) */
  maxPageSize?: number;
}

export interface RecordedRequest {
  method: string;
  /** the path without the query */
  path: string;
  query: Record<string, string>;
  /** lowercase names */
  headers: Record<string, string>;
  /** token requests: the form, with client_secret and refresh_token masked */
  form?: Record<string, string>;
  status: number;
}

export interface PartnerCenterControls {
  /** every access token issued so far is refused from now on (401) */
  expireTokens(): void;
  /** the next `n` API requests answer `status` (429 carries Retry-After) */
  fail(n: number, status: number, retryAfterSeconds?: number): void;
  /** the subscription is listed with unreadable quantity and status */
  malform(subscriptionId: string): void;
  changeSubscription(
    tenantId: string,
    subscriptionId: string,
    change: SubscriptionChange,
    date: string,
  ): PcAuditRecord;
  addCustomer(customer: PcCustomer, date?: string): PcAuditRecord;
  addSubscription(subscription: PcSubscription, date?: string): PcAuditRecord;
  /** the stand-in's calendar moves one day on */
  advanceDay(): string;
}

export interface PartnerCenterStandIn {
  /** the API base, ending in /v1 */
  url: string;
  /** the Entra login base (https://login.microsoftonline.com in production); the tenant follows it */
  loginUrl: string;
  credentials: PartnerCenterCredentials;
  world: PartnerCenterWorld;
  controls: PartnerCenterControls;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Which calls take an App-only token: Microsoft says all three modelled ones do. */
const APP_ONLY_ALLOWED: Record<string, boolean> = {
  customers: true,
  subscriptions: true,
  auditrecords: true,
};

const DEFAULT_PAGE_SIZE = 100;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUDIT_DEFAULT_DAYS = 30;
const AUDIT_MAX_DAYS_BACK = 90;

interface Continuation {
  list: 'customers' | 'auditrecords';
  items: unknown[];
  offset: number;
  size: number;
}

export async function startPartnerCenterStandIn(
  options: PartnerCenterStandInOptions = {},
): Promise<PartnerCenterStandIn> {
  const world = options.world ?? randomPartnerCenterWorld({ seed: 1, customers: 5, subscriptions: 20 });
  const credentials: PartnerCenterCredentials = {
    appId: randomUUID(),
    appSecret: `secret~${randomBytes(12).toString('base64url')}`,
    tenantId: world.partnerTenantId,
    refreshToken: `0.refresh.${randomBytes(24).toString('base64url')}`,
    ...options.credentials,
  };
  const maxPageSize = options.maxPageSize ?? DEFAULT_PAGE_SIZE;
  const issuer = new EntraTokenIssuer(credentials);
  const requests: RecordedRequest[] = [];
  const malformed = new Set<string>();
  const continuations = new Map<string, Continuation>();
  let failures: { left: number; status: number; retryAfterSeconds: number | undefined } = {
    left: 0,
    status: 500,
    retryAfterSeconds: undefined,
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        status: 0,
      };
      requests.push(record);
      const answer = url.pathname.startsWith('/login/')
        ? login(url, Buffer.concat(chunks).toString('utf8'), headers, record)
        : api(url, headers);
      record.status = answer.status;
      send(res, answer);
    });
  });

  function login(
    url: URL,
    text: string,
    headers: Record<string, string>,
    record: RecordedRequest,
  ): HttpAnswer {
    const match = /^\/login\/([^/]+)\/oauth2\/(v2\.0\/)?token$/.exec(url.pathname);
    if (!match || record.method !== 'POST')
      return {
        status: 404,
        body: { error: 'not_found', error_description: 'AADSTS90056: not a token endpoint' },
      };
    const form = new URLSearchParams(text);
    record.form = Object.fromEntries(
      [...form].map(([k, v]) => [k, k === 'client_secret' || k === 'refresh_token' ? '***' : v]),
    );
    return issuer.answer(
      match[2] ? 'v2.0' : 'v1',
      decodeURIComponent(match[1]!),
      form,
      headers['content-type'] ?? '',
    );
  }

  function api(url: URL, headers: Record<string, string>): HttpAnswer {
    const requestId = headers['ms-requestid'] ?? randomUUID();
    const correlationId = headers['ms-correlationid'] ?? randomUUID();
    const echo = { 'MS-RequestId': requestId, 'MS-CorrelationId': correlationId };
    const answer = route(url, headers);
    return { ...answer, headers: { ...echo, ...answer.headers } };
  }

  function route(url: URL, headers: Record<string, string>): HttpAnswer {
    const path = url.pathname.replace(/\/+$/, '');
    const resource = routeOf(path);
    if (!resource) return pcError(404, '1000', `The resource ${path} was not found.`);
    const token = issuer.check(headers['authorization']);
    if (!token)
      return {
        ...pcError(401, '401', 'Unauthorized: the access token is missing, not valid or has expired.'),
        headers: { 'WWW-Authenticate': `OAuth realm=urn:cpsvc:cpid:${world.partnerTenantId}` },
      };
    const refusal = headerRefusal(headers, token.kind, resource.name);
    if (refusal) return refusal;
    if (failures.left > 0) {
      failures.left--;
      return failureAnswer(failures.status, failures.retryAfterSeconds);
    }
    if (resource.name === 'customers') return customers(url, headers);
    if (resource.name === 'subscriptions') return subscriptions(resource.tenantId!);
    return auditRecords(url, headers);
  }

  function headerRefusal(
    headers: Record<string, string>,
    kind: TokenKind,
    name: string,
  ): HttpAnswer | undefined {
    const accept = headers['accept'] ?? '';
    if (!/application\/json|\*\/\*/i.test(accept))
      return pcError(406, '406', 'The Accept header must allow application/json.');
    for (const header of ['ms-requestid', 'ms-correlationid']) {
      const value = headers[header];
      if (value !== undefined && !GUID.test(value))
        return pcError(
          400,
          '400',
          `The ${header === 'ms-requestid' ? 'MS-RequestId' : 'MS-CorrelationId'} header must be a GUID.`,
        );
    }
    if (kind === 'app-only' && !APP_ONLY_ALLOWED[name])
      return pcError(
        403,
        '403',
        'This operation needs App+User credentials; an App-only token is not accepted.',
      );
    return undefined;
  }

  function customers(url: URL, headers: Record<string, string>): HttpAnswer {
    const next = continued(url, headers, 'customers');
    if (next) return next;
    const size = pageSize(url);
    if (typeof size !== 'number') return size;
    return firstPage('customers', world.customers.map(customerOnWire), size, `/customers?size=${size}`);
  }

  function subscriptions(tenantId: string): HttpAnswer {
    if (!world.customers.some((c) => c.id === tenantId))
      return pcError(
        404,
        '600',
        `The customer ${tenantId} was not found or is not a customer of this partner.`,
      );
    const items = world.subscriptions
      .filter((s) => s.customerId === tenantId)
      .map((s) => subscriptionOnWire(s, malformed.has(s.id)));
    return {
      status: 200,
      body: { totalCount: items.length, items, attributes: { objectType: 'Collection' } },
    };
  }

  function auditRecords(url: URL, headers: Record<string, string>): HttpAnswer {
    const next = continued(url, headers, 'auditrecords');
    if (next) return next;
    const size = pageSize(url);
    if (typeof size !== 'number') return size;
    const startDate = url.searchParams.get('startDate') ?? addDays(world.today, -AUDIT_DEFAULT_DAYS);
    const endDate = url.searchParams.get('endDate') ?? world.today;
    for (const [name, value] of [
      ['startDate', startDate],
      ['endDate', endDate],
    ] as const)
      if (!isCalendarDate(value)) return pcError(400, '400', `${name} must be a date written yyyy-mm-dd.`);
    if (startDate < addDays(world.today, -AUDIT_MAX_DAYS_BACK))
      return pcError(400, '400', `startDate cannot be more than ${AUDIT_MAX_DAYS_BACK} days before today.`);
    if (endDate < startDate) return pcError(400, '400', 'endDate must not be before startDate.');
    const filter = auditFilter(url.searchParams.get('filter'));
    if (filter === 'invalid') return pcError(400, '400', 'The filter is not valid.');
    const items = world.auditRecords
      .filter((r) => r.operationDate.slice(0, 10) >= startDate && r.operationDate.slice(0, 10) <= endDate)
      .filter((r) => !filter || filter(r))
      .sort((a, b) => a.operationDate.localeCompare(b.operationDate))
      .map((r) => ({ ...r, attributes: { objectType: 'AuditRecord' } }));
    return firstPage('auditrecords', items, size, `/auditrecords?${url.searchParams.toString()}`);
  }

  function firstPage(
    list: Continuation['list'],
    items: unknown[],
    size: number,
    selfUri: string,
  ): HttpAnswer {
    return page({ list, items, offset: 0, size }, selfUri);
  }

  function page(state: Continuation, selfUri: string): HttpAnswer {
    const slice = state.items.slice(state.offset, state.offset + state.size);
    const rest = state.offset + state.size < state.items.length;
    let next: { uri: string; continuationToken: string } | undefined;
    if (rest) {
      const continuationToken = randomBytes(16).toString('base64url');
      continuations.set(continuationToken, { ...state, offset: state.offset + state.size });
      next = { uri: `/${state.list}?size=${state.size}&seekOperation=Next`, continuationToken };
    }
    return { status: 200, body: collection(slice, selfUri, next) };
  }

  /** A seekOperation=Next request: the MS-ContinuationToken header must be one issued for this list. */
  function continued(
    url: URL,
    headers: Record<string, string>,
    list: Continuation['list'],
  ): HttpAnswer | undefined {
    const seek = url.searchParams.get('seekOperation');
    if (seek === null) return undefined;
    if (seek !== 'Next') return pcError(400, '400', `seekOperation ${seek} is not supported; only Next is.`);
    const token = headers['ms-continuationtoken'];
    const state = token ? continuations.get(token) : undefined;
    if (!state || state.list !== list)
      return pcError(
        400,
        '400',
        'The MS-ContinuationToken header is missing or not valid for this collection.',
      );
    continuations.delete(token!);
    return page(state, `/${list}?${url.searchParams.toString()}`);
  }

  function pageSize(url: URL): number | HttpAnswer {
    const raw = url.searchParams.get('size');
    if (raw === null) return maxPageSize;
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      return pcError(400, '400', 'size must be a positive whole number.');
    return Math.min(Number(raw), maxPageSize);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const controls: PartnerCenterControls = {
    expireTokens: () => issuer.expireAll(),
    fail: (n, status, retryAfterSeconds) => {
      failures = { left: n, status, retryAfterSeconds };
    },
    malform: (subscriptionId) => {
      malformed.add(subscriptionId);
    },
    changeSubscription: (tenantId, subscriptionId, change, date) =>
      changeSubscription(world, tenantId, subscriptionId, change, date),
    addCustomer: (customer, date = world.today) => addCustomer(world, customer, date),
    addSubscription: (subscription, date = world.today) => addSubscription(world, subscription, date),
    advanceDay: () => (world.today = addDays(world.today, 1)),
  };

  return {
    url: `http://127.0.0.1:${port}/v1`,
    loginUrl: `http://127.0.0.1:${port}/login`,
    credentials,
    world,
    controls,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function routeOf(path: string): { name: string; tenantId?: string } | undefined {
  if (path === '/v1/customers') return { name: 'customers' };
  if (path === '/v1/auditrecords') return { name: 'auditrecords' };
  const match = /^\/v1\/customers\/([^/]+)\/subscriptions$/.exec(path);
  return match ? { name: 'subscriptions', tenantId: decodeURIComponent(match[1]!) } : undefined;
}

/** The filter of /v1/auditrecords: URL-encoded JSON {Field, Value, Operator}. */
function auditFilter(raw: string | null): ((r: PcAuditRecord) => boolean) | undefined | 'invalid' {
  if (raw === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'invalid';
  }
  const f = parsed as { Field?: unknown; Value?: unknown; Operator?: unknown };
  if (typeof f.Value !== 'string' || (f.Operator !== 'equals' && f.Operator !== 'substring'))
    return 'invalid';
  const field = { ResourceType: 'resourceType', CustomerId: 'customerId', CompanyName: 'customerName' }[
    String(f.Field)
  ] as keyof PcAuditRecord | undefined;
  if (!field) return 'invalid';
  const wanted = f.Value.toLowerCase();
  return (r) => {
    const value = String(r[field]).toLowerCase();
    return f.Operator === 'equals' ? value === wanted : value.includes(wanted);
  };
}

function pcError(status: number, code: string, description: string): HttpAnswer {
  return { status, body: { code, description, data: [], source: 'PartnerFD' } };
}

function failureAnswer(status: number, retryAfterSeconds: number | undefined): HttpAnswer {
  if (status === 429) {
    const wait = retryAfterSeconds ?? 1;
    return {
      status,
      body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${wait} seconds.` },
      headers: { 'Retry-After': String(wait) },
    };
  }
  return {
    ...pcError(status, String(status), 'The service is unavailable. Try again later.'),
    ...(retryAfterSeconds !== undefined ? { headers: { 'Retry-After': String(retryAfterSeconds) } } : {}),
  };
}
