// The request being handled, for every log line written while handling it: the HTTP server runs
// each request inside runWithRequestId(), and the logger's mixin reads currentRequestId(), so code
// deep inside logs the id without passing it down (docs/operations.md "Request id").
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** what an incoming X-Request-Id may be: short, and nothing a log viewer or a header could misread */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const storage = new AsyncLocalStorage<{ requestId: string }>();

/** The caller's id when it is sane, else a new one. */
export function requestIdFor(incoming: string | undefined): string {
  const trimmed = incoming?.trim();
  return trimmed && SANE_REQUEST_ID.test(trimmed) ? trimmed : randomUUID();
}

export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
