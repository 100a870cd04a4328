// What "one endpoint" means for Autotask's thread limit (3 concurrent requests per endpoint per
// integration code): the entity, i.e. the first path segment after V1.0 — `Contracts/123/Services`
// and `Contracts/query` share the Contracts threads. The client's semaphore and the sandbox's
// thread counter use the same key so they agree.
export function endpointKey(pathAfterVersion: string): string {
  const first = pathAfterVersion.replace(/^\/+/, '').split(/[/?]/)[0] ?? '';
  return first.toLowerCase();
}

/** A readable label for counters: "POST Contracts/Services", "POST Companies/query". */
export function endpointLabel(method: string, pathAfterVersion: string): string {
  const segments = pathAfterVersion
    .replace(/^\/+/, '')
    .split('?')[0]!
    .split('/')
    .filter(Boolean)
    .filter((s) => !/^\d+$/.test(s));
  // paging posts to Companies/query/next: it is still a query call
  if (
    segments.length === 3 &&
    segments[1]?.toLowerCase() === 'query' &&
    segments[2]?.toLowerCase() === 'next'
  )
    segments.pop();
  return `${method.toUpperCase()} ${segments.join('/')}`;
}
