// Names that always mean "this machine": a listening HOST, a URL's hostname, a Host header's name.
import { isIPv4 } from 'node:net';

/** localhost, 127.0.0.0/8 and ::1 (bare or bracketed as in a URL). */
export function isLoopbackHostname(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (lower === 'localhost' || lower === '::1' || lower === '[::1]') return true;
  return isIPv4(lower) && lower.startsWith('127.');
}
