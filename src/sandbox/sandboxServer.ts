// The built-in Autotask sandbox: one Autotask database served over HTTP on localhost, strict
// where the real API is strict. An adapter around SandboxDatabase that adds what lives in HTTP,
// one request stage each over one runtime state (server/): authentication, the hourly
// threshold with its added latency, the thread limit (3 per endpoint per integration code),
// test-control faults, the REST routes and the admin API. Plain node:http, so faults like
// "drop the connection" are exact.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { endpointLabel } from '../autotask/endpointKey.js';
import type { SandboxControls } from './sandboxControls.js';
import type { SandboxCredentials } from './sandboxCredentials.js';
import { SandboxDatabase } from './sandboxDatabase.js';
import type { SandboxSeed } from './sandboxSeed.js';
import { debouncedStateSaver, readSandboxState, writeSandboxState } from './sandboxState.js';
import { adminRoute } from './server/adminRoutes.js';
import { authenticate } from './server/authentication.js';
import { faultAnswer, pickFault } from './server/faultInjection.js';
import { chargeHourlyBudget } from './server/hourlyThreshold.js';
import { inProcessControls } from './server/inProcessControls.js';
import { canonicalPath, route, zoneInformation } from './server/restRoutes.js';
import { readJson, send, sendHtml } from './server/sandboxHttp.js';
import { baseUrlOf, createRuntime, type SandboxRuntime } from './server/sandboxRuntime.js';
import { claimThread } from './server/threadLimit.js';
import { setTimeout as sleep } from 'node:timers/promises';

export { DEMO_SANDBOX_CREDENTIALS, type SandboxCredentials } from './sandboxCredentials.js';

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

/** One API request through the stages, in Autotask's order. */
async function handleApi(
  state: SandboxRuntime,
  credentials: SandboxCredentials,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  method: string,
): Promise<void> {
  const match = /^\/atservicesrest\/v1\.0\/(.*)$/i.exec(url.pathname);
  if (!match) return sendHtml(res, 404, 'The resource cannot be found.');
  const rest = match[1]!.replace(/\/+$/, '');
  const canonical = canonicalPath(rest);
  const label = endpointLabel(method, canonical);
  state.counters.byEndpoint[label] = (state.counters.byEndpoint[label] ?? 0) + 1;
  state.counters.total++;

  if (rest.toLowerCase() === 'zoneinformation')
    return send(res, zoneInformation(state, method, url, credentials.username));

  const caller = authenticate(req, credentials);
  if ('refused' in caller) return send(res, caller.refused);
  const budget = chargeHourlyBudget(state);
  if ('refused' in budget) return send(res, budget.refused);
  const thread = claimThread(state, caller.integrationCode, canonical);
  if ('refused' in thread) return send(res, thread.refused);
  res.once('close', thread.release);

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

  const delayMs = state.latencyMs + budget.delayMs;
  if (delayMs > 0) await sleep(delayMs);
  if (res.destroyed) return;

  const fault = pickFault(state, label);
  switch (fault) {
    case undefined:
      break;
    case '502':
      return sendHtml(res, 502, '502 Bad Gateway');
    case 'timeout':
      return; // never answer: the caller's timeout decides; stop() cuts the connection
    case 'commitThenDrop':
      route(state, method, rest, url, body); // the write happens...
      req.socket.destroy(); // ...and the answer never arrives
      return;
    default:
      return send(res, faultAnswer(state, fault));
  }
  const answer = route(state, method, rest, url, body);
  if (answer === 'html404') return sendHtml(res, 404, 'The resource cannot be found.');
  return send(res, answer);
}

async function handleAdmin(
  state: SandboxRuntime,
  controls: SandboxControls,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  action: string,
  method: string,
): Promise<void> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return send(res, { status: 400, body: { error: 'BAD_REQUEST', message: 'The body must be JSON.' } });
  }
  return send(res, adminRoute(controls, state.database, action, method, body));
}

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
  const state = createRuntime(database, now, options.faultSeed ?? 20_260_101);
  const controls = inProcessControls(state);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/_sandbox/'))
      return handleAdmin(state, controls, req, res, url.pathname.slice('/_sandbox/'.length), method);
    return handleApi(state, options.credentials, req, res, url, method);
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed)
        send(res, { status: 500, body: { Message: 'An error has occurred.' } });
    });
  });
  server.keepAliveTimeout = 30_000;

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
  const root = `http://${options.host ?? '127.0.0.1'}:${port}`;
  state.root = root;

  return {
    url: root,
    zoneUrl: `${root}/atservicesrest/v1.0/`,
    baseUrl: baseUrlOf(state),
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
