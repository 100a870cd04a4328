// Retry-After as servers send it (RFC 9110 §10.2.3): a number of seconds or an HTTP date.

/** Retry-After as seconds: either a number of seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: Date = new Date()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
