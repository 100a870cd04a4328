// A strict HTTP stand-in for a real Autotask tenant that is loose where the vendor is: it
// answers the zone lookup (pointing at itself) and only the routes a test gives it, with canned
// vendor-shaped bodies (extra fields, user-defined fields, nulls, HTML 404s). Anything else, or a
// request without the three auth headers, gets a 400/401 so a test cannot pass by accident
// (ThresholdInformation alone has a default answer: the hourly budget reads it first).
// Every request is recorded. Unlike the sandbox it evaluates no filters: the answer is the answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AutotaskClient, AutotaskClientOptions } from '../../src/autotask/autotaskClient.js';
import { TEST_CREDENTIALS, fastTestClient } from './autotaskSandbox.js';

export interface RecordedRequest {
  method: string;
  /** the path as sent, with its query string */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** the parsed JSON body, or undefined when none */
  body: unknown;
}

/** One canned answer: JSON (default 200), or an HTML body (e.g. IIS's 404 page). */
export type LooseReply = { status?: number; json: unknown } | { status: number; html: string };

/** `items` as a one-page query answer, with the pageDetails Autotask sends. */
export const page = (items: unknown[]): LooseReply => ({
  json: {
    items,
    pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null },
  },
});

export interface LooseTenant {
  /** what AUTOTASK_ZONE_URL would be: …/atservicesrest/v1.0/ */
  zoneUrl: string;
  /** the zone's base URL the lookup hands out: …/ATServicesRest/ */
  baseUrl: string;
  requests: RecordedRequest[];
  /** how many zone lookups were answered */
  zoneLookups(): number;
  /**
   * Sets the answer for "METHOD Path" after V1.0/ (e.g. "POST Companies/query",
   * "GET Companies/999"); matched case-insensitively.
   */
  answer(route: string, reply: LooseReply): void;
  close(): Promise<void>;
}

export async function startLooseTenant(): Promise<LooseTenant> {
  const requests: RecordedRequest[] = [];
  // the hourly budget reads ThresholdInformation before the first request of every client
  const routes = new Map<string, LooseReply>([
    [
      'get thresholdinformation',
      {
        json: {
          externalRequestThreshold: 10_000,
          requestThresholdTimeframe: 60,
          currentTimeframeRequestCount: 0,
        },
      },
    ],
  ]);
  let zoneLookups = 0;
  let origin = '';

  const send = (res: http.ServerResponse, reply: LooseReply) => {
    if ('html' in reply) {
      res.writeHead(reply.status, { 'Content-Type': 'text/html' });
      res.end(reply.html);
      return;
    }
    res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(reply.json));
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: raw ? (JSON.parse(raw) as unknown) : undefined,
      });
      const url = new URL(path, origin);
      if (req.method === 'GET' && /^\/atservicesrest\/v1\.0\/zoneInformation$/i.test(url.pathname)) {
        zoneLookups++;
        if (url.searchParams.get('user') !== TEST_CREDENTIALS.username)
          return send(res, { status: 500, json: { errors: ['Zone information could not be determined'] } });
        return send(res, {
          json: { zoneName: 'Loose Zone', url: `${origin}/ATServicesRest/`, webUrl: `${origin}/`, ci: 1 },
        });
      }
      const rest = /^\/atservicesrest\/v1\.0\/(.+)$/i.exec(url.pathname);
      if (!rest)
        return send(res, {
          status: 404,
          html: '<html><body><h1>404 - File or directory not found.</h1></body></html>',
        });
      if (
        req.headers.username !== TEST_CREDENTIALS.username ||
        req.headers.secret !== TEST_CREDENTIALS.secret ||
        req.headers.apiintegrationcode !== TEST_CREDENTIALS.integrationCode
      )
        return send(res, { status: 401, json: { errors: ['Unauthorized'] } });
      const route = `${req.method ?? ''} ${rest[1]!}`.toLowerCase();
      const reply = routes.get(route);
      if (!reply)
        return send(res, {
          status: 400,
          json: { errors: [`loose tenant stand-in: no answer set for ${route}`] },
        });
      send(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    zoneUrl: `${origin}/atservicesrest/v1.0/`,
    baseUrl: `${origin}/ATServicesRest/`,
    requests,
    zoneLookups: () => zoneLookups,
    answer: (route, reply) => routes.set(route.toLowerCase(), reply),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A client for the stand-in with millisecond retries, as clientFor() builds one for the sandbox. */
export function clientForLooseTenant(
  tenant: LooseTenant,
  overrides: Partial<AutotaskClientOptions> = {},
): AutotaskClient {
  return fastTestClient(tenant.zoneUrl, overrides);
}
