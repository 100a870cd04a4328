// Fuzzed HTTP requests for the bot's three entry points — Slack (/slack/events), Teams
// (/api/messages) and ingest (/api/ingest/*) — drawn from fast-check arbitraries with one seed, so
// a run repeats exactly. Each request is mostly plausible (the shape the endpoint expects) with a
// few fields or bytes made hostile: NUL, lone surrogates, control characters, odd quoting, huge
// values, broken percent-encoding and JSON, wrong content types, truncation. How a request is
// authenticated (signed, forged, none) is part of the case; the signature or token itself is made
// when it is sent, because it depends on the clock and on keys the test holds.
import fc from 'fast-check';

export type EntryPoint = 'slack' | 'teams' | 'ingest';

export type FuzzAuth =
  | 'none'
  | 'slack-signed'
  | 'slack-bad-signature'
  | 'slack-stale'
  | 'teams-signed'
  | 'teams-signed-other-app'
  | 'teams-garbage'
  | 'teams-forged-jwt'
  | 'ingest-key'
  | 'ingest-wrong-key'
  | 'ingest-malformed-header';

export interface FuzzCase {
  entry: EntryPoint;
  /** which shape of request it is, for the failure report */
  shape: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  path: string;
  auth: FuzzAuth;
  /** garbage for the forged kinds; ignored for the signed ones */
  authValue: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

export interface FuzzTargets {
  /** where the bot may post Slack answers (the recording Slack server) */
  slackResponseUrl: string;
  /** the recording Bot Connector; signed activities must name it */
  teamsServiceUrl: string;
  teamsTenant: string;
  teamsAdmin: string;
  slackTeam: string;
  slackAdmin: string;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** one of the values, each as often as its weight says */
const weighted = <T>(choices: [T, number][]): fc.Arbitrary<T> =>
  fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })));

/** Strings a careless or hostile client sends. Never a URL of a real host. */
const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  '\u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  '\r\n\r\n',
  '\t',
  '\u202eevil',
  '\ufeff',
  '\uffff',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%80',
  '+',
  '&&&==&',
  '"',
  "'",
  '\\',
  '\\u0000',
  '{"a":',
  '<script>alert(1)</script>',
  "'; DROP TABLE audit_log; --",
  '../../etc/passwd',
  '💥',
  '👩‍👩‍👧‍👦',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9999-12-31',
  '0000-00-00',
  '2026-02-30',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string16bits({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...NASTY), fc.string({ maxLength: 10 }), fc.constantFrom(...NASTY))
      .map((parts) => parts.join('')),
  },
  // long fields of a few kB; now and then one just under or over the 1 MB body limits
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.oneof(
          { weight: 19, arbitrary: fc.integer({ min: 2_000, max: 20_000 }) },
          { weight: 1, arbitrary: fc.integer({ min: 900_000, max: 1_200_000 }) },
        ),
        fc.constantFrom('x', 'é', '\u0000', '💥', '%'),
      )
      .map(([n, c]) => c.repeat(Math.ceil(n / c.length))),
  },
);

/** Any JSON-ish value: JSON values, nasty strings, big and odd numbers. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.unicodeJsonValue({ maxDepth: 2 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      true,
      0,
      -1,
      1.5,
      1e21,
      -1e21,
      Number.MAX_SAFE_INTEGER + 2,
      [],
      {},
      [null],
      { __proto__: 1 },
      { constructor: { prototype: {} } },
    ),
  },
);

/** A commandish text: words the bot knows, mixed with nasty strings. */
const COMMAND_WORDS = [
  'help',
  'roles',
  'status',
  'customers',
  'unmapped',
  'runs',
  'run',
  'audit',
  'map',
  'confirm',
  'validate',
  'upload',
  'approve',
  'reject',
  'retry',
  'schedule',
  'notify',
  'grant',
  'revoke',
  'mode',
  'all',
  'acme',
  'viewer',
  'approver',
  'admin',
  'run_1',
  '<@U0X>',
  '"Visio Plan 2"',
  '2026-11-01',
] as const;
const commandText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...COMMAND_WORDS) },
      { weight: 1, arbitrary: nastyString },
    ),
    {
      maxLength: 5,
    },
  )
  .map((words) => words.join(' '));

/** Replace, delete or add a few fields of a plain object (one level, or a nested path). */
function mutateObject(
  base: Record<string, unknown>,
  paths: string[][],
  options: { maxMutations?: number; value?: fc.Arbitrary<unknown> } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const mutation = fc.record({
    path: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...paths) },
      {
        weight: 1,
        arbitrary: fc.array(
          nastyString.filter((s) => s.length < 40),
          { minLength: 1, maxLength: 2 },
        ),
      },
    ),
    op: weighted([
      ['set', 3],
      ['delete', 1],
    ]),
    value: options.value ?? nastyValue,
  });
  return fc.array(mutation, { maxLength: options.maxMutations ?? 4 }).map((mutations) => {
    const copy = structuredClone(base);
    for (const { path, op, value } of mutations) {
      let node: Record<string, unknown> = copy;
      for (const key of path.slice(0, -1)) {
        // own properties only: a key such as __proto__ must not walk into Object.prototype
        let next = Object.hasOwn(node, key) ? node[key] : undefined;
        if (!next || typeof next !== 'object' || Array.isArray(next)) {
          next = {};
          Object.defineProperty(node, key, {
            value: next,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        node = next as Record<string, unknown>;
      }
      const last = path[path.length - 1]!;
      if (op === 'delete') delete node[last];
      else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  });
}

/** Byte-level damage to an otherwise well-formed body. */
function damage(body: Uint8Array, intactWeight = 6): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: intactWeight, arbitrary: fc.constant(body) },
    { weight: 1, arbitrary: fc.nat({ max: Math.max(0, body.length) }).map((n) => body.slice(0, n)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.nat({ max: Math.max(0, body.length) }), fc.uint8Array({ minLength: 1, maxLength: 8 }))
        .map(([at, bytes]) => Uint8Array.from([...body.slice(0, at), ...bytes, ...body.slice(at)])),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.nat({ max: Math.max(0, body.length - 1) }),
          fc.constantFrom(0x00, 0xff, 0xed, 0xc0, 0x80, 0x25),
        )
        .map(([at, byte]) => {
          const copy = Uint8Array.from(body);
          if (copy.length > 0) copy[at] = byte;
          return copy;
        }),
    },
  );
}

/** Form encoding by hand: values raw, properly encoded, or encoded with broken escapes. */
const formValue = (value: string): fc.Arbitrary<string> =>
  fc.constantFrom('encoded', 'encoded', 'encoded', 'raw', 'broken').map((how) => {
    if (how === 'raw') return value;
    const encoded = new URLSearchParams({ v: value }).toString().slice(2);
    return how === 'encoded' ? encoded : `${encoded}%${encoded.length % 2 ? 'G' : ''}`;
  });

function formBody(fields: Record<string, string>): fc.Arbitrary<string> {
  const entries = Object.entries(fields);
  return fc
    .tuple(...entries.map(([, v]) => formValue(v)), fc.constantFrom('&', '&', '&', ';', '&&'))
    .map((parts) => {
      const separator = parts.pop()!;
      return entries.map(([k], i) => `${k}=${parts[i]}`).join(separator);
    });
}

const CONTENT_TYPES = [
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/xml',
  'garbage',
  '',
] as const;
const contentType = (right: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(right) },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  );

/** Occasionally a header that promises an encoding the body does not have. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'content-encoding': 'gzip' },
      { 'content-encoding': 'br' },
      { 'content-encoding': 'deflate' },
      { 'content-encoding': 'x-custom' },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      { 'x-slack-retry-num': 'NaN' },
    ),
  },
);

// ---- Slack ------------------------------------------------------------------------------------

function slackCase(t: FuzzTargets): fc.Arbitrary<FuzzCase> {
  const who = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ team: t.slackTeam, user: t.slackAdmin }) },
    {
      weight: 3,
      arbitrary: fc.record({ team: fc.constant(t.slackTeam), user: fc.stringMatching(/^U[A-Z0-9]{2,10}$/) }),
    },
    { weight: 1, arbitrary: fc.record({ team: nastyString, user: nastyString }) },
  );
  const responseUrl = fc.oneof(
    { weight: 8, arbitrary: fc.constant(t.slackResponseUrl) },
    { weight: 1, arbitrary: nastyString.filter((s) => !s.includes('://')) },
  );
  const slash = fc
    .record({
      who,
      text: fc.oneof(commandText, nastyString),
      responseUrl,
      command: fc.oneof(
        { weight: 5, arbitrary: fc.constant('/autotask') },
        { weight: 1, arbitrary: nastyString },
      ),
    })
    .chain(({ who: w, text, responseUrl: url, command }) =>
      formBody({
        token: 'legacy-verification-token',
        team_id: w.team,
        team_domain: 'partner',
        channel_id: 'CGENERAL',
        channel_name: 'general',
        user_id: w.user,
        user_name: 'fuzz',
        command,
        text,
        api_app_id: 'A0AUTOTASK',
        response_url: url,
        trigger_id: 'trigger.fuzz',
      }).map((body) => ({ shape: 'slash command', body, type: 'application/x-www-form-urlencoded' })),
    );
  const actionPayload = fc
    .record({
      who,
      responseUrl,
      kind: fc.constantFrom('button', 'static_select', 'external_select'),
      value: fc.oneof(commandText, nastyString),
    })
    .chain(({ who: w, responseUrl: url, kind, value }) =>
      mutateObject(
        {
          type: 'block_actions',
          team: { id: w.team, domain: 'partner' },
          user: { id: w.user, username: 'fuzz', name: 'fuzz', team_id: w.team },
          api_app_id: 'A0AUTOTASK',
          token: 'legacy-verification-token',
          container: {
            type: 'message',
            message_ts: '1700000001.000100',
            channel_id: 'CNOTIFY',
            is_ephemeral: false,
          },
          trigger_id: 'trigger.fuzz',
          channel: { id: 'CNOTIFY', name: 'billing' },
          message: { type: 'message', ts: '1700000001.000100', text: 'card' },
          response_url: url,
          actions: [
            kind === 'button'
              ? { type: 'button', action_id: 'command', value, action_ts: '1700000002.0' }
              : {
                  type: kind,
                  action_id: 'select',
                  block_id: value,
                  selected_option: { value },
                  action_ts: '1700000002.0',
                },
          ],
        },
        [
          ['type'],
          ['actions'],
          ['user'],
          ['user', 'id'],
          ['team'],
          ['container'],
          ['response_url'],
          ['message'],
          ['view'],
        ],
      ),
    )
    .map((payload) => ({ shape: 'interactive payload', payload }));
  const otherPayload = fc
    .record({
      who,
      type: fc.constantFrom(
        'block_suggestion',
        'view_submission',
        'shortcut',
        'message_action',
        'view_closed',
        'nonsense',
      ),
    })
    .chain(({ who: w, type }) =>
      mutateObject(
        {
          type,
          user: { id: w.user, name: 'fuzz', team_id: w.team },
          team: { id: w.team, domain: 'partner' },
          api_app_id: 'A0AUTOTASK',
          token: 'legacy-verification-token',
          container: { type: 'message', message_ts: '1.1', channel_id: 'CGENERAL', is_ephemeral: true },
          action_id: 'select',
          block_id: 'map acme',
          value: 'a',
          view: { id: 'V1', type: 'modal', callback_id: 'x', state: { values: {} } },
          callback_id: 'x',
          trigger_id: 'trigger.fuzz',
        },
        [['value'], ['block_id'], ['view'], ['view', 'state'], ['user'], ['type'], ['callback_id']],
      ),
    )
    .map((payload) => ({ shape: `${String(payload.type)} payload`, payload }));
  const interactive = fc
    .tuple(fc.oneof(actionPayload, otherPayload), fc.constantFrom('json', 'json', 'json', 'broken-json'))
    .chain(([{ shape, payload }, how]) => {
      const json = how === 'json' ? JSON.stringify(payload) : JSON.stringify(payload).slice(0, -3);
      return formBody({ payload: json }).map((body) => ({
        shape,
        body,
        type: 'application/x-www-form-urlencoded',
      }));
    });
  const events = fc
    .record({
      who,
      text: fc.oneof(commandText, nastyString),
      eventType: fc.constantFrom(
        'app_mention',
        'message',
        'app_home_opened',
        'member_joined_channel',
        'nonsense',
      ),
    })
    .chain(({ who: w, text, eventType }) =>
      fc.oneof(
        mutateObject(
          {
            token: 'legacy-verification-token',
            team_id: w.team,
            api_app_id: 'A0AUTOTASK',
            type: 'event_callback',
            event_id: 'Ev0FUZZ',
            event_time: 1_700_000_000,
            event: {
              type: eventType,
              user: w.user,
              text,
              channel: 'CGENERAL',
              ts: '1700000003.000100',
              channel_type: 'channel',
            },
            authorizations: [{ team_id: w.team, user_id: 'UBOT', is_bot: true }],
          },
          [
            ['event'],
            ['event', 'type'],
            ['event', 'text'],
            ['event', 'user'],
            ['type'],
            ['team_id'],
            ['authorizations'],
          ],
        ),
        fc.record({ type: fc.constant('url_verification'), challenge: nastyValue, token: fc.constant('x') }),
        fc.constant({ ssl_check: '1', token: 'x' }),
      ),
    )
    .map((body: Record<string, unknown>) => ({
      shape: `event ${String(body.type ?? 'ssl_check')}`,
      body: JSON.stringify(body),
      type: 'application/json',
    }));
  const garbage = fc.oneof(
    fc
      .uint8Array({ maxLength: 300 })
      .map((bytes) => ({ shape: 'random bytes', bytes, type: 'application/x-www-form-urlencoded' })),
    nastyValue.map((v) => ({
      shape: 'random JSON',
      body: JSON.stringify(v) ?? 'undefined',
      type: 'application/json',
    })),
    nastyString.map((s) => ({ shape: 'random form', body: s, type: 'application/x-www-form-urlencoded' })),
  );

  return fc
    .record({
      made: fc.oneof(
        { weight: 4, arbitrary: slash },
        { weight: 3, arbitrary: interactive },
        { weight: 2, arbitrary: events },
        { weight: 2, arbitrary: garbage },
      ),
      auth: weighted<FuzzAuth>([
        ['slack-signed', 7],
        ['slack-bad-signature', 1],
        ['slack-stale', 1],
        ['none', 2],
      ]),
      authValue: fc.oneof(
        fc.constant(''),
        nastyString.filter((s) => s.length < 200),
      ),
      extra: extraHeaders,
    })
    .chain(({ made, auth, authValue, extra }) => {
      const bytes = 'bytes' in made ? made.bytes : utf8(made.body);
      return fc.tuple(damage(bytes), contentType(made.type)).map(([body, type]): FuzzCase => ({
        entry: 'slack',
        shape: made.shape,
        method: 'POST',
        path: '/slack/events',
        auth,
        authValue,
        headers: { ...(type ? { 'content-type': type } : {}), ...extra },
        body,
      }));
    });
}

// ---- Teams ------------------------------------------------------------------------------------

function teamsCase(t: FuzzTargets): fc.Arbitrary<FuzzCase> {
  const user = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ tenant: t.teamsTenant, aad: t.teamsAdmin }) },
    { weight: 4, arbitrary: fc.record({ tenant: fc.constant(t.teamsTenant), aad: fc.uuid() }) },
    { weight: 1, arbitrary: fc.record({ tenant: nastyString, aad: nastyString }) },
  );
  const activity = fc
    .record({
      who: user,
      type: fc.constantFrom(
        'message',
        'message',
        'message',
        'invoke',
        'conversationUpdate',
        'messageReaction',
        'event',
        'installationUpdate',
        'typing',
        'nonsense',
      ),
      name: fc.constantFrom(
        'adaptiveCard/action',
        'application/search',
        'composeExtension/query',
        'nonsense',
        undefined,
      ),
      text: fc.oneof(commandText, nastyString),
      value: nastyValue,
      personal: fc.boolean(),
    })
    .chain(({ who, type, name, text, value, personal }) =>
      mutateObject(
        {
          id: 'f00dfeed-0000-4000-8000-000000000001',
          timestamp: '2026-12-01T10:00:00.000Z',
          serviceUrl: t.teamsServiceUrl,
          channelId: 'msteams',
          type,
          ...(type === 'invoke'
            ? {
                name,
                value:
                  name === 'adaptiveCard/action'
                    ? { action: { type: 'Action.Execute', verb: 'command', data: value }, trigger: 'manual' }
                    : value,
              }
            : {}),
          ...(type === 'message' ? { text, textFormat: 'plain' } : {}),
          ...(type === 'conversationUpdate' ? { membersAdded: [{ id: '28:bot-app-id' }] } : {}),
          from: { id: `29:${who.aad}`, name: 'Fuzz', aadObjectId: who.aad },
          recipient: { id: '28:bot-app-id', name: 'Autotask' },
          conversation: personal
            ? { id: `a:personal-${who.aad}`, conversationType: 'personal', tenantId: who.tenant }
            : {
                id: '19:fuzz@thread.tacv2',
                conversationType: 'channel',
                tenantId: who.tenant,
                isGroup: true,
                name: 'billing',
              },
          channelData: {
            tenant: { id: who.tenant },
            ...(personal
              ? {}
              : { channel: { id: '19:fuzz@thread.tacv2', name: 'billing' }, team: { id: 'team-1' } }),
          },
          entities: personal
            ? []
            : [
                {
                  type: 'mention',
                  text: '<at>Autotask</at>',
                  mentioned: { id: '28:bot-app-id', name: 'Autotask' },
                },
              ],
          locale: 'en-US',
        },
        [
          ['text'],
          ['type'],
          ['from'],
          ['from', 'aadObjectId'],
          ['conversation'],
          ['conversation', 'id'],
          ['conversation', 'tenantId'],
          ['channelData'],
          ['channelData', 'tenant'],
          ['value'],
          ['entities'],
          ['recipient'],
          ['name'],
          ['replyToId'],
          ['attachments'],
          ['locale'],
          ['id'],
        ],
      ),
    )
    .map((a) => ({
      shape: `activity ${typeof a.type === 'string' ? a.type.slice(0, 20) : typeof a.type}`,
      body: JSON.stringify(a),
      type: 'application/json',
    }));
  const garbage = fc.oneof(
    nastyValue.map((v) => ({
      shape: 'random JSON',
      body: JSON.stringify(v) ?? 'undefined',
      type: 'application/json',
    })),
    fc
      .uint8Array({ maxLength: 300 })
      .map((bytes) => ({ shape: 'random bytes', bytes, type: 'application/json' })),
  );
  const forgedJwt = fc
    .record({
      alg: fc.constantFrom('none', 'HS256', 'RS256', 'ES256', 'RS512', ''),
      kid: fc.oneof(
        fc.constant('recording-connector-key'),
        nastyString.filter((s) => s.length < 50),
      ),
      claims: mutateObject(
        {
          iss: 'https://api.botframework.com',
          aud: 'app',
          serviceurl: t.teamsServiceUrl,
          exp: 4_102_444_800,
          nbf: 0,
        },
        [['iss'], ['aud'], ['exp'], ['nbf'], ['serviceurl']],
      ),
      signature: fc.uint8Array({ maxLength: 256 }),
    })
    .map(({ alg, kid, claims, signature }) => {
      const part = (v: unknown) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url');
      return `Bearer ${part({ alg, typ: 'JWT', kid })}.${part(claims)}.${Buffer.from(signature).toString('base64url')}`;
    });
  return fc
    .record({
      made: fc.oneof({ weight: 5, arbitrary: activity }, { weight: 1, arbitrary: garbage }),
      auth: weighted<FuzzAuth>([
        ['none', 3],
        ['teams-garbage', 1],
        ['teams-forged-jwt', 2],
        ['teams-signed', 3],
        ['teams-signed-other-app', 1],
      ]),
      garbageAuth: fc.oneof(
        nastyString.filter((s) => s.length < 300).map((s) => `Bearer ${s}`),
        nastyString.filter((s) => s.length < 300),
        fc.constantFrom('Bearer', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer ...'),
      ),
      jwt: forgedJwt,
      extra: extraHeaders,
    })
    .chain(({ made, auth, garbageAuth, jwt, extra }) => {
      const bytes = 'bytes' in made ? made.bytes : utf8(made.body);
      return fc.tuple(damage(bytes), contentType(made.type)).map(([body, type]): FuzzCase => ({
        entry: 'teams',
        shape: made.shape,
        method: 'POST',
        path: '/api/messages',
        auth,
        authValue: auth === 'teams-forged-jwt' ? jwt : garbageAuth,
        headers: { ...(type ? { 'content-type': type } : {}), ...extra },
        body,
      }));
    });
}

// ---- ingest -----------------------------------------------------------------------------------

// text fields twice: a hostile value there passes the schema and reaches the database
const EVENT_TEXT_PATHS = [
  ['eventId'],
  ['customer', 'name'],
  ['customer', 'externalId'],
  ['customer', 'domain'],
  ['subscription', 'id'],
  ['subscription', 'product'],
  ['subscription', 'sku'],
  ['subscription', 'term'],
];
const EVENT_PATHS = [
  ...EVENT_TEXT_PATHS,
  ...EVENT_TEXT_PATHS,
  ['customer'],
  ['customer', 'name'],
  ['customer', 'externalId'],
  ['customer', 'domain'],
  ['subscription'],
  ['subscription', 'id'],
  ['subscription', 'product'],
  ['subscription', 'sku'],
  ['subscription', 'billingCycle'],
  ['subscription', 'currency'],
  ['subscription', 'unitCost'],
  ['date'],
  ['kind'],
  ['quantityAfter'],
  ['quantityBefore'],
  ['priceAfter'],
  ['priceBefore'],
  ['statusAfter'],
];
const SNAPSHOT_TEXT_PATHS = [
  ['id'],
  ['customer', 'name'],
  ['customer', 'externalId'],
  ['product'],
  ['sku'],
  ['term'],
];
const SNAPSHOT_PATHS = [
  ...SNAPSHOT_TEXT_PATHS,
  ...SNAPSHOT_TEXT_PATHS,
  ['id'],
  ['customer'],
  ['customer', 'name'],
  ['customer', 'externalId'],
  ['product'],
  ['sku'],
  ['billingCycle'],
  ['billingType'],
  ['term'],
  ['status'],
  ['quantity'],
  ['unitPrice'],
  ['unitCost'],
  ['currency'],
];

/**
 * Ingest values: mostly text that passes the schema's own checks (not blank, not too long) but
 * carries something hostile inside, so the request gets past validation to the database.
 */
const ingestValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('Acme ', 'Power BI ', 'sub-', ''),
        nastyString.filter((v) => v.length < 150),
        fc.constantFrom('', ' Ltd', 'x'),
      )
      .map((parts) => parts.join(''))
      .filter((v) => v.trim().length > 0),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('Acme', 'sub-1', 'Power BI Pro'),
        fc.constantFrom('\u0000', '\ud800', '\udfff', '\u001b[2J', '\u0007'),
      )
      .map(([text, hostile]) => `${text}${hostile}`),
  },
  { weight: 1, arbitrary: nastyValue },
);

function ingestCase(): fc.Arbitrary<FuzzCase> {
  const n = fc.integer({ min: 1, max: 9_999 });
  const dateish = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .date({ min: new Date('2020-01-01'), max: new Date('2026-11-30'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    },
    { weight: 1, arbitrary: fc.constantFrom('9999-12-31', '2026-02-30', '2026-13-01', '20261201', '') },
  );
  const event = fc
    .record({
      k: n,
      date: dateish,
      kind: weighted([
        ['created', 6],
        ['quantity_changed', 1],
        ['price_changed', 1],
        ['status_changed', 1],
        ['cancelled', 1],
      ]),
    })
    .chain(({ k, date, kind }) =>
      mutateObject(
        {
          eventId: `fuzz-${k}`,
          customer: {
            name: `Fuzz Customer ${k % 50}`,
            externalId: `00000000-0000-4000-8000-${String(k % 50).padStart(12, '0')}`,
          },
          subscription: {
            id: `fuzz-sub-${k % 200}`,
            product: 'Power BI Pro',
            billingCycle: 'monthly',
            billingType: 'quantity',
            currency: 'USD',
          },
          date,
          kind,
          ...(kind === 'created' ? { quantityAfter: 1 + (k % 20), priceAfter: '9.99' } : {}),
          ...(kind === 'quantity_changed' ? { quantityBefore: 1, quantityAfter: 2 } : {}),
          ...(kind === 'price_changed' ? { priceBefore: '9.99', priceAfter: '12.50' } : {}),
          ...(kind === 'status_changed' ? { statusBefore: 'active', statusAfter: 'suspended' } : {}),
        },
        EVENT_PATHS,
        { maxMutations: 2, value: ingestValue },
      ),
    );
  const subscription = n.chain((k) =>
    mutateObject(
      {
        id: `fuzz-sub-${k % 200}`,
        customer: {
          name: `Fuzz Customer ${k % 50}`,
          externalId: `00000000-0000-4000-8000-${String(k % 50).padStart(12, '0')}`,
        },
        product: 'Power BI Pro',
        billingCycle: 'monthly',
        billingType: 'quantity',
        status: 'active',
        quantity: 1 + (k % 20),
        unitPrice: '9.99',
        currency: 'USD',
      },
      SNAPSHOT_PATHS,
      { maxMutations: 2, value: ingestValue },
    ),
  );
  const events = fc
    .record({
      events: fc.array(event, { minLength: 1, maxLength: 3 }),
      source: fc.constantFrom(undefined, 'fuzz', 'partner-center'),
      bare: fc.boolean(),
    })
    .chain(({ events: list, source, bare }) =>
      (bare
        ? fc.constant<unknown>(list)
        : mutateObject({ ...(source ? { source } : {}), events: list }, [['source'], ['events']], {
            maxMutations: 1,
          })
      ).map((body) => ({
        shape: 'events batch',
        path: '/api/ingest/events',
        body: JSON.stringify(body),
      })),
    );
  const snapshot = fc
    .record({ subscriptions: fc.array(subscription, { maxLength: 3 }), date: dateish })
    .chain(({ subscriptions, date }) =>
      mutateObject(
        { date, source: 'fuzz', subscriptions },
        [['date'], ['source'], ['subscriptions'], ['allowMassCancel']],
        { maxMutations: 1 },
      ).map((body) => ({
        shape: 'snapshot',
        path: '/api/ingest/snapshot',
        body: JSON.stringify(body),
      })),
    );
  const garbage = fc
    .record({
      path: fc.constantFrom(
        '/api/ingest/events',
        '/api/ingest/snapshot',
        '/api/ingest/',
        '/api/ingest/nope',
        '/api/ingest/events/..',
        '/api/ingest/%00',
        '/api/ingest/%zz',
      ),
      value: nastyValue,
      bytes: fc.uint8Array({ maxLength: 300 }),
      asBytes: fc.boolean(),
    })
    .map(({ path, value, bytes, asBytes }) => ({
      shape: asBytes ? 'random bytes' : 'random JSON',
      path,
      ...(asBytes ? { bytes } : { body: JSON.stringify(value) ?? 'undefined' }),
    }));
  return fc
    .record({
      made: fc.oneof(
        { weight: 4, arbitrary: events },
        { weight: 4, arbitrary: snapshot },
        { weight: 2, arbitrary: garbage },
      ),
      auth: weighted<FuzzAuth>([
        ['ingest-key', 6],
        ['none', 1],
        ['ingest-wrong-key', 1],
        ['ingest-malformed-header', 1],
      ]),
      authValue: nastyString.filter((s) => s.length < 300),
      method: weighted<FuzzCase['method']>([
        ['POST', 8],
        ['GET', 1],
        ['PUT', 1],
      ]),
      extra: extraHeaders,
    })
    .chain(({ made, auth, authValue, method, extra }) => {
      const bytes = 'bytes' in made ? made.bytes : utf8(made.body);
      return fc.tuple(damage(bytes, 20), contentType('application/json')).map(([body, type]): FuzzCase => ({
        entry: 'ingest',
        shape: made.shape,
        method,
        path: made.path,
        auth,
        authValue,
        headers: { ...(type ? { 'content-type': type } : {}), ...extra },
        body: method === 'GET' ? undefined : body,
      }));
    });
}

const PATH_SUFFIXES = [
  '?',
  '?%',
  '?%zz=%E0%A4%A',
  '?__proto__[polluted]=1&constructor[prototype][x]=1',
  '?a[b][c][d][e][f][g]=1',
  `?${'a=1&'.repeat(2_000)}`,
  '/',
  '//',
  '/%',
  '/%00',
  '/..%2f..%2fetc%2fpasswd',
  '%20',
  ';jsessionid=1',
  '#fragment',
] as const;

/** Now and then another method, or a path with something after it. */
function withVariant(base: fc.Arbitrary<FuzzCase>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      base,
      fc.oneof(
        { weight: 16, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.record({ suffix: fc.constantFrom(...PATH_SUFFIXES) }) },
        {
          weight: 1,
          arbitrary: fc.record({
            method: fc.constantFrom<FuzzCase['method']>('GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
          }),
        },
      ),
    )
    .map(([c, variant]) => {
      if (!variant) return c;
      if ('suffix' in variant)
        return {
          ...c,
          path: `${c.path}${variant.suffix}`,
          shape: `${c.shape}, path${variant.suffix.slice(0, 30)}`,
        };
      const bodiless = variant.method === 'GET' || variant.method === 'HEAD';
      return { ...c, method: variant.method, ...(bodiless ? { body: undefined } : {}) };
    });
}

/** `count` cases, about a third per entry point, the same ones for the same seed. */
export function fuzzCases(targets: FuzzTargets, seed: number, count: number): FuzzCase[] {
  const third = Math.floor(count / 3);
  const sizes: [EntryPoint, number][] = [
    ['slack', count - 2 * third],
    ['teams', third],
    ['ingest', third],
  ];
  const make = {
    slack: () => withVariant(slackCase(targets)),
    teams: () => withVariant(teamsCase(targets)),
    ingest: () => withVariant(ingestCase()),
  };
  const cases = sizes.flatMap(([entry, size], i) =>
    fc.sample(make[entry](), { seed: seed + i, numRuns: size }),
  );
  // interleaved, so the three entry points are fuzzed at the same time
  const order = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), {
    seed: seed + 3,
    numRuns: cases.length,
  });
  return cases
    .map((c, i) => [order[i]!, c] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, c]) => c);
}
