// The shared HTTP server's answer when a request's body cannot be read: a coded 4xx saying what
// to change, never a 500 — and a route's own failure still a 500 without details. Real HTTP on
// loopback, body parsed by express as the Teams route does.
import { gzipSync } from 'node:zlib';
import express from 'express';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../../src/http/httpServer.js';
import { createLogger } from '../../../src/observability/logger.js';
import { CollectingStream } from '../../helpers/collectingStream.js';

let http: HttpServerHandle;
const logs = new CollectingStream();

beforeAll(async () => {
  const logger = createLogger({ level: 'info', format: 'json', secrets: [], destination: logs });
  const app = createHttpApp({ logger, health: [] });
  app.post('/echo', express.json({ limit: '1kb' }), (req, res) => {
    res.json({ got: req.body as unknown });
  });
  app.post('/broken', () => {
    throw new Error('route failed: secret detail');
  });
  finishHttpApp(app, logger);
  http = await listen(app, 0, '127.0.0.1');
});
afterAll(() => http?.close(100));

async function post(path: string, body: string | Uint8Array, headers: Record<string, string>) {
  const response = await fetch(`${http.url}${path}`, { method: 'POST', body, headers });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    /** the id the server gave the request (X-Request-Id) */
    requestId: response.headers.get('x-request-id'),
  };
}

describe('a body that cannot be read', () => {
  it.each([
    ['malformed JSON', '{"a":', { 'content-type': 'application/json' }, 400, 'MALFORMED_BODY'],
    [
      'a charset other than UTF-8',
      '{}',
      { 'content-type': 'application/json; charset=iso-8859-1' },
      415,
      'UNSUPPORTED_CHARSET',
    ],
    [
      'an unsupported Content-Encoding',
      '{}',
      { 'content-type': 'application/json', 'content-encoding': 'x-custom' },
      415,
      'UNSUPPORTED_CONTENT_ENCODING',
    ],
    [
      'brotli that is not brotli',
      'not brotli at all',
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      400,
      'BAD_REQUEST',
    ],
    [
      'gzip that is not gzip',
      'not gzip at all',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      400,
      'BAD_REQUEST',
    ],
    [
      'a body over the limit',
      JSON.stringify({ a: 'x'.repeat(2_000) }),
      { 'content-type': 'application/json' },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])(
    '%s: a coded 4xx with a hint, nothing logged as an error',
    async (_what, body, headers, status, code) => {
      const answer = await post('/echo', body, headers);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({
        error: code,
        code,
        message: expect.any(String),
        hint: expect.any(String),
        requestId: answer.requestId,
      });
      expect(logs.text()).not.toContain('unhandled error in HTTP route');
    },
  );

  it('reads a well-formed gzip body (the refusals above are not refusing everything)', async () => {
    const answer = await post('/echo', gzipSync('{"a":1}'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(answer).toMatchObject({ status: 200, body: { got: { a: 1 } } });
    // a success is answered as it is: the request id is in the header only
    expect(answer.body).toEqual({ got: { a: 1 } });
  });

  it("a route's own failure: 500 INTERNAL without details, and the log has them", async () => {
    const answer = await post('/broken', '{}', {
      'content-type': 'application/json',
      'x-request-id': 'broken-route-1',
    });
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'INTERNAL', requestId: 'broken-route-1' });
    expect(JSON.stringify(answer.body)).not.toContain('secret detail');
    expect(logs.text()).toContain('route failed: secret detail');
    // the logged error names the request the operator is told about
    const logged = logs
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; requestId?: string });
    expect(logged.find((l) => l.msg === 'unhandled error in HTTP route')?.requestId).toBe('broken-route-1');
  });
});
