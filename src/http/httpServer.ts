// The one HTTP server: liveness (/healthz), readiness (/readyz) and /metrics here
// (docs/operations.md); Slack (/slack/events), Teams (/api/messages), ingest and the playground
// mount their routes on the app it returns. No global body parser: Slack needs the raw body for
// its signature, so each route parses what it needs.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../observability/logger.js';
import { bodyReadProblem } from './bodyReadProblem.js';
import { requestIdMiddleware, requestIdOf } from './requestId.js';

export interface HttpServerHandle {
  port: number;
  url: string;
  server: http.Server;
  /** stop accepting, let in-flight requests finish, then cut what is left after graceMs */
  close(graceMs?: number): Promise<void>;
}

/** what a readiness check found: ready, ready on a built-in stand-in, or not ready and why */
export type ProbeOutcome = { state: 'ok' } | { state: 'sandbox' } | { state: 'failing'; reason: string };

/** one check of GET /readyz (GET /healthz runs none) */
export interface HealthProbe {
  name: string;
  check(): Promise<boolean | ProbeOutcome>;
}

/** what GET /metrics serves: the Prometheus text of the bot's own registry */
export interface MetricsExposition {
  text(): Promise<string>;
  contentType: string;
}

/** a check that has not answered by then is failing: a probe must never hang the prober */
const PROBE_TIMEOUT_MS = 3_000;
/** asked every few seconds by orchestrators and scrapers: their lines only at debug level */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

async function outcomeOf(probe: HealthProbe): Promise<ProbeOutcome> {
  const timeout = new AbortController();
  try {
    const answer = await Promise.race([
      probe.check(),
      sleep(PROBE_TIMEOUT_MS, undefined, { signal: timeout.signal }).then((): ProbeOutcome => ({
        state: 'failing',
        reason: `no answer within ${PROBE_TIMEOUT_MS / 1000} s`,
      })),
    ]);
    if (answer === true) return { state: 'ok' };
    if (answer === false) return { state: 'failing', reason: `${probe.name} check failed` };
    return answer;
  } catch (error) {
    return { state: 'failing', reason: (error as Error)?.message ?? String(error) };
  } finally {
    timeout.abort();
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function createHttpApp(options: {
  logger: Logger;
  /** the checks of GET /readyz */
  health: HealthProbe[];
  /** GET /metrics; absent = no such route. With a token, only "Authorization: Bearer <token>" */
  metrics?: { exposition: MetricsExposition; token: string | undefined };
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use(requestIdMiddleware());
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // path only: query strings may carry tokens
      const line = {
        requestId: requestIdOf(res),
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      };
      if (PROBE_PATHS.has(req.path) && res.statusCode < 400) options.logger.debug(line, 'http');
      else options.logger.info(line, 'http');
    });
    next();
  });

  // liveness: the process answers; nothing else is asked, so a slow database never gets it killed
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // readiness: whether the bot can do its work now (docs/operations.md)
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.health.map(async (probe) => [probe.name, await outcomeOf(probe)] as const),
    );
    const failing = results.flatMap(([name, outcome]) =>
      outcome.state === 'failing' ? [[name, outcome.reason] as const] : [],
    );
    const checks = Object.fromEntries(results.map(([name, outcome]) => [name, outcome.state]));
    if (failing.length === 0) {
      res.json({ status: 'ready', checks });
      return;
    }
    res.status(503).json({
      status: 'not_ready',
      checks,
      error: 'NOT_READY',
      message: `Not ready: ${failing.map(([name, reason]) => `${name} (${reason})`).join('; ')}.`,
      failing: Object.fromEntries(failing),
    });
  });

  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', async (req, res) => {
      if (metrics.token !== undefined) {
        const match = /^Bearer\s+(.+)$/i.exec((req.get('authorization') ?? '').trim());
        if (!match || !timingSafeEqual(digest(match[1]!), digest(metrics.token))) {
          res.set('WWW-Authenticate', 'Bearer realm="metrics"');
          res.status(401).json({
            error: 'UNAUTHORIZED',
            code: 'UNAUTHORIZED',
            message: 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".',
            hint: "Set the scraper's bearer token to the bot's METRICS_TOKEN.",
          });
          return;
        }
      }
      res.type(metrics.exposition.contentType).send(await metrics.exposition.text());
    });
  }

  return app;
}

/** Added last: unknown routes and thrown errors become short JSON answers, never a stack trace. */
export function finishHttpApp(app: Express, logger: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'No such route.' });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = bodyReadProblem(error);
    if (problem) {
      const { status, ...answer } = problem;
      if (!res.headersSent) res.status(status).json({ error: answer.code, ...answer });
      return;
    }
    logger.error({ err: error, path: req.path }, 'unhandled error in HTTP route');
    if (!res.headersSent)
      res.status(500).json({
        error: 'INTERNAL',
        code: 'INTERNAL',
        message: 'Something went wrong; it has been logged.',
        hint: 'Try again; if it keeps failing, the bot operator finds the details in the log.',
      });
  });
}

export async function listen(app: Express, port: number, host: string): Promise<HttpServerHandle> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    server,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
