// The built-in Autotask sandbox: one Autotask database served over HTTP on localhost, strict
// where the real API is strict. An adapter around SandboxDatabase that adds
// what lives in HTTP: the zone lookup, credentials, the thread limit (3 per endpoint per
// integration code), the hourly threshold with its added latency, test-control faults, and
// per-endpoint counters. Plain node:http, so faults like "drop the connection" are exact.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { endpointKey, endpointLabel } from '../autotask/endpointKey.js';
import { isCalendarDate } from '../core/calendarDate.js';
import {
  FaultSettingsSchema,
  PATCHABLE_FIELDS,
  SandboxPatchSchema,
  ThresholdSettingsSchema,
  type FaultKind,
  type FaultSettings,
  type SandboxControls,
  type SandboxCounters,
} from './sandboxControls.js';
import {
  SANDBOX_ENTITIES,
  SandboxDatabase,
  type SandboxAnswer,
  type SandboxEntity,
} from './sandboxDatabase.js';
import { SANDBOX_ERROR_TEXT } from './sandboxErrorTexts.js';
import type { SandboxSeed } from './sandboxSeed.js';
import { debouncedStateSaver, readSandboxState, writeSandboxState } from './sandboxState.js';

export interface SandboxCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

/** Fixed credentials of the demo sandbox (README "Autotask sandbox"). */
export const DEMO_SANDBOX_CREDENTIALS: SandboxCredentials = {
  username: 'api-user@demo-sandbox.example',
  secret: 'demo-sandbox-secret',
  integrationCode: 'DEMO-SANDBOX-INTEGRATION',
};

export interface SandboxOptions {
  port?: number;
  host?: string;
  seed: SandboxSeed;
  credentials: SandboxCredentials;
  clock?: () => Date;
  /** seed of the fault dice, so a faulty run can be repeated */
  faultSeed?: number;
  /**
   * Keep the data in this file (sandboxState.ts): loaded at start when it exists, saved after
   * changes and on stop. Without it the sandbox lives in memory only (tests).
   */
  stateFile?: string;
  /** how long changes gather before one save (default 250 ms) */
  saveDelayMs?: number;
  /** a save that failed (disk full, permissions): the sandbox carries on in memory */
  onSaveError?: (error: unknown) => void;
}

export interface RunningSandbox {
  /** http://127.0.0.1:<port> */
  url: string;
  /** what AUTOTASK_ZONE_URL should be: `<url>/atservicesrest/v1.0/` */
  zoneUrl: string;
  /** what the zone lookup answers and AUTOTASK_BASE_URL may be: `<url>/ATServicesRest/` */
  baseUrl: string;
  port: number;
  controls: SandboxControls;
  stop(): Promise<void>;
}

const THREAD_LIMIT = 3;
const HOUR_MS = 3_600_000;
const MAX_BODY_BYTES = 1_000_000;

const ENTITY_BY_LOWER = new Map(
  (Object.keys(SANDBOX_ENTITIES) as SandboxEntity[]).map((e) => [e.toLowerCase(), e] as const),
);

/** mulberry32: small, seedable, good enough for fault dice */
function dice(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startAutotaskSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const now = options.clock ?? (() => new Date());
  const database = new SandboxDatabase(options.seed, now);
  const { stateFile } = options;
  const saver = stateFile
    ? debouncedStateSaver(
        () => writeSandboxState(stateFile, options.seed, database.exportState()),
        options.saveDelayMs ?? 250,
        options.onSaveError ?? ((error) => console.error(error)),
      )
    : undefined;
  if (stateFile) {
    const saved = readSandboxState(stateFile, options.seed);
    if (saved) database.restore(saved);
    database.onChange = () => saver!.changed();
  }
  const roll = dice(options.faultSeed ?? 20_260_101);

  let latencyMs = 0;
  let faults: FaultSettings | undefined;
  let thresholdLatency = { atHalfMs: 500, atThreeQuartersMs: 1000 };
  let budgetTimes: number[] = [];
  const inFlight = new Map<string, number>();
  let counters: SandboxCounters;
  const resetCounters = () => {
    counters = {
      byEndpoint: {},
      total: 0,
      threadLimitRefusals: 0,
      hourlyLimitRefusals: 0,
      faultsInjected: {},
      maxInFlight: {},
      budgetSlowed: { atHalf: 0, atThreeQuarters: 0 },
      hourlyUsed: 0,
    };
  };
  resetCounters();

  const hourlyUsed = () => {
    const since = now().getTime() - HOUR_MS;
    budgetTimes = budgetTimes.filter((t) => t > since);
    return budgetTimes.length;
  };

  let root = '';
  const baseUrl = () => `${root}/ATServicesRest/`;

  const controls: SandboxControls = {
    setLatency: (ms) => void (latencyMs = ms),
    setFaults: (settings) => void (faults = FaultSettingsSchema.parse(settings)),
    clearFaults: () => void (faults = undefined),
    setThreshold: (settings) => {
      const s = ThresholdSettingsSchema.parse(settings);
      if (s.limit !== undefined) database.externalRequestThreshold = s.limit;
      thresholdLatency = {
        atHalfMs: s.atHalfMs ?? thresholdLatency.atHalfMs,
        atThreeQuartersMs: s.atThreeQuartersMs ?? thresholdLatency.atThreeQuartersMs,
      };
    },
    postPeriodsThrough: (date) => {
      if (!isCalendarDate(date))
        throw new Error(`postPeriodsThrough needs a date like 2026-01-31, not ${date}`);
      database.postPeriodsThrough(date);
    },
    patch: (change) => {
      const problem = database.patch(SandboxPatchSchema.parse(change));
      if (problem) throw new Error(problem.message);
    },
    counters: () => ({ ...structuredClone(counters), hourlyUsed: hourlyUsed() }),
    resetCounters,
    writeLog: () => [...database.writeLog],
    reset: () => {
      database.reset();
      resetCounters();
      latencyMs = 0;
      faults = undefined;
      thresholdLatency = { atHalfMs: 500, atThreeQuartersMs: 1000 };
      budgetTimes = [];
    },
    snapshot: () => database.snapshot(),
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed)
        send(res, { status: 500, body: { Message: 'An error has occurred.' } });
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/_sandbox/'))
      return admin(url.pathname.slice('/_sandbox/'.length), method, req, res);

    const match = /^\/atservicesrest\/v1\.0\/(.*)$/i.exec(url.pathname);
    if (!match) return sendHtml(res, 404, 'The resource cannot be found.');
    const rest = match[1]!.replace(/\/+$/, '');
    const canonical = canonicalPath(rest);
    const label = endpointLabel(method, canonical);
    counters.byEndpoint[label] = (counters.byEndpoint[label] ?? 0) + 1;
    counters.total++;

    // Zone lookup: no credentials needed, exempt from limits.
    if (rest.toLowerCase() === 'zoneinformation') {
      if (method !== 'GET')
        return send(res, { status: 405, body: { Message: SANDBOX_ERROR_TEXT.methodNotAllowed } });
      const user = url.searchParams.get('user') ?? '';
      if (user.toLowerCase() !== options.credentials.username.toLowerCase())
        return send(res, { status: 500, body: { errors: [SANDBOX_ERROR_TEXT.zoneUnknownUser] } });
      return send(res, {
        status: 200,
        body: { zoneName: 'Sandbox (localhost)', url: baseUrl(), webUrl: `${root}/`, ci: 0 },
      });
    }

    // Credentials: user and secret first (401), then the integration code (500, Autotask's way).
    const header = (name: string) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const userOk = (header('UserName') ?? '').toLowerCase() === options.credentials.username.toLowerCase();
    if (!userOk || header('Secret') !== options.credentials.secret)
      return send(res, { status: 401, body: { Message: SANDBOX_ERROR_TEXT.unauthorized } });
    const code = header('ApiIntegrationCode') ?? '';
    if (code !== options.credentials.integrationCode)
      return send(res, { status: 500, body: { errors: [SANDBOX_ERROR_TEXT.integrationCodeInvalid] } });
    const impersonation = header('ImpersonationResourceId');
    if (impersonation !== undefined && !/^\d+$/.test(impersonation))
      return send(res, { status: 500, body: { errors: ['ImpersonationResourceId must be a resource id.'] } });

    // The hourly threshold: refused at 100 %, slowed from 50 % and 75 %.
    const limit = database.externalRequestThreshold;
    const used = hourlyUsed();
    if (used >= limit) {
      counters.hourlyLimitRefusals++;
      const retryAfter = Math.max(1, Math.ceil((budgetTimes[0]! + HOUR_MS - now().getTime()) / 1000));
      res.setHeader('Retry-After', String(retryAfter));
      return send(res, { status: 429, body: { errors: [SANDBOX_ERROR_TEXT.hourlyThreshold(limit)] } });
    }
    budgetTimes.push(now().getTime());
    const share = (used + 1) / limit;
    const budgetDelay =
      share >= 0.75 ? thresholdLatency.atThreeQuartersMs : share >= 0.5 ? thresholdLatency.atHalfMs : 0;
    if (share >= 0.75) counters.budgetSlowed.atThreeQuarters++;
    else if (share >= 0.5) counters.budgetSlowed.atHalf++;

    // The thread limit, per endpoint per integration code.
    const threadKey = `${code}|${endpointKey(canonical)}`;
    const busy = inFlight.get(threadKey) ?? 0;
    if (busy >= THREAD_LIMIT) {
      counters.threadLimitRefusals++;
      return send(res, {
        status: 429,
        body: { errors: [`Request rejected: the ${SANDBOX_ERROR_TEXT.threadThreshold} for this endpoint.`] },
      });
    }
    inFlight.set(threadKey, busy + 1);
    counters.maxInFlight[threadKey] = Math.max(counters.maxInFlight[threadKey] ?? 0, busy + 1);
    res.once('close', () => inFlight.set(threadKey, (inFlight.get(threadKey) ?? 1) - 1));

    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      const tooLarge = (error as Error).message === 'too large';
      return send(res, {
        status: tooLarge ? 413 : 400,
        body: {
          errors: [tooLarge ? 'The request body is too large.' : 'The request body is not valid JSON.'],
        },
      });
    }

    if (latencyMs + budgetDelay > 0) await sleep(latencyMs + budgetDelay);
    if (res.destroyed) return;

    const fault = pickFault(label);
    if (fault) {
      counters.faultsInjected[fault] = (counters.faultsInjected[fault] ?? 0) + 1;
      switch (fault) {
        case '429':
          if (faults?.retryAfterSeconds !== undefined)
            res.setHeader('Retry-After', String(faults.retryAfterSeconds));
          return send(res, {
            status: 429,
            body: { errors: [`Request rejected: the ${SANDBOX_ERROR_TEXT.threadThreshold}.`] },
          });
        case 'threadLimit500':
          return send(res, {
            status: 500,
            body: { errors: [`Request rejected: the ${SANDBOX_ERROR_TEXT.threadThreshold}.`] },
          });
        case '500':
          return send(res, { status: 500, body: { Message: 'An error has occurred.' } });
        case '502':
          return sendHtml(res, 502, '502 Bad Gateway');
        case 'timeout':
          return; // never answer: the caller's timeout decides; stop() cuts the connection
        case 'commitThenDrop':
          route(method, rest, url, body); // the write happens...
          req.socket.destroy(); // ...and the answer never arrives
          return;
      }
    }
    const answer = route(method, rest, url, body);
    if (answer === 'html404') return sendHtml(res, 404, 'The resource cannot be found.');
    return send(res, answer);
  }

  function pickFault(label: string): FaultKind | undefined {
    if (!faults || faults.rate === 0) return undefined;
    if (faults.endpoints && !faults.endpoints.includes(label)) return undefined;
    if (roll() >= faults.rate) return undefined;
    return faults.kinds[Math.floor(roll() * faults.kinds.length)]!;
  }

  function route(method: string, rest: string, url: URL, body: unknown): SandboxAnswer | 'html404' {
    const parts = rest.split('/').filter(Boolean);
    const lower = parts.map((p) => p.toLowerCase());
    const notAllowed = { status: 405, body: { Message: SANDBOX_ERROR_TEXT.methodNotAllowed } };
    if (lower.length === 1 && lower[0] === 'thresholdinformation')
      return method === 'GET' ? database.thresholdInformation(hourlyUsed()) : notAllowed;
    const entity = ENTITY_BY_LOWER.get(lower[0] ?? '');
    if (!entity) return 'html404';
    const tail = lower.slice(1).join('/');
    if (tail === 'entityinformation')
      return method === 'GET' ? database.entityInformation(entity) : notAllowed;
    if (tail === 'entityinformation/fields')
      return method === 'GET' ? database.entityFields(entity) : notAllowed;
    if (tail === 'query' || tail === 'query/next') {
      if (method !== 'POST') return notAllowed;
      if (entity === 'ContractServiceAdjustments')
        return { status: 405, body: { errors: ['ContractServiceAdjustments cannot be queried.'] } };
      let afterId = 0;
      if (tail === 'query/next') {
        const token = url.searchParams.get('paging') ?? '';
        const parsed = z
          .object({ afterId: z.number().int().min(0) })
          .safeParse(safeJson(Buffer.from(token, 'base64url').toString('utf8')));
        if (!parsed.success) return { status: 500, body: { errors: ['The paging token is invalid.'] } };
        afterId = parsed.data.afterId;
      }
      return database.query(entity, body, afterId, (lastId) => {
        const token = Buffer.from(JSON.stringify({ afterId: lastId })).toString('base64url');
        return `${baseUrl()}V1.0/${entity}/query/next?paging=${token}`;
      });
    }
    if (tail === 'query/count') return method === 'POST' ? database.count(entity, body) : notAllowed;
    if (entity === 'Contracts' && lower.length === 3 && /^\d+$/.test(lower[1]!)) {
      if (method !== 'POST') return notAllowed;
      if (lower[2] === 'services') return database.createContractService(Number(lower[1]), body);
      if (lower[2] === 'serviceadjustments') return database.createAdjustment(Number(lower[1]), body);
      return 'html404';
    }
    if (entity === 'ContractServiceAdjustments' && lower.length === 1)
      return method === 'POST' ? database.createAdjustment(undefined, body) : notAllowed;
    if (lower.length === 2 && /^\d+$/.test(lower[1]!))
      return method === 'GET' ? database.get(entity, Number(lower[1])) : notAllowed;
    return 'html404';
  }

  async function admin(
    action: string,
    method: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return send(res, { status: 400, body: { error: 'BAD_REQUEST', message: 'The body must be JSON.' } });
    }
    const bad = (message: string) => send(res, { status: 400, body: { error: 'BAD_REQUEST', message } });
    const done = () => send(res, { status: 200, body: { ok: true } });
    const key = `${method} ${action.replace(/\/+$/, '')}`;
    switch (key) {
      case 'GET counters':
        return send(res, { status: 200, body: controls.counters() });
      case 'GET writes':
        return send(res, { status: 200, body: controls.writeLog() });
      case 'GET snapshot':
        return send(res, { status: 200, body: controls.snapshot() });
      case 'POST reset':
        controls.reset();
        return done();
      case 'POST reset-counters':
        controls.resetCounters();
        return done();
      case 'POST latency': {
        const parsed = z.object({ ms: z.number().int().min(0).max(120_000) }).safeParse(body);
        if (!parsed.success) return bad('send {"ms": <0..120000>}');
        controls.setLatency(parsed.data.ms);
        return done();
      }
      case 'POST faults': {
        const parsed = FaultSettingsSchema.safeParse(body);
        if (!parsed.success)
          return bad(
            'send {"rate": 0.2, "kinds": ["429","threadLimit500","500","502","timeout","commitThenDrop"], "endpoints"?: [...]}',
          );
        controls.setFaults(parsed.data);
        return done();
      }
      case 'POST threshold': {
        const parsed = ThresholdSettingsSchema.safeParse(body);
        if (!parsed.success) return bad('send {"limit"?: n, "atHalfMs"?: ms, "atThreeQuartersMs"?: ms}');
        controls.setThreshold(parsed.data);
        return done();
      }
      case 'POST post-periods': {
        const parsed = z.object({ through: z.string().refine(isCalendarDate) }).safeParse(body);
        if (!parsed.success) return bad('send {"through": "2026-01-31"}');
        controls.postPeriodsThrough(parsed.data.through);
        return done();
      }
      case 'POST patch': {
        const parsed = SandboxPatchSchema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return bad(
            `SANDBOX_PATCH_INVALID: ${issue.path.join('.') || 'body'}: ${issue.message} — send {"entity":"Contracts","id":100,"fields":{"endDate":"2026-03-31"}}; fields you may change: ${PATCHABLE_FIELDS}`,
          );
        }
        const problem = database.patch(parsed.data);
        if (problem)
          return send(res, {
            status: problem.status,
            body: { error: problem.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message: problem.message },
          });
        return done();
      }
      default:
        return send(res, {
          status: 404,
          body: {
            error: 'NOT_FOUND',
            message:
              'Sandbox controls: GET counters|writes|snapshot, POST reset|reset-counters|latency|faults|threshold|post-periods|patch under /_sandbox/',
          },
        });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `SANDBOX_PORT_IN_USE: port ${options.port} is already taken; choose another (--port or SANDBOX_PORT)`,
            )
          : error,
      ),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  root = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url: root,
    zoneUrl: `${root}/atservicesrest/v1.0/`,
    baseUrl: baseUrl(),
    port,
    controls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          saver?.flush(); // after the last request: nothing can change the data any more
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Entity names as the sandbox spells them, so counters read "POST Companies/query" whatever the caller's case. */
function canonicalPath(rest: string): string {
  const parts = rest.split('/');
  const entity = ENTITY_BY_LOWER.get((parts[0] ?? '').toLowerCase());
  if (entity) parts[0] = entity;
  return parts
    .map((p) =>
      p.toLowerCase() === 'serviceadjustments'
        ? 'ServiceAdjustments'
        : p.toLowerCase() === 'services'
          ? 'Services'
          : p,
    )
    .join('/');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('bad json'));
      }
    });
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, answer: SandboxAnswer): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendHtml(res: http.ServerResponse, status: number, title: string): void {
  if (res.destroyed || res.headersSent) return;
  const text = `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
