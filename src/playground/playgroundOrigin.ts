// DNS rebinding and cross-site requests: a web page the operator has open can make the browser
// talk to the playground on 127.0.0.1 — through a hostname of the attacker's that resolves to
// 127.0.0.1 (rebinding: the browser sends `Host: rebind.example`), or by posting to it from its
// own origin (`Origin: https://evil.example`). The loopback socket alone cannot tell those from the
// operator, so every playground request must also be addressed to the bot itself: a Host (and, when
// a browser sends one, an Origin) naming PUBLIC_URL, a loopback name, or the IP address the
// connection arrived on — with the port it arrived on. No attacker's page can make a browser send
// those for its own hostname.
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { isLoopbackHostname } from '../http/loopbackNames.js';

export interface OwnAddress {
  /** PUBLIC_URL: how people reach the bot (behind a proxy, or by its DNS name) */
  publicUrl: string | undefined;
  /** the socket's local address and port: where this connection arrived */
  localAddress: string | undefined;
  localPort: number | undefined;
}

const defaultPort = (protocol: string) => (protocol === 'https:' ? 443 : 80);

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();
const unmapped = (address: string) => bare(address).replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * Whether `host` (`name[:port]`) names this bot. `protocol` is the Origin's scheme; for a Host
 * header it is unknown (a proxy may have ended TLS), so a missing port means PUBLIC_URL's own.
 */
function isOwnHost(host: string, protocol: string | undefined, own: OwnAddress): boolean {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host) || !URL.canParse(`http://${host}`)) return false;
  const url = new URL(`http://${host}`);
  if (url.username || url.password || url.pathname !== '/') return false;
  const name = bare(url.hostname);
  const portOr = (fallback: number) => (url.port === '' ? fallback : Number(url.port));
  if (own.publicUrl) {
    const pub = new URL(own.publicUrl);
    const publicPort = pub.port === '' ? defaultPort(pub.protocol) : Number(pub.port);
    const sameScheme = protocol === undefined || protocol === pub.protocol;
    if (
      sameScheme &&
      name === bare(pub.hostname) &&
      portOr(defaultPort(protocol ?? pub.protocol)) === publicPort
    )
      return true;
  }
  // directly, without a proxy: plain http on the port this connection arrived on
  if (protocol !== undefined && protocol !== 'http:') return false;
  if (portOr(80) !== own.localPort) return false;
  if (isLoopbackHostname(name)) return true;
  return isIP(name) !== 0 && !!own.localAddress && name === unmapped(own.localAddress);
}

/** Why this request is not addressed to the bot itself, or undefined when it is. */
export function foreignRequestRefusal(
  headers: { host: string | undefined; origin: string | undefined },
  own: OwnAddress,
): string | undefined {
  if (!headers.host || !isOwnHost(headers.host, undefined, own)) return 'its Host is not this bot';
  if (headers.origin === undefined) return undefined; // not sent: no browser's cross-origin request
  if (!URL.canParse(headers.origin)) return 'its Origin is not this bot';
  const origin = new URL(headers.origin);
  if (origin.protocol !== 'http:' && origin.protocol !== 'https:') return 'its Origin is not this bot';
  return isOwnHost(origin.host, origin.protocol, own) ? undefined : 'its Origin is not this bot';
}

/** express middleware: 403 with a short problem for requests addressed to someone else */
export function sameOriginOnly(publicUrl: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refusal = foreignRequestRefusal(
      { host: req.headers.host, origin: req.headers.origin },
      { publicUrl, localAddress: req.socket.localAddress, localPort: req.socket.localPort },
    );
    if (!refusal) return next();
    res.status(403).json({
      error: 'PLAYGROUND_FOREIGN_ORIGIN',
      message: `Refused: ${refusal}. The playground answers only requests addressed to the bot itself.`,
      hint: publicUrl
        ? `Open it at ${new URL('/playground', publicUrl).toString()} or on the bot's machine at http://127.0.0.1:<port>/playground.`
        : 'Open it at http://127.0.0.1:<port>/playground; to reach it by a name, set PUBLIC_URL to that address.',
    });
  };
}
