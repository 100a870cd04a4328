// Every request gets an id: the caller's X-Request-Id when it is sane, else a new one. It is
// echoed in the response header, put on every log line written while the request is handled
// (observability/requestContext.ts), and added to every JSON error answer, whichever route
// writes it (docs/operations.md "Request id").
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER, requestIdFor, runWithRequestId } from '../observability/requestContext.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

export function requestIdMiddleware(): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFor(req.header(REQUEST_ID_HEADER));
    res.locals.requestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const json = res.json.bind(res);
    res.json = ((body: unknown) =>
      json(res.statusCode >= 400 && isPlainObject(body) ? { ...body, requestId } : body)) as typeof res.json;
    runWithRequestId(requestId, next);
  };
}

/** The id of the request a response answers. */
export function requestIdOf(res: { locals: Record<string, unknown> }): string | undefined {
  const id = res.locals.requestId;
  return typeof id === 'string' ? id : undefined;
}
