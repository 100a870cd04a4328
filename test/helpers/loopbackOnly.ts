// Keeps a test's traffic on this machine: name lookups other than loopback names are refused
// (and recorded) for as long as the guard is on, so a fuzzed body that names a host — a Slack
// response_url, a Teams serviceUrl — or a library that would fetch from a vendor cannot reach out.
// Connections to IP literals skip the lookup; the bot and the stand-ins are all on 127.0.0.1.
import dns from 'node:dns';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', '127.0.0.1', '::1']);

export interface LoopbackGuard {
  /** the host names something tried to look up and was refused */
  refused: string[];
  release(): void;
}

export function guardLoopbackOnly(): LoopbackGuard {
  const refused: string[] = [];
  const original = dns.lookup;
  const originalPromise = dns.promises.lookup;
  const allowed = (hostname: string) => LOOPBACK_NAMES.has(hostname.toLowerCase());
  const refuse = (hostname: string) => {
    refused.push(hostname);
    return Object.assign(new Error(`loopback-only test: lookup of ${hostname} refused`), {
      code: 'ENOTFOUND',
      hostname,
    });
  };
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    if (allowed(hostname)) return (original as (...a: unknown[]) => void)(hostname, ...rest);
    const callback = rest[rest.length - 1] as (error: Error) => void;
    process.nextTick(() => callback(refuse(hostname)));
  }) as typeof dns.lookup;
  dns.promises.lookup = ((hostname: string, ...rest: unknown[]) =>
    allowed(hostname)
      ? (originalPromise as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest)
      : Promise.reject(refuse(hostname))) as typeof dns.promises.lookup;
  return {
    refused,
    release() {
      dns.lookup = original;
      dns.promises.lookup = originalPromise;
    },
  };
}
