// A local stand-in for Slack: serves the Web API methods the bot calls (auth.test,
// chat.postMessage, chat.update, views.open, …) under /api/ and response_url posts under
// /response/, and records everything it was sent so tests assert on it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  /** Web API method (chat.postMessage) or `response_url` */
  method: string;
  /** for response_url posts: the path's id */
  responseId?: string;
  body: Record<string, unknown>;
}

export interface RecordingSlackServer {
  url: string;
  apiUrl: string;
  calls: RecordedCall[];
  responseUrl(id: string): string;
  /** resolves once `count` calls match */
  waitFor(
    predicate: (call: RecordedCall) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<RecordedCall[]>;
  close(): Promise<void>;
}

function parse(raw: string, contentType: string | undefined): Record<string, unknown> {
  if ((contentType ?? '').includes('json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const params = Object.fromEntries(new URLSearchParams(raw)) as Record<string, unknown>;
  // the Web API client sends arrays and objects (blocks) as JSON strings in form bodies
  for (const key of ['blocks', 'attachments', 'view'])
    if (typeof params[key] === 'string') params[key] = JSON.parse(params[key]);
  return params;
}

export async function startRecordingSlackServer(
  /** answers: extra Web API answers by method, e.g. apps.connections.open for Socket Mode */
  options: { teamId?: string; answers?: Record<string, unknown> } = {},
): Promise<RecordingSlackServer> {
  const calls: RecordedCall[] = [];
  let ts = 1_700_000_000;
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const body = parse(raw, req.headers['content-type']);
      const send = (payload: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (path.startsWith('/response/')) {
        calls.push({ method: 'response_url', responseId: path.slice('/response/'.length), body });
        send({ ok: true });
      } else if (path.startsWith('/api/')) {
        const method = path.slice('/api/'.length).split('?')[0]!;
        calls.push({ method, body });
        if (options.answers?.[method]) send(options.answers[method]);
        else if (method === 'auth.test')
          send({ ok: true, team_id: options.teamId ?? 'T1', user_id: 'UBOT', bot_id: 'BBOT', team: 'Test' });
        else if (method === 'chat.postMessage')
          send({ ok: true, channel: body.channel, ts: `${++ts}.000100` });
        else if (method === 'chat.update') send({ ok: true, channel: body.channel, ts: body.ts });
        else send({ ok: true });
      } else {
        res.writeHead(404).end();
      }
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    responseUrl: (id) => `${url}/response/${id}`,
    waitFor: (predicate, count = 1, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const matched = calls.filter(predicate);
          if (matched.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(matched);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `recording Slack server: waited ${timeoutMs} ms for ${count} matching calls, saw ${calls.filter(predicate).length}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
