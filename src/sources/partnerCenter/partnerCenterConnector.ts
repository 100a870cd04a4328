// The Microsoft Partner Center connector (docs/sources-partner-center.md): a snapshot pull —
// customers (paged with links.next and MS-ContinuationToken), every customer's subscriptions, and
// the activity records since the last pull that date the changes. Every request goes through
// SourceHttp with MS-CorrelationId (one per pull) and MS-RequestId (one per request).
import { randomUUID } from 'node:crypto';
import { addDays } from '../../core/calendarDate.js';
import { runLanes } from '../../concurrency/runLanes.js';
import type {
  PullRequest,
  SnapshotPull,
  SourceActivity,
  SourceCheck,
  SourceConnector,
  SourceCustomer,
  SourceRowProblem,
  SourceTestReport,
} from '../sourceConnector.js';
import { isSourceError, SourceError } from '../sourceError.js';
import { latencySummary, SourceHttp, type ApiAnswer, type SourceRetryPolicy } from '../sourceHttp.js';
import { activityOfRecord } from './partnerCenterActivity.js';
import { PARTNER_CENTER_SETTINGS, type PartnerCenterConfig } from './partnerCenterConfig.js';
import { CollectionSchema, CustomerSchema } from './partnerCenterSchemas.js';
import { signIn } from './partnerCenterSignIn.js';
import { subscriptionOfRow, type SnapshotSubscription } from './partnerCenterSubscription.js';

export interface PartnerCenterConnectorOptions {
  retry?: Partial<SourceRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  /** `size` asked of paged lists (Microsoft may send fewer; links.next is followed) */
  pageSize?: number;
  /** subscriptions lists read at once (Microsoft limits 500 a minute per tenant) */
  lanes?: number;
  /** Partner Center's subscription has no currency; the partner's billing currency */
  currency?: string;
}

/** Audit records: 30 days back when no earlier pull; Microsoft keeps 90 (a day's margin kept). */
const ACTIVITY_DEFAULT_DAYS = 30;
const ACTIVITY_MAX_DAYS = 89;
const SUBSCRIPTION_FILTER = JSON.stringify({
  Field: 'ResourceType',
  Value: 'Subscription',
  Operator: 'equals',
});

export function createPartnerCenterConnector(
  config: PartnerCenterConfig,
  options: PartnerCenterConnectorOptions = {},
): SourceConnector {
  let correlationId = randomUUID();
  // set only around one sequential next-page request (SourceHttp adds `headers()` to each request)
  let continuation: Record<string, string> = {};
  const http = new SourceHttp({
    source: 'partner-center',
    baseUrl: config.baseUrl,
    fetchToken: (h) => signIn(config, h),
    credentialSettings: [
      PARTNER_CENTER_SETTINGS.appId,
      PARTNER_CENTER_SETTINGS.appSecret,
      ...(config.refreshToken ? [PARTNER_CENTER_SETTINGS.refreshToken] : []),
    ].join(', '),
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    sleep: options.sleep,
    headers: () => ({ 'MS-CorrelationId': correlationId, 'MS-RequestId': randomUUID(), ...continuation }),
  });
  const pageSize = options.pageSize ?? 500;
  const currency = options.currency ?? 'USD';

  /** Every item of a paged list: the first page, then links.next with its headers until none. */
  async function allPages(
    path: string,
    params: Record<string, string | number>,
    what: string,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let answer = await http.get(path, params);
    for (let pages = 1; ; pages++) {
      const page = collectionOf(answer, what);
      items.push(...page.items);
      const next = page.links?.next;
      if (!next) return items;
      if (pages > 10_000) throw unexpected(`${what}: more than 10000 pages; links.next never ends`);
      continuation = Object.fromEntries(next.headers.map((h) => [h.key, h.value]));
      try {
        answer = await http.get(relativeToBase(next.uri));
      } finally {
        continuation = {};
      }
    }
  }

  async function customers(problems: SourceRowProblem[]): Promise<SourceCustomer[]> {
    const rows = await allPages('customers', { size: pageSize }, 'GET /customers');
    const list: SourceCustomer[] = [];
    for (const row of rows) {
      const parsed = CustomerSchema.safeParse(row);
      if (!parsed.success) {
        problems.push({
          entity: 'customer',
          sourceId: idOf(row),
          reason: parsed.error.issues[0]?.message ?? 'not readable',
        });
        continue;
      }
      const profile = parsed.data.companyProfile;
      list.push({
        sourceId: profile.tenantId,
        tenantId: profile.tenantId,
        name: profile.companyName,
        domain: profile.domain || undefined,
      });
    }
    return list;
  }

  async function pull(request: PullRequest): Promise<SnapshotPull> {
    correlationId = randomUUID();
    const startRequests = http.stats.requests;
    const problems: SourceRowProblem[] = [];
    let found = await customers(problems);
    if (request.customerSourceIds) {
      const wanted = new Set(request.customerSourceIds);
      found = found.filter((c) => wanted.has(c.sourceId));
    }
    request.onProgress?.({ phase: 'customers', done: found.length, total: found.length });

    const subscriptions: SnapshotSubscription[] = [];
    let done = 0;
    await runLanes(found, options.lanes ?? 4, async (customer) => {
      const path = `customers/${encodeURIComponent(customer.sourceId)}/subscriptions`;
      const answer = await http.get(path);
      if (answer.status === 404) {
        problems.push({
          entity: 'customer',
          sourceId: customer.sourceId,
          reason: 'Partner Center no longer lists this customer (404)',
        });
      } else {
        for (const row of collectionOf(answer, `GET /${path}`).items) {
          const read = subscriptionOfRow(row, customer.sourceId, currency);
          if ('problem' in read) problems.push(read.problem);
          else subscriptions.push(read.subscription);
        }
      }
      request.onProgress?.({ phase: 'subscriptions', done: ++done, total: found.length });
    });

    const activity = await activityRecords(request, new Set(subscriptions.map((s) => s.id)), problems);
    request.onProgress?.({ phase: 'activity', done: activity.length });
    return {
      kind: 'snapshot',
      customers: found,
      subscriptions,
      activity,
      problems,
      requests: http.stats.requests - startRequests,
    };
  }

  async function activityRecords(
    request: PullRequest,
    subscriptionIds: Set<string>,
    problems: SourceRowProblem[],
  ): Promise<SourceActivity[]> {
    const earliest = addDays(request.today, -ACTIVITY_MAX_DAYS);
    let startDate = request.since ?? addDays(request.today, -ACTIVITY_DEFAULT_DAYS);
    if (startDate < earliest) {
      problems.push({
        entity: 'activity',
        reason: `Partner Center keeps activity records for 90 days: changes before ${earliest} are dated the pull's day`,
      });
      startDate = earliest;
    }
    const rows = await allPages(
      'auditrecords',
      { startDate, endDate: request.today, size: pageSize, filter: SUBSCRIPTION_FILTER },
      'GET /auditrecords',
    );
    const activity: SourceActivity[] = [];
    for (const row of rows) {
      const read = activityOfRecord(row);
      if ('problem' in read) problems.push(read.problem);
      else activity.push(...read.activity.filter((a) => subscriptionIds.has(a.subscriptionId)));
    }
    return activity;
  }

  async function test(): Promise<SourceTestReport> {
    correlationId = randomUUID();
    const startRequests = http.stats.requests;
    const startLatencies = http.stats.latenciesMs.length;
    const checks: SourceCheck[] = [];
    const counts: SourceTestReport['counts'] = {};
    const check = async (name: string, work: () => Promise<string>): Promise<boolean> => {
      try {
        checks.push({ name, outcome: 'ok', detail: await work() });
        return true;
      } catch (error) {
        if (!isSourceError(error)) throw error;
        checks.push({ name, outcome: 'failed', detail: error.message, problem: error.problem });
        return false;
      }
    };
    const problems: SourceRowProblem[] = [];
    let first: SourceCustomer | undefined;
    const signedIn = await check('sign-in', async () => {
      http.forgetToken();
      await signIn(config, http);
      return config.refreshToken
        ? 'App+User token from the refresh token'
        : 'App-only token (no refresh token set)';
    });
    const listed =
      signedIn &&
      (await check('customers', async () => {
        const list = await customers(problems);
        counts.customers = list.length;
        first = list[0];
        return `${list.length} customers${problems.length ? `, ${problems.length} unreadable` : ''}`;
      }));
    if (listed && first) {
      const customer = first;
      await check('subscriptions', async () => {
        const path = `customers/${encodeURIComponent(customer.sourceId)}/subscriptions`;
        const page = collectionOf(await http.get(path), `GET /${path}`);
        return `${page.items.length} subscriptions for ${customer.name}`;
      });
    } else if (listed) {
      checks.push({
        name: 'subscriptions',
        outcome: 'cannot-check',
        detail: 'no customers to read subscriptions of',
      });
    }
    if (signedIn)
      await check('activity records', async () => {
        const today = new Date().toISOString().slice(0, 10);
        const page = collectionOf(
          await http.get('auditrecords', { startDate: addDays(today, -1), endDate: today, size: 1 }),
          'GET /auditrecords',
        );
        return `readable (${page.items.length} on the first page of the last day)`;
      });
    return {
      source: 'partner-center',
      baseUrl: config.baseUrl,
      checks,
      counts,
      latencyMs: latencySummary(http.stats.latenciesMs.slice(startLatencies)),
      requests: http.stats.requests - startRequests,
    };
  }

  return { name: 'partner-center', baseUrl: config.baseUrl, test, pull };
}

function collectionOf(answer: ApiAnswer, what: string) {
  if (answer.status !== 200)
    throw new SourceError(
      'partner-center',
      'SOURCE_UNEXPECTED',
      `Partner Center answered ${answer.status} to ${what}${answer.message ? `: ${answer.message}` : ''}`,
      'see docs/sources-partner-center.md; if it persists, report it with the MS-CorrelationId of the pull',
      answer.status,
    );
  const parsed = CollectionSchema.safeParse(answer.body);
  if (!parsed.success) throw unexpected(`${what} did not answer a Collection (totalCount, items, links)`);
  return parsed.data;
}

function unexpected(message: string): SourceError {
  return new SourceError(
    'partner-center',
    'SOURCE_UNEXPECTED',
    message,
    'check the Partner Center base URL setting: it should be https://api.partnercenter.microsoft.com/v1',
  );
}

/** links.next.uri is written relative to the API root, with or without the /v1 segment. */
function relativeToBase(uri: string): string {
  return uri.replace(/^\/+/, '').replace(/^v1\//, '');
}

function idOf(row: unknown): string | undefined {
  const id = row && typeof row === 'object' ? (row as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'string' ? id : undefined;
}
