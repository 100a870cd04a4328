// The one HTTP path of the source connectors: a bearer token from an OAuth token source (cached
// until shortly before it expires; fetched again once on a 401, since a token can expire or be
// revoked mid-pull), 429 answered by waiting Retry-After (capped), 5xx and network failures
// retried with backoff, every request counted (the API budget a pull reports) and timed (the
// latency `source test` shows). Failures are SourceErrors naming the setting to fix.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { exponentialBackoffMs } from '../core/backoff.js';
import { parseRetryAfter } from '../core/retryAfter.js';
import type { SourceName } from './sourceConnector.js';
import { SourceError } from './sourceError.js';

export interface AccessToken {
  accessToken: string;
  /** seconds from now, as the token endpoint says */
  expiresInSeconds: number;
}

export interface SourceRetryPolicy {
  /** attempts in all, the first included */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** the longest Retry-After waited for; a longer one ends the pull with SOURCE_RATE_LIMITED */
  maxRetryAfterMs: number;
}

export const DEFAULT_SOURCE_RETRY_POLICY: SourceRetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

export interface SourceHttpOptions {
  source: SourceName;
  baseUrl: string;
  /** fetches a new token (the connector's OAuth flow); called through `post`/`form` below */
  fetchToken: (http: SourceHttp) => Promise<AccessToken>;
  /** the names of the credential settings, for the hint of a refused sign-in */
  credentialSettings: string;
  retry?: Partial<SourceRetryPolicy>;
  timeoutMs?: number;
  /** extra headers on every API request (Partner Center's MS-CorrelationId, say) */
  headers?: () => Record<string, string>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface SourceHttpStats {
  requests: number;
  tokenRequests: number;
  retries: number;
  latenciesMs: number[];
}

/** Seconds before expiry a cached token is given up, so it never expires on the way. */
const TOKEN_MARGIN_SECONDS = 60;

export class SourceHttp {
  readonly stats: SourceHttpStats = { requests: 0, tokenRequests: 0, retries: 0, latenciesMs: [] };
  private readonly axios: AxiosInstance;
  private readonly retry: SourceRetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | undefined;
  private tokenPending: Promise<string> | undefined;

  constructor(private readonly options: SourceHttpOptions) {
    this.axios = axios.create({
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      maxRedirects: 0,
      validateStatus: () => true,
      timeout: options.timeoutMs ?? 30_000,
      transitional: { clarifyTimeoutError: true },
    });
    this.retry = { ...DEFAULT_SOURCE_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /** GET an API path (relative to the base URL) with the bearer token; the parsed JSON body. */
  async get(path: string, params?: Record<string, string | number | undefined>): Promise<ApiAnswer> {
    return this.send('GET', path, params);
  }

  /** POST a form to a token endpoint (an absolute URL); no bearer token, no 401 retry. */
  async postForm(url: string, form: Record<string, string>): Promise<ApiAnswer> {
    this.stats.tokenRequests++;
    return this.attempt(() =>
      this.axios.post(url, new URLSearchParams(form).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      }),
    );
  }

  /** POST JSON to a token endpoint (an absolute URL); no bearer token, no 401 retry. */
  async postJson(url: string, body: unknown): Promise<ApiAnswer> {
    this.stats.tokenRequests++;
    return this.attempt(() =>
      this.axios.post(url, body, {
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      }),
    );
  }

  /** Drops the cached token (a 401, or a test that wants a fresh sign-in). */
  forgetToken(): void {
    this.token = undefined;
  }

  private async send(
    method: 'GET',
    path: string,
    params: Record<string, string | number | undefined> | undefined,
  ): Promise<ApiAnswer> {
    const base = new URL(withSlash(this.options.baseUrl));
    const target = new URL(path.replace(/^\//, ''), base);
    // the bearer token goes to the source's own host only, whatever a vendor's next link says
    if (target.origin !== base.origin)
      throw new SourceError(
        this.options.source,
        'SOURCE_UNEXPECTED',
        `${this.options.source} pointed the bot at another host (${target.origin}); the request was not sent`,
        'report it: the vendor sent a next-page link outside its API',
      );
    const url = target.toString();
    const query = Object.fromEntries(Object.entries(params ?? {}).filter(([, v]) => v !== undefined));
    for (let signIns = 0; ; signIns++) {
      const token = await this.accessToken();
      const answer = await this.attempt(() =>
        this.axios.request({
          method,
          url,
          params: query,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...this.options.headers?.(),
          },
        }),
      );
      // an expired or revoked token: sign in again, once
      if (answer.status === 401 && signIns === 0) {
        // only this token: another request may have signed in again meanwhile
        if (this.token?.value === token) this.forgetToken();
        continue;
      }
      if (answer.status === 401)
        throw new SourceError(
          this.options.source,
          'SOURCE_AUTH_FAILED',
          `${this.options.source} refused a fresh token for ${method} ${path} (401)`,
          `check ${this.options.credentialSettings}`,
          401,
        );
      if (answer.status === 403)
        throw new SourceError(
          this.options.source,
          'SOURCE_PERMISSION',
          `${this.options.source} refused ${method} ${path} (403)${answer.message ? `: ${answer.message}` : ''}`,
          `give the account behind ${this.options.credentialSettings} read access to it`,
          403,
        );
      return answer;
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    // one sign-in for every request waiting on it
    this.tokenPending ??= (async () => {
      try {
        const fresh = await this.options.fetchToken(this);
        const lifetime = Math.max(0, fresh.expiresInSeconds - TOKEN_MARGIN_SECONDS);
        this.token = { value: fresh.accessToken, expiresAt: this.now() + lifetime * 1000 };
        return fresh.accessToken;
      } finally {
        this.tokenPending = undefined;
      }
    })();
    return this.tokenPending;
  }

  /** One request with the retry policy: 429 waits Retry-After, 5xx and network failures back off. */
  private async attempt(request: () => Promise<AxiosResponse>): Promise<ApiAnswer> {
    for (let attempt = 1; ; attempt++) {
      const started = this.now();
      let response: AxiosResponse | undefined;
      let failure: unknown;
      try {
        this.stats.requests++;
        response = await request();
      } catch (error) {
        failure = error;
      }
      this.stats.latenciesMs.push(this.now() - started);
      const status = response?.status;
      const retryable = response === undefined || status === 429 || (status !== undefined && status >= 500);
      if (!retryable) return answerOf(response!);
      const retryAfter = status === 429 ? parseRetryAfter(response?.headers['retry-after']) : undefined;
      const waitMs =
        retryAfter !== undefined
          ? retryAfter * 1000
          : exponentialBackoffMs(attempt, {
              firstDelayMs: this.retry.baseDelayMs,
              maxDelayMs: this.retry.maxDelayMs,
            });
      if (attempt >= this.retry.maxAttempts || waitMs > this.retry.maxRetryAfterMs)
        throw this.giveUp(status, failure, attempt, retryAfter);
      this.stats.retries++;
      await this.sleep(waitMs);
    }
  }

  private giveUp(
    status: number | undefined,
    failure: unknown,
    attempts: number,
    retryAfter: number | undefined,
  ): SourceError {
    const source = this.options.source;
    if (status === 429)
      return new SourceError(
        source,
        'SOURCE_RATE_LIMITED',
        `${source} kept answering 429 (too many requests) after ${attempts} attempts${retryAfter !== undefined ? `; it asked to wait ${retryAfter} s` : ''}`,
        'the next scheduled pull continues; if it keeps happening, pull less often or per customer',
        429,
      );
    const reason =
      status !== undefined
        ? `answered ${status}`
        : `could not be reached (${failure instanceof Error ? failure.message : String(failure)})`;
    return new SourceError(
      source,
      'SOURCE_UNREACHABLE',
      `${source} ${reason} after ${attempts} attempts (${this.options.baseUrl})`,
      `check the vendor's status page and the base URL setting; the next scheduled pull tries again`,
      status,
    );
  }
}

/** An answer that is not retried: its status and parsed JSON body (undefined when not JSON). */
export interface ApiAnswer {
  status: number;
  body: unknown;
  /** the vendor's own message when the body carries one */
  message: string | undefined;
}

function answerOf(response: AxiosResponse): ApiAnswer {
  let body: unknown = response.data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // not JSON: left as text for the caller to refuse
    }
  }
  return { status: response.status, body, message: vendorMessage(body) };
}

function vendorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['message', 'description', 'error_description', 'error']) {
    const value = b[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 300);
  }
  return undefined;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The median and the slowest of a list of latencies (undefined when nothing was sent). */
export function latencySummary(latenciesMs: readonly number[]): { median: number; max: number } | undefined {
  if (latenciesMs.length === 0) return undefined;
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}
