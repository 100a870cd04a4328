// The one HTTP server: health here; Slack (/slack/events), Teams (/api/messages), ingest and the
// playground mount their routes on the app it returns. No global body parser: Slack needs the
// raw body for its signature, so each route parses what it needs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../observability/logger.js';
import { bodyReadProblem } from './bodyReadProblem.js';

export interface HttpServerHandle {
  port: number;
  url: string;
  server: http.Server;
  /** stop accepting, let in-flight requests finish, then cut what is left after graceMs */
  close(graceMs?: number): Promise<void>;
}

export interface HealthProbe {
  name: string;
  check(): Promise<boolean>;
}

export function createHttpApp(options: { logger: Logger; health: HealthProbe[] }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // path only: query strings may carry tokens
      options.logger.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'http',
      );
    });
    next();
  });

  app.get('/healthz', async (_req, res) => {
    const results = await Promise.all(
      options.health.map(async (probe) => [probe.name, await probe.check().catch(() => false)] as const),
    );
    const healthy = results.every(([, ok]) => ok);
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ok' : 'unhealthy',
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failing'])),
    });
  });

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
