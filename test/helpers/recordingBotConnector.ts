// A local stand-in for the Bot Connector service Teams runs: the bot's replies, card updates and
// proactive messages arrive here (the activities the tests send name this server as their
// serviceUrl) and are recorded. It can answer 429 to the next few calls to test backoff.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** POST …/activities/{replyToId} or PUT …/activities/{activityId} */
  activityId: string | undefined;
  /** the id this server gave the activity (POST) */
  assignedId: string | undefined;
  body: Record<string, unknown>;
  at: number;
}

export interface RecordingBotConnector {
  serviceUrl: string;
  calls: ConnectorCall[];
  /** where a bot finds the keys that sign this server's tokens (ToBotFromChannelOpenIdMetadataUrl) */
  openIdMetadataUrl: string;
  /** a Bot Framework channel token as Teams sends it: `Bearer <this>` */
  signToken(claims: { aud: string; serviceurl: string; exp?: number }): string;
  /** the same token signed by a stranger's key under this server's key id (a forgery) */
  forgeToken(claims: { aud: string; serviceurl: string; exp?: number }): string;
  /** a person GET /v3/conversations/{id}/members/{member id} answers with (mentions in commands) */
  addMember(member: { id: string; name: string; aadObjectId: string }): void;
  /** the next `n` calls are answered 429 with Retry-After: `retryAfterSeconds` */
  throttleNext(n: number, retryAfterSeconds?: number): void;
  refused429: number;
  waitFor(
    predicate: (call: ConnectorCall) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<ConnectorCall[]>;
  close(): Promise<void>;
}

export const TOKEN_ISSUER = 'https://api.botframework.com';
const KEY_ID = 'recording-connector-key';

function signJwt(key: KeyObject, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })}.${encode({ nbf: now - 60, exp: now + 3600, ...claims })}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}

/** `address`: where to listen and what serviceUrl names (default 127.0.0.1) */
export async function startRecordingBotConnector(
  options: { address?: string } = {},
): Promise<RecordingBotConnector> {
  const address = options.address ?? '127.0.0.1';
  const calls: ConnectorCall[] = [];
  let nextId = 1;
  let throttle = 0;
  let retryAfter = 0;
  const state = { refused429: 0 };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const publicJwk = publicKey.export({ format: 'jwk' });
  let port = 0;
  const base = () => `http://${address}:${port}/`;
  const members = new Map<string, { id: string; name: string; aadObjectId: string }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      // the Bot Framework's OpenID metadata and signing keys, for bots that check tokens
      if (req.method === 'GET' && url.pathname === '/openid/.well-known/openidconfiguration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: TOKEN_ISSUER, jwks_uri: `${base()}openid/keys` }));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/openid/keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ keys: [{ ...publicJwk, kid: KEY_ID, use: 'sig', endorsements: ['msteams'] }] }),
        );
        return;
      }
      const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(url.pathname);
      if (member && req.method === 'GET') {
        const found = members.get(decodeURIComponent(member[2]!));
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(found ?? { error: { code: 'MemberNotFoundInConversation' } }));
        return;
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        send(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
        return;
      }
      if (throttle > 0) {
        throttle--;
        state.refused429++;
        send(429, { error: { code: 'TooManyRequests' } }, { 'retry-after': String(retryAfter) });
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        send(400, { error: { code: 'BadArgument' } });
        return;
      }
      const method = req.method as 'POST' | 'PUT';
      const assignedId = method === 'POST' ? `activity-${nextId++}` : undefined;
      calls.push({
        method,
        conversationId: decodeURIComponent(match[1]!),
        activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
        assignedId,
        body,
        at: Date.now(),
      });
      send(200, { id: assignedId ?? decodeURIComponent(match[2] ?? '') });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: base(),
    calls,
    openIdMetadataUrl: `${base()}openid/.well-known/openidconfiguration`,
    signToken: (claims) => signJwt(privateKey, { iss: TOKEN_ISSUER, ...claims }),
    forgeToken: (claims) => signJwt(stranger, { iss: TOKEN_ISSUER, ...claims }),
    addMember(member) {
      members.set(member.id, member);
    },
    throttleNext(n, retryAfterSeconds = 0) {
      throttle = n;
      retryAfter = retryAfterSeconds;
    },
    get refused429() {
      return state.refused429;
    },
    async waitFor(predicate, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.filter(predicate);
        if (found.length >= count) return found;
        if (Date.now() > deadline)
          throw new Error(
            `waited ${timeoutMs} ms for ${count} connector call(s); got ${found.length} of ${calls.length}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
