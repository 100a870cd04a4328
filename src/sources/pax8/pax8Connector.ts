// The Pax8 source: reads companies, subscriptions, the products they are of, and each
// subscription's history through the Partner API, and hands them over as a history pull
// (docs/sources-pax8.md). Every request goes through SourceHttp (token, retries, the budget).
// A row that does not read is one SourceRowProblem named by its Pax8 id; the pull goes on.
import { Decimal } from 'decimal.js';
import type { z } from 'zod';
import { runLanes } from '../../concurrency/runLanes.js';
import type { HistoryEvent } from '../../subscriptions/historyEvent.js';
import type {
  HistoryPull,
  PullRequest,
  SourceCheck,
  SourceConnector,
  SourceCustomer,
  SourceRowProblem,
  SourceSubscription,
  SourceTerm,
  SourceTestReport,
} from '../sourceConnector.js';
import { isSourceError, SourceError } from '../sourceError.js';
import { latencySummary, SourceHttp, type ApiAnswer, type SourceRetryPolicy } from '../sourceHttp.js';
import { PAX8_CREDENTIAL_SETTINGS, PAX8_PARTNER_AUDIENCE, type Pax8Config } from './pax8Config.js';
import { pax8BillingCycle, pax8HistoryEvents } from './pax8History.js';
import {
  Pax8CompanySchema,
  Pax8HistoryAnswerSchema,
  Pax8HistoryEntrySchema,
  Pax8PageSchema,
  Pax8ProductSchema,
  Pax8SubscriptionSchema,
  Pax8TokenAnswerSchema,
  type Pax8HistoryEntry,
  type Pax8ProductRow,
  type Pax8SubscriptionRow,
} from './pax8Schemas.js';

export interface Pax8ConnectorOptions {
  retry?: Partial<SourceRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  timeoutMs?: number;
  /** rows a page (Pax8 allows 1..200) */
  pageSize?: number;
  /** history requests in progress at once */
  lanes?: number;
  /** the token audience (Pax8 names https://api.pax8.com; older clients use api://p8p.client) */
  audience?: string;
  /** vendor SKUs (prefixes) billed by usage rather than per seat: Microsoft's Azure plan */
  usageVendorSkus?: readonly string[];
}

const DEFAULT_USAGE_VENDOR_SKUS = ['DZH318Z0BPS6'];
const MAX_PAGES = 10_000;

export function createPax8Connector(config: Pax8Config, options: Pax8ConnectorOptions = {}): SourceConnector {
  const pageSize = options.pageSize ?? 200;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200)
    throw new Error('the Pax8 page size must be 1..200');
  const usageSkus = options.usageVendorSkus ?? DEFAULT_USAGE_VENDOR_SKUS;

  const newHttp = (onToken?: () => void) =>
    new SourceHttp({
      source: 'pax8',
      baseUrl: config.baseUrl,
      credentialSettings: PAX8_CREDENTIAL_SETTINGS,
      retry: options.retry,
      sleep: options.sleep,
      now: options.now,
      timeoutMs: options.timeoutMs,
      fetchToken: async (http) => {
        const answer = await http.postJson(config.tokenUrl, {
          client_id: config.clientId,
          client_secret: config.clientSecret,
          audience: options.audience ?? PAX8_PARTNER_AUDIENCE,
          grant_type: 'client_credentials',
        });
        if (answer.status === 401 || answer.status === 403)
          throw new SourceError(
            'pax8',
            'SOURCE_AUTH_FAILED',
            `Pax8 refused the client credentials (${answer.status}${answer.message ? `: ${answer.message}` : ''})`,
            `check PAX8_CLIENT_ID and PAX8_CLIENT_SECRET: an API client from the Pax8 portal with access to the partner endpoints`,
            answer.status,
          );
        if (answer.status !== 200) throw unexpected(answer, `the token endpoint ${config.tokenUrl}`);
        const token = Pax8TokenAnswerSchema.safeParse(answer.body);
        if (!token.success) throw unexpected(answer, `the token endpoint ${config.tokenUrl}`);
        onToken?.();
        return { accessToken: token.data.access_token, expiresInSeconds: token.data.expires_in };
      },
    });

  function requireConfig(): void {
    const missing = [
      ['PAX8_CLIENT_ID', config.clientId],
      ['PAX8_CLIENT_SECRET', config.clientSecret],
      ['PAX8_BASE_URL', config.baseUrl],
      ['PAX8_TOKEN_URL', config.tokenUrl],
    ].filter(([, v]) => !v?.trim());
    if (missing.length > 0)
      throw new SourceError(
        'pax8',
        'SOURCE_NOT_CONFIGURED',
        `the Pax8 source lacks ${missing.map(([name]) => name).join(', ')}`,
        `set ${missing.map(([name]) => name).join(' and ')} (docs/sources-pax8.md "Settings")`,
      );
  }

  /** Every row of a paged list, and the total the envelope tells. */
  async function listAll(http: SourceHttp, path: string, params: Record<string, string> = {}) {
    const rows: unknown[] = [];
    let total = 0;
    for (let page = 0; ; page++) {
      // a list that never ends is the vendor's fault, said so, never a silently cut list
      if (page >= MAX_PAGES)
        throw new SourceError(
          'pax8',
          'SOURCE_UNEXPECTED',
          `Pax8's ${path} list did not end after ${MAX_PAGES} pages`,
          'report it: the page envelope never reached its last page',
        );
      const body = readPage(await http.get(path, { ...params, page, size: pageSize }), path);
      rows.push(...body.content);
      total = body.page.totalElements;
      if (body.content.length === 0 || page + 1 >= body.page.totalPages) break;
    }
    return { rows, total };
  }

  async function pull(request: PullRequest): Promise<HistoryPull> {
    requireConfig();
    const http = newHttp();
    const problems: SourceRowProblem[] = [];
    const progress = request.onProgress;

    // companies: the whole list (Pax8 has no filter by id), then the ones asked for
    const listed = await listAll(http, '/companies');
    const wanted = request.customerSourceIds ? new Set(request.customerSourceIds) : undefined;
    const listedIds = new Set<string>();
    const customers = new Map<string, SourceCustomer>();
    for (const raw of listed.rows) {
      const id = idOf(raw);
      if (id) listedIds.add(id);
      if (wanted && (!id || !wanted.has(id))) continue;
      const company = Pax8CompanySchema.safeParse(raw);
      if (!company.success) {
        problems.push({ entity: 'company', sourceId: id, reason: reasonOf(company.error) });
        continue;
      }
      const domain = domainOf(company.data.website);
      const tenantId = tenantIdOf(company.data.externalId);
      customers.set(company.data.id, {
        sourceId: company.data.id,
        name: company.data.name,
        ...(domain ? { domain } : {}),
        ...(tenantId ? { tenantId } : {}),
      });
    }
    for (const id of wanted ?? [])
      if (!listedIds.has(id))
        problems.push({
          entity: 'company',
          sourceId: id,
          reason: 'Pax8 lists no company with this id for this partner',
        });
    progress?.({ phase: 'customers', done: customers.size, total: listed.total });

    // subscriptions: all of them, or those of each company asked for
    const rawSubscriptions: unknown[] = [];
    if (wanted) {
      for (const id of wanted)
        if (listedIds.has(id))
          rawSubscriptions.push(...(await listAll(http, '/subscriptions', { companyId: id })).rows);
    } else rawSubscriptions.push(...(await listAll(http, '/subscriptions')).rows);
    const subscriptions: Pax8SubscriptionRow[] = [];
    for (const raw of rawSubscriptions) {
      const parsed = Pax8SubscriptionSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push({ entity: 'subscription', sourceId: idOf(raw), reason: reasonOf(parsed.error) });
        continue;
      }
      if (!customers.has(parsed.data.companyId)) {
        problems.push({
          entity: 'subscription',
          sourceId: parsed.data.id,
          reason: `its company ${parsed.data.companyId} could not be read`,
        });
        continue;
      }
      subscriptions.push(parsed.data);
    }
    progress?.({ phase: 'subscriptions', done: subscriptions.length, total: rawSubscriptions.length });

    // the products the subscriptions are of, one request each
    const productIds = [...new Set(subscriptions.map((s) => s.productId))];
    const products = new Map<string, Pax8ProductRow>();
    await runLanes(productIds, options.lanes ?? 4, async (productId) => {
      const answer = await http.get(`/products/${encodeURIComponent(productId)}`);
      if (answer.status === 404) {
        problems.push({
          entity: 'product',
          sourceId: productId,
          reason: 'Pax8 has no product with this id (404)',
        });
        return;
      }
      if (answer.status !== 200) throw unexpected(answer, `/products/${productId}`);
      const product = Pax8ProductSchema.safeParse(answer.body);
      if (product.success) products.set(productId, product.data);
      else problems.push({ entity: 'product', sourceId: productId, reason: reasonOf(product.error) });
    });
    progress?.({ phase: 'products', done: products.size, total: productIds.length });

    // each subscription's history
    const results: { subscription: SourceSubscription; events: HistoryEvent[] }[] = [];
    const perSubscription = new Array<(typeof results)[number] | undefined>(subscriptions.length);
    let done = 0;
    await runLanes([...subscriptions.keys()], options.lanes ?? 4, async (index) => {
      const subscription = subscriptions[index]!;
      const path = `/subscriptions/${encodeURIComponent(subscription.id)}/history`;
      const answer = await http.get(path);
      if (answer.status === 404) {
        problems.push({
          entity: 'history',
          sourceId: subscription.id,
          reason: 'Pax8 answered 404 for its history',
        });
      } else {
        if (answer.status !== 200) throw unexpected(answer, path);
        const history = readHistory(answer, subscription.id);
        const mapped = 'problem' in history ? history : pax8HistoryEvents(subscription, history.entries);
        if ('problem' in mapped)
          problems.push(
            typeof mapped.problem === 'string'
              ? { entity: 'history', sourceId: subscription.id, reason: mapped.problem }
              : mapped.problem,
          );
        else if (mapped.events.length > 0)
          perSubscription[index] = {
            subscription: sourceSubscription(subscription, products.get(subscription.productId)),
            events: mapped.events,
          };
      }
      progress?.({ phase: 'history', done: ++done, total: subscriptions.length });
    });
    for (const r of perSubscription) if (r) results.push(r);

    return {
      kind: 'history',
      customers: [...customers.values()],
      subscriptions: results.map((r) => r.subscription),
      events: results.flatMap((r) => r.events),
      problems,
      requests: http.stats.requests,
    };
  }

  function sourceSubscription(
    s: Pax8SubscriptionRow,
    product: Pax8ProductRow | undefined,
  ): SourceSubscription {
    const sku = product?.vendorSku || product?.sku || undefined;
    const usage = Boolean(product?.vendorSku && usageSkus.some((u) => product.vendorSku!.startsWith(u)));
    const term = termOf(s.commitmentTerm);
    return {
      id: s.id,
      customerSourceId: s.companyId,
      productName: product?.name ?? s.productName ?? s.productId,
      ...(sku ? { sku } : {}),
      billingType: usage ? 'usage' : 'quantity',
      billingCycle: pax8BillingCycle(s.billingTerm),
      currency: s.currencyCode.toUpperCase(),
      ...(s.partnerCost !== undefined && s.partnerCost !== null
        ? { unitCost: new Decimal(String(s.partnerCost)).toFixed() }
        : {}),
      ...(term ? { term } : {}),
    };
  }

  async function test(): Promise<SourceTestReport> {
    let tokens = 0;
    const http = newHttp(() => tokens++);
    const checks: SourceCheck[] = [];
    const counts: SourceTestReport['counts'] = {};
    const report = (): SourceTestReport => ({
      source: 'pax8',
      baseUrl: config.baseUrl,
      checks,
      counts,
      latencyMs: latencySummary(http.stats.latenciesMs),
      requests: http.stats.requests,
    });
    const cannotCheck = (...names: string[]) => {
      for (const name of names)
        checks.push({ name, outcome: 'cannot-check', detail: 'needs a sign-in first' });
    };
    const count = async (name: string, path: string, key: keyof SourceTestReport['counts']) => {
      try {
        const body = readPage(await http.get(path, { page: 0, size: 1 }), path);
        counts[key] = body.page.totalElements;
        checks.push({ name, outcome: 'ok', detail: `${body.page.totalElements} readable` });
      } catch (error) {
        if (!isSourceError(error)) throw error;
        checks.push({ name, outcome: 'failed', detail: error.problem.message, problem: error.problem });
      }
    };
    try {
      requireConfig();
    } catch (error) {
      if (!isSourceError(error)) throw error;
      checks.push({
        name: 'sign-in',
        outcome: 'failed',
        detail: error.problem.message,
        problem: error.problem,
      });
      cannotCheck('companies', 'products', 'subscriptions');
      return report();
    }
    await count('companies', '/companies', 'customers');
    if (tokens === 0) {
      // no token: the first request's failure is the sign-in's
      const failed = checks.pop()!;
      checks.push({ ...failed, name: 'sign-in' });
      cannotCheck('companies', 'products', 'subscriptions');
      return report();
    }
    checks.unshift({
      name: 'sign-in',
      outcome: 'ok',
      detail: 'Pax8 issued a token for the partner endpoints',
    });
    await count('products', '/products', 'products');
    await count('subscriptions', '/subscriptions', 'subscriptions');
    return report();
  }

  return { name: 'pax8', baseUrl: config.baseUrl, test, pull };
}

function readPage(answer: ApiAnswer, path: string) {
  if (answer.status !== 200) throw unexpected(answer, path);
  const page = Pax8PageSchema.safeParse(answer.body);
  if (!page.success) throw unexpected(answer, path, 'no page envelope (content, page)');
  return page.data;
}

function readHistory(
  answer: ApiAnswer,
  subscriptionId: string,
): { entries: Pax8HistoryEntry[] } | { problem: SourceRowProblem } {
  const body = Pax8HistoryAnswerSchema.safeParse(answer.body);
  if (!body.success)
    return {
      problem: {
        entity: 'history',
        sourceId: subscriptionId,
        reason: 'the history answer has no content list',
      },
    };
  const entries: Pax8HistoryEntry[] = [];
  for (const [n, raw] of body.data.content.entries()) {
    const entry = Pax8HistoryEntrySchema.safeParse(raw);
    if (!entry.success)
      return {
        problem: {
          entity: 'history',
          sourceId: subscriptionId,
          reason: `history record ${n + 1}: ${reasonOf(entry.error)}`,
        },
      };
    entries.push(entry.data);
  }
  return { entries };
}

function unexpected(answer: ApiAnswer, what: string, why?: string): SourceError {
  return new SourceError(
    'pax8',
    'SOURCE_UNEXPECTED',
    `Pax8 answered ${answer.status} for ${what}${why ? `: ${why}` : answer.message ? `: ${answer.message}` : ''}`,
    'check PAX8_BASE_URL and PAX8_TOKEN_URL; if they are right, Pax8 changed its API (docs/sources-pax8.md)',
    answer.status,
  );
}

function idOf(raw: unknown): string | undefined {
  const id = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function reasonOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(row)'}: ${i.message}`).join('; ');
}

/** https://www.acme.example/ → acme.example */
function domainOf(website: string | null | undefined): string | undefined {
  if (!website?.trim()) return undefined;
  const host = website
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .split(/[/?#]/)[0]!
    .replace(/^www\./i, '')
    .toLowerCase();
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(host) ? host : undefined;
}

/** Pax8's commitment term (1-Year, 3-Year, 1-Month) as an ISO duration, with its end date. */
function termOf(commitment: Pax8SubscriptionRow['commitmentTerm']): SourceTerm | undefined {
  if (!commitment) return undefined;
  const m = /^(\d+)-(Year|Month)s?$/i.exec(commitment.term?.trim() ?? '');
  const duration = m ? `P${m[1]}${m[2]!.toLowerCase() === 'year' ? 'Y' : 'M'}` : undefined;
  const endDate = commitment.endDate?.slice(0, 10);
  if (!duration && !endDate) return undefined;
  return { ...(duration ? { duration } : {}), ...(endDate ? { endDate } : {}) };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Pax8's documented company fields hold no Microsoft tenant id; a partner who writes the
 * customer's tenant id (a GUID) into the company's External ID makes Pax8 and Partner Center see
 * one customer (docs/sources.md "One customer across sources"). Anything else is no tenant.
 */
export function tenantIdOf(externalId: string | null | undefined): string | undefined {
  const value = externalId?.trim();
  return value && GUID.test(value) ? value.toLowerCase() : undefined;
}
