// The Autotask REST client: the one a partner points at their real Autotask database with
// AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE, and the one every test
// points at the built-in sandbox.
//
// Error convention: every method resolves with parsed, typed data or REJECTS WITH AN
// AutotaskError (autotaskError.ts) carrying a `code`, a plain message and a hint. No axios or
// zod error ever leaves this file.
//
// What it takes care of: the zone lookup (cached), the three auth headers (+ impersonation),
// at most `maxInFlightPerEndpoint` requests in flight per endpoint, the hourly budget share,
// retries (failureClassification.ts says which; retryPolicy.ts says when), paging through
// nextPageUrl with POST, `in` lists in chunks of 500, zod parsing of every row, and counting
// every request per endpoint and method.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { AutotaskError, isAutotaskError } from './autotaskError.js';
import {
  ContractServiceAdjustmentInputSchema,
  ContractServiceInputSchema,
  ThresholdInformationSchema,
  type AutotaskPicklists,
  type ContractServiceAdjustmentInput,
  type ContractServiceInput,
  type ThresholdInformation,
} from './entities.js';
import { endpointKey, endpointLabel } from './endpointKey.js';
import { classifyNetworkFailure, classifyResponse, type RequestKind } from './failureClassification.js';
import {
  DEFAULT_BUDGET_OPTIONS,
  HourlyBudget,
  type BudgetState,
  type HourlyBudgetOptions,
} from './hourlyBudget.js';
import { KeyedSemaphore } from '../concurrency/keyedSemaphore.js';
import {
  EntityFieldsSchema,
  readContractPicklists,
  type EntityFields,
  type PicklistReading,
} from './picklistReading.js';
import { ALL_ROWS, type FilterCondition, type FilterValue } from './queryFilter.js';
import { DEFAULT_AUTOTASK_RETRY_POLICY, retryDelayMs, type AutotaskRetryPolicy } from './retryPolicy.js';
import { forgetZone, lookupZone, withSlash, type ZoneInformation } from './zoneLookup.js';
import type { Logger } from '../observability/logger.js';
import { noMetrics, type Metrics } from '../observability/metrics.js';
import { AutotaskReachability, reachabilityOfFailure, type Reachability } from './autotaskReachability.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Autotask's page size ceiling and the `in` list size we keep to. */
export const MAX_PAGE_SIZE = 500;
export const IN_LIST_CHUNK = 500;

export interface AutotaskClientOptions {
  username: string;
  secret: string;
  integrationCode: string;
  impersonationResourceId?: number | undefined;
  /** skips the zone lookup, e.g. https://webservices5.autotask.net/ATServicesRest/ */
  baseUrl?: string | undefined;
  /** where the zone lookup goes */
  zoneUrl: string;
  maxInFlightPerEndpoint: number;
  budgetShare: number;
  logger?: Logger | undefined;
  /** per request; default 30 s */
  timeoutMs?: number;
  retry?: Partial<AutotaskRetryPolicy>;
  budget?: Partial<Omit<HourlyBudgetOptions, 'share'>>;
  /** where requests, retries and the budget are counted (GET /metrics); default none */
  metrics?: Pick<Metrics, 'autotaskCall' | 'autotaskRetry' | 'autotaskBudget'> | undefined;
}

/** the readiness probe's own limit: a probe must answer well before the prober gives up */
const PROBE_TIMEOUT_MS = 2_000;

export interface RequestStats {
  /** requests per "METHOD Endpoint", e.g. "POST Companies/query": every attempt counts */
  byEndpoint: Record<string, number>;
  total: number;
  retries: number;
  /** failures that reached the caller, per code */
  failures: Record<string, number>;
  budget: BudgetState;
}

export interface QueryOptions {
  filter?: FilterCondition[];
  includeFields?: string[];
  /** Autotask's MaxRecords: the page size, 1..500 (default 500) */
  maxRecords?: number;
  /** stop after this many rows in all (default: every page) */
  limit?: number;
  /**
   * Given, a row the schema cannot read is skipped and handed here (AUTOTASK_ROW_UNREADABLE with
   * the entity, id and zod path) and the query goes on. Absent, such a row fails the query with
   * that error: only callers that can carry on without the row pass this.
   */
  onUnreadableRow?: (error: AutotaskError) => void;
}

export interface EntityInformation {
  name: string;
  canCreate: boolean;
  canQuery: boolean;
  canUpdate: boolean;
  canDelete: boolean;
}

const EntityInformationSchema = z.object({
  info: z.looseObject({
    name: z.string(),
    canCreate: z.boolean(),
    canQuery: z.boolean(),
    canUpdate: z.boolean().default(false),
    canDelete: z.boolean().default(false),
  }),
});

const PageSchema = z.object({
  items: z.array(z.unknown()),
  pageDetails: z.looseObject({ count: z.number().nullish(), nextPageUrl: z.string().nullish() }).nullish(),
});

export class AutotaskClient {
  private readonly http: AxiosInstance;
  private readonly semaphore: KeyedSemaphore;
  private readonly retry: AutotaskRetryPolicy;
  private readonly budget: HourlyBudget;
  private readonly timeoutMs: number;
  private readonly stats: Omit<RequestStats, 'budget'> = {
    byEndpoint: {},
    total: 0,
    retries: 0,
    failures: {},
  };
  private zone: ZoneInformation | undefined;
  private picklistReading: PicklistReading | undefined;
  private readonly metrics: NonNullable<AutotaskClientOptions['metrics']>;
  private readonly reachable: AutotaskReachability;

  constructor(private readonly options: AutotaskClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.http = axios.create({
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      // our own retries only; never follow a redirect with credentials attached
      maxRedirects: 0,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
    });
    this.semaphore = new KeyedSemaphore(options.maxInFlightPerEndpoint);
    this.retry = { ...DEFAULT_AUTOTASK_RETRY_POLICY, ...options.retry };
    this.budget = new HourlyBudget(
      { share: options.budgetShare, ...DEFAULT_BUDGET_OPTIONS, ...options.budget },
      () => this.readThreshold(),
    );
    this.metrics = options.metrics ?? noMetrics;
    this.reachable = new AutotaskReachability(() => this.probeReachability());
  }

  // ---- connection -------------------------------------------------------------------------

  /** The zone's base URL (…/ATServicesRest/), from AUTOTASK_BASE_URL or the zone lookup. */
  async baseUrl(): Promise<string> {
    if (this.options.baseUrl) return withSlash(this.options.baseUrl);
    this.zone ??= await lookupZone(this.http, this.options.zoneUrl, this.options.username, {
      timeoutMs: this.timeoutMs,
    });
    return withSlash(this.zone.url);
  }

  /** The zone as found by the lookup (undefined when AUTOTASK_BASE_URL skips it). */
  async zoneInformation(): Promise<ZoneInformation | undefined> {
    if (this.options.baseUrl) return undefined;
    await this.baseUrl();
    return this.zone;
  }

  /**
   * Whether Autotask answers, for GET /readyz: the last request's outcome while it is recent,
   * else one credential-free probe, kept as long (autotaskReachability.ts). No API call is spent.
   */
  reachability(): Promise<Reachability> {
    return this.reachable.check();
  }

  private async probeReachability(): Promise<Reachability> {
    try {
      if (this.options.baseUrl) {
        const res = await this.http.get(withSlash(this.options.baseUrl), { timeout: PROBE_TIMEOUT_MS });
        return res.status < 500 ? { reachable: true } : { reachable: false, reason: `HTTP ${res.status}` };
      }
      await lookupZone(this.http, this.options.zoneUrl, this.options.username, {
        fresh: true,
        timeoutMs: PROBE_TIMEOUT_MS,
      });
      return { reachable: true };
    } catch (error) {
      if (isAutotaskError(error)) return reachabilityOfFailure(error.code, error.status);
      return { reachable: false, reason: (error as { code?: string }).code ?? 'AUTOTASK_UNREACHABLE' };
    }
  }

  private countBudget(): void {
    const { threshold, usedAtLastRead, ownSinceLastRead } = this.budget.state();
    if (threshold && usedAtLastRead !== null)
      this.metrics.autotaskBudget((usedAtLastRead + ownSinceLastRead) / threshold, this.options.budgetShare);
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      ApiIntegrationCode: this.options.integrationCode,
      UserName: this.options.username,
      Secret: this.options.secret,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
    if (this.options.impersonationResourceId !== undefined)
      headers.ImpersonationResourceId = String(this.options.impersonationResourceId);
    return headers;
  }

  private forgetZone(): void {
    this.zone = undefined;
    forgetZone(this.options.zoneUrl, this.options.username);
  }

  /** A 401 means the user or the secret: the zone lookup tells which (it knows users, not secrets). */
  private async explain401(error: AutotaskError): Promise<AutotaskError> {
    try {
      await lookupZone(this.http, this.options.zoneUrl, this.options.username, {
        fresh: true,
        timeoutMs: this.timeoutMs,
      });
      return error;
    } catch (lookupError) {
      return isAutotaskError(lookupError) && lookupError.code === 'AUTOTASK_AUTH_UNKNOWN_USER'
        ? lookupError
        : error;
    }
  }

  // ---- the request pipeline ---------------------------------------------------------------

  private async send(request: {
    method: 'GET' | 'POST';
    /** relative to …/V1.0/, or an absolute nextPageUrl */
    path: string;
    body?: unknown;
    kind: RequestKind;
    skipBudget?: boolean;
    /** GET of one row by id: a 404 means "no such row" (answered as `{ item: null }`), not a wrong zone */
    notFoundIsEmpty?: boolean;
  }): Promise<unknown> {
    let base = await this.baseUrl();
    let url = /^https?:\/\//.test(request.path) ? request.path : `${base}V1.0/${request.path}`;
    if (/^https?:\/\//.test(request.path) && new URL(url).origin !== new URL(base).origin) {
      // never send the credentials to another host, whatever a response says
      throw new AutotaskError({
        code: 'AUTOTASK_UNEXPECTED',
        message: `Autotask gave a next-page URL on another host (${new URL(url).origin}).`,
        hint: 'Refused so the credentials are not sent elsewhere; please report it.',
      });
    }
    const afterVersion = url.replace(/^.*?\/v1\.0\//i, '');
    const label = endpointLabel(request.method, afterVersion);
    const key = endpointKey(afterVersion);

    for (let attempt = 1; ; attempt++) {
      if (!request.skipBudget) {
        await this.budget.take();
        this.countBudget();
      }
      const release = await this.semaphore.acquire(key);
      this.stats.byEndpoint[label] = (this.stats.byEndpoint[label] ?? 0) + 1;
      this.stats.total++;
      let failure;
      try {
        const res = await this.http.request({
          method: request.method,
          url,
          data: request.body === undefined ? undefined : JSON.stringify(request.body),
          headers: this.headers(),
          timeout: this.timeoutMs,
        });
        this.metrics.autotaskCall(label, String(res.status));
        if ((res.status >= 200 && res.status < 300) || (res.status === 404 && request.notFoundIsEmpty)) {
          this.reachable.record({ reachable: true });
          return res.status === 404 ? { item: null } : res.data;
        }
        failure = classifyResponse(
          res.status,
          res.data,
          res.headers as Record<string, unknown>,
          request.kind,
          label,
        );
        this.reachable.record(reachabilityOfFailure(failure.error.code, res.status));
      } catch (error) {
        const e = error as { code?: string; message?: string };
        failure = classifyNetworkFailure(e.code, e.message ?? String(error), request.kind, label);
        this.metrics.autotaskCall(label, failure.error.code === 'AUTOTASK_TIMEOUT' ? 'timeout' : 'network');
        this.reachable.record(reachabilityOfFailure(failure.error.code));
      } finally {
        release();
      }
      if (failure.invalidateZone && !this.options.baseUrl) this.forgetZone();
      const delay =
        failure.retryable && attempt < this.retry.maxAttempts
          ? retryDelayMs(attempt, this.retry, failure.error.retryAfterSeconds)
          : undefined;
      if (delay === undefined) {
        const error =
          failure.error.code === 'AUTOTASK_AUTH_SECRET'
            ? await this.explain401(failure.error)
            : failure.error;
        this.stats.failures[error.code] = (this.stats.failures[error.code] ?? 0) + 1;
        this.options.logger?.warn({ code: error.code, endpoint: label, attempt }, error.message);
        throw error;
      }
      this.stats.retries++;
      this.metrics.autotaskRetry(label);
      this.options.logger?.debug(
        { code: failure.error.code, endpoint: label, attempt, delay },
        'retrying Autotask request',
      );
      await sleep(delay);
      if (failure.invalidateZone && !/^https?:\/\//.test(request.path)) {
        base = await this.baseUrl();
        url = `${base}V1.0/${request.path}`;
      }
    }
  }

  private parse<T>(
    schema: z.ZodType<T>,
    data: unknown,
    what: string,
    code: 'AUTOTASK_UNEXPECTED' | 'AUTOTASK_ROW_UNREADABLE' = 'AUTOTASK_UNEXPECTED',
  ): T {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const id = (data as { id?: unknown } | null)?.id;
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`)
      .join('; ');
    throw new AutotaskError({
      code,
      message: `Autotask answered ${what}${id !== undefined ? ` (id ${String(id)})` : ''} in a shape the bot cannot read: ${problems}.`,
      hint: 'A required field is missing or has another type; if your tenant customises this entity, report it with this message.',
    });
  }

  // ---- reading ----------------------------------------------------------------------------

  /** POST /{entity}/query, every page (nextPageUrl, POSTed with the same body), rows parsed. */
  async query<T>(entity: string, schema: z.ZodType<T>, options: QueryOptions = {}): Promise<T[]> {
    const pageSize = options.maxRecords ?? MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
      throw new AutotaskError({
        code: 'AUTOTASK_UNEXPECTED',
        message: `maxRecords must be 1..${MAX_PAGE_SIZE}, not ${pageSize}.`,
        hint: 'Autotask pages at most 500 rows; the client fetches every page for you.',
      });
    const body: Record<string, unknown> = {
      filter: options.filter?.length ? options.filter : ALL_ROWS,
      MaxRecords: pageSize,
    };
    if (options.includeFields?.length) body.IncludeFields = options.includeFields;
    const rows: T[] = [];
    let path: string | null = `${entity}/query`;
    while (path !== null) {
      const page: z.infer<typeof PageSchema> = this.parse(
        PageSchema,
        await this.send({ method: 'POST', path, body, kind: 'read' }),
        `${entity} query`,
      );
      // row by row: one row the bot cannot read is that row's problem, not the page's
      for (const item of page.items) {
        let row: T;
        try {
          row = this.parse(schema, item, `a ${entity} row`, 'AUTOTASK_ROW_UNREADABLE');
        } catch (error) {
          if (!isAutotaskError(error) || !options.onUnreadableRow) throw error;
          this.options.logger?.warn({ code: error.code, entity }, error.message);
          options.onUnreadableRow(error);
          continue;
        }
        rows.push(row);
        if (options.limit !== undefined && rows.length >= options.limit) return rows;
      }
      path = page.pageDetails?.nextPageUrl ?? null;
    }
    return rows;
  }

  /** Rows whose `field` is one of `values`, in `in` lists of at most 500, with an optional extra filter. */
  async queryIn<T>(
    entity: string,
    schema: z.ZodType<T>,
    field: string,
    values: FilterValue[],
    extraFilter: FilterCondition[] = [],
    options: Omit<QueryOptions, 'filter'> = {},
  ): Promise<T[]> {
    const unique = [...new Set(values)];
    const rows: T[] = [];
    for (let i = 0; i < unique.length; i += IN_LIST_CHUNK) {
      const chunk = unique.slice(i, i + IN_LIST_CHUNK);
      rows.push(
        ...(await this.query(entity, schema, {
          ...options,
          filter: [{ op: 'in', field, value: chunk }, ...extraFilter],
        })),
      );
    }
    return rows;
  }

  /** POST /{entity}/query/count. */
  async count(entity: string, filter: FilterCondition[] = ALL_ROWS): Promise<number> {
    const data = await this.send({
      method: 'POST',
      path: `${entity}/query/count`,
      body: { filter },
      kind: 'read',
    });
    return this.parse(z.object({ queryCount: z.number().int() }), data, `${entity} count`).queryCount;
  }

  /**
   * GET /{entity}/{id}; AUTOTASK_NOT_FOUND when Autotask has no such row — whether it answers
   * `{ item: null }` or HTTP 404 (JSON or HTML body). Such a 404 keeps the zone: the id is missing,
   * not the database.
   */
  async get<T>(entity: string, schema: z.ZodType<T>, id: number): Promise<T> {
    const data = await this.send({
      method: 'GET',
      path: `${entity}/${id}`,
      kind: 'read',
      notFoundIsEmpty: true,
    });
    const { item } = this.parse(z.object({ item: z.unknown() }), data, `${entity} ${id}`);
    if (item === null || item === undefined)
      throw new AutotaskError({
        code: 'AUTOTASK_NOT_FOUND',
        message: `Autotask has no ${entity} with id ${id}.`,
        hint: 'It may have been deleted in Autotask, or the API user may not see it (security level).',
        endpoint: `GET ${entity}`,
      });
    return this.parse(schema, item, `${entity} ${id}`);
  }

  async entityInformation(entity: string): Promise<EntityInformation> {
    const data = await this.send({ method: 'GET', path: `${entity}/entityInformation`, kind: 'read' });
    return this.parse(EntityInformationSchema, data, `${entity} entityInformation`).info;
  }

  async entityFields(entity: string): Promise<EntityFields> {
    const data = await this.send({ method: 'GET', path: `${entity}/entityInformation/fields`, kind: 'read' });
    return this.parse(EntityFieldsSchema, data, `${entity} fields`);
  }

  /** Picklist numbers read from the tenant (cached); defaults only for what it does not list. */
  async picklists(): Promise<AutotaskPicklists> {
    return (await this.picklistsWithFallbacks()).picklists;
  }

  async picklistsWithFallbacks(): Promise<PicklistReading> {
    this.picklistReading ??= readContractPicklists(
      await this.entityFields('Contracts'),
      await this.entityFields('Services'),
    );
    if (this.picklistReading.fallbacks.length)
      this.options.logger?.warn(
        { fallbacks: this.picklistReading.fallbacks },
        'Autotask picklist values not found by label; using defaults',
      );
    return this.picklistReading;
  }

  private async readThreshold(): Promise<ThresholdInformation> {
    const data = await this.send({
      method: 'GET',
      path: 'ThresholdInformation',
      kind: 'read',
      skipBudget: true,
    });
    return this.parse(ThresholdInformationSchema, data, 'ThresholdInformation');
  }

  /** The database's hourly budget and how much of it is used (this call counts too). */
  async threshold(): Promise<ThresholdInformation> {
    return this.readThreshold();
  }

  // ---- writing (never re-sent once it may have reached Autotask) --------------------------

  /** POST /Contracts/{id}/{child} → Autotask's answer; the body is checked before anything is sent. */
  private async postToContract<T>(
    contractId: number,
    child: 'Services' | 'ServiceAdjustments',
    schema: z.ZodType<T>,
    input: { contractID?: number },
  ): Promise<unknown> {
    if (input.contractID !== undefined && input.contractID !== contractId)
      throw new AutotaskError({
        code: 'AUTOTASK_UNEXPECTED',
        message: `The write names contract ${input.contractID} but goes to contract ${contractId}; nothing was sent.`,
        hint: 'This is a bug in the caller; please report it.',
      });
    const parsed = schema.safeParse({ ...input, contractID: contractId });
    if (!parsed.success)
      throw new AutotaskError({
        code: 'AUTOTASK_UNEXPECTED',
        message: `The write to contract ${contractId} is not valid, so nothing was sent: ${parsed.error.issues
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}.`,
        hint: 'This is a bug in the caller; please report it.',
      });
    return this.send({
      method: 'POST',
      path: `Contracts/${contractId}/${child}`,
      body: parsed.data,
      kind: 'write',
    });
  }

  /** POST /Contracts/{id}/Services → the new ContractService id. */
  async createContractService(
    contractId: number,
    input: Omit<ContractServiceInput, 'contractID'> & { contractID?: number },
  ): Promise<number> {
    const data = await this.postToContract(contractId, 'Services', ContractServiceInputSchema, input);
    return this.parse(z.object({ itemId: z.number().int() }), data, 'the ContractService create').itemId;
  }

  /**
   * POST /Contracts/{id}/ServiceAdjustments. Resolves with the id, or null: Autotask may answer
   * `{ itemId: null }` on success, and an adjustment cannot be read back anyway (the units
   * timeline is the proof).
   */
  async createContractServiceAdjustment(
    contractId: number,
    input: Omit<ContractServiceAdjustmentInput, 'contractID'> & { contractID?: number },
  ): Promise<number | null> {
    const data = await this.postToContract(
      contractId,
      'ServiceAdjustments',
      ContractServiceAdjustmentInputSchema,
      input,
    );
    return this.parse(z.object({ itemId: z.number().int().nullable() }), data, 'the adjustment create')
      .itemId;
  }

  // ---- counting ---------------------------------------------------------------------------

  requestStats(): RequestStats {
    return { ...structuredClone(this.stats), budget: this.budget.state() };
  }
}
