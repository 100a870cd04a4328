// GET /api/openapi.json over real HTTP, and every answer the ingest routes really give — good and
// bad requests against a real PostgreSQL — held against the schema the document declares for
// that operation and status.
import pino from 'pino';
import type { PrismaClient } from '../../../src/db/prismaClient.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../../src/http/httpServer.js';
import { ingestOpenApiDocument } from '../../../src/http/ingestOpenApi.js';
import { mountIngestRoutes } from '../../../src/http/ingestRoutes.js';
import { schemaViolations } from '../../helpers/jsonSchemaCheck.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

type Json = Record<string, unknown>;
const KEY = 'openapi-key-0123456789abcdef';
const logger = pino({ level: 'silent' });
let db: TestDatabase;
let snapshotDb: TestDatabase;
let on: HttpServerHandle;
let snapshotOn: HttpServerHandle;
let off: HttpServerHandle;
let broken: HttpServerHandle;
let doc: Json;

async function serve(prisma: PrismaClient, apiKey: string | undefined) {
  const app = createHttpApp({ logger, health: [] });
  mountIngestRoutes(app, { prisma, logger, apiKey });
  finishHttpApp(app, logger);
  return listen(app, 0, '127.0.0.1');
}

beforeAll(async () => {
  // snapshots cancel every subscription they leave out: they get a database of their own
  [db, snapshotDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  on = await serve(db.prisma, KEY);
  snapshotOn = await serve(snapshotDb.prisma, KEY);
  off = await serve(db.prisma, undefined);
  // a database that fails every call: what the routes answer when the bot itself fails
  const failing = new Proxy({} as PrismaClient, {
    get: () => {
      throw new Error('database unreachable');
    },
  });
  broken = await serve(failing, KEY);
  doc = (await (await fetch(`${on.url}/api/openapi.json`)).json()) as Json;
});
afterAll(async () => {
  await Promise.all([on.close(100), snapshotOn.close(100), off.close(100), broken.close(100)]);
  await Promise.all([db.drop(), snapshotDb.drop()]);
});

const OPERATIONS = { events: '/api/ingest/events', snapshot: '/api/ingest/snapshot' } as const;
type Operation = keyof typeof OPERATIONS;

function operation(op: Operation): Json {
  return ((doc.paths as Json)[OPERATIONS[op]] as Json).post as Json;
}

function post(
  op: Operation,
  body: unknown,
  options: { base?: string; headers?: Record<string, string>; raw?: boolean } = {},
) {
  return fetch(`${options.base ?? (op === 'events' ? on : snapshotOn).url}${OPERATIONS[op]}`, {
    method: 'POST',
    body: options.raw ? (body as string) : JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...options.headers },
  });
}

/** The real answer, held against the schema the document declares for its status. */
async function checkAnswer(op: Operation, res: Response): Promise<{ status: number; body: Json }> {
  const declared = (operation(op).responses as Record<string, Json>)[String(res.status)];
  if (!declared)
    throw new Error(`${OPERATIONS[op]} answered ${res.status}, which the document does not declare`);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  for (const [name, header] of Object.entries((declared.headers ?? {}) as Record<string, { schema: Json }>))
    expect(schemaViolations(header.schema, res.headers.get(name), doc)).toEqual([]);
  const schema = ((declared.content as Json)['application/json'] as Json).schema as Json;
  const body = (await res.json()) as Json;
  expect(schemaViolations(schema, body, doc)).toEqual([]);
  return { status: res.status, body };
}

const event = (id: string, over: Json = {}) => ({
  eventId: `${id}-created`,
  customer: { name: 'Acme Corp', externalId: 'tenant-openapi' },
  subscription: {
    id,
    product: 'Microsoft 365 E3',
    billingCycle: 'monthly',
    billingType: 'quantity',
    currency: 'USD',
  },
  date: '2025-01-01',
  kind: 'created',
  quantityAfter: 10,
  priceAfter: '36.00',
  ...over,
});
const subscription = (id: string, over: Json = {}) => ({
  id,
  customer: { name: 'Snapshot Corp', externalId: 'tenant-snapshot' },
  product: 'Microsoft 365 E5',
  billingCycle: 'monthly',
  billingType: 'quantity',
  status: 'active',
  quantity: 5,
  unitPrice: '57.00',
  currency: 'USD',
  ...over,
});
const snapshot = (date: string, subscriptions: unknown[]) => ({
  date,
  source: 'openapi-test',
  subscriptions,
});
const july = snapshot('2025-07-01', [subscription('snap-1'), subscription('snap-2')]);
const big = (op: Operation) =>
  op === 'events'
    ? { events: [event('big', { pad: 'x'.repeat(2 * 1024 * 1024) })] }
    : snapshot('2025-07-01', [subscription('big', { pad: 'x'.repeat(2 * 1024 * 1024) })]);

interface Case {
  op: Operation;
  name: string;
  status: number;
  code?: string;
  send: () => Promise<Response>;
}

const common = (op: Operation): Case[] => [
  {
    op,
    name: 'malformed JSON',
    status: 400,
    code: 'MALFORMED_JSON',
    send: () => post(op, '{"a": [', { raw: true }),
  },
  {
    op,
    name: 'no Authorization header',
    status: 401,
    code: 'UNAUTHORIZED',
    send: () => post(op, {}, { headers: { authorization: '' } }),
  },
  {
    op,
    name: 'the API off',
    status: 404,
    code: 'INGEST_DISABLED',
    send: () => post(op, {}, { base: off.url }),
  },
  { op, name: 'a 2 MB body', status: 413, code: 'PAYLOAD_TOO_LARGE', send: () => post(op, big(op)) },
  {
    op,
    name: 'a Latin-1 body',
    status: 415,
    code: 'BAD_REQUEST',
    send: () => post(op, {}, { headers: { 'content-type': 'application/json; charset=latin1' } }),
  },
  {
    op,
    name: 'a failing database',
    status: 500,
    code: 'INTERNAL',
    send: () =>
      post(op, op === 'events' ? { events: [event('down')] } : july, {
        base: broken.url,
      }),
  },
];

const CASES: Case[] = [
  {
    op: 'events',
    name: 'a batch',
    status: 200,
    send: () => post('events', { source: 'c3', events: [event('a')] }),
  },
  { op: 'events', name: 'a bare list of events', status: 200, send: () => post('events', [event('b')]) },
  {
    op: 'events',
    name: 'an invalid event',
    status: 400,
    code: 'INVALID_ITEMS',
    send: () => post('events', { events: [event('c'), event('d', { quantityAfter: -3 })] }),
  },
  {
    op: 'events',
    name: 'an empty batch',
    status: 400,
    code: 'INVALID_ITEMS',
    send: () => post('events', { events: [] }),
  },
  {
    op: 'events',
    name: 'an event id sent before with other values',
    status: 409,
    code: 'EVENT_ID_CONFLICT',
    send: async () => {
      await post('events', { source: 'c3', events: [event('e')] });
      return post('events', { source: 'c3', events: [event('e', { quantityAfter: 11 })] });
    },
  },
  ...common('events'),
  { op: 'snapshot', name: 'a snapshot', status: 200, send: () => post('snapshot', july) },
  {
    op: 'snapshot',
    name: 'an invalid subscription',
    status: 400,
    code: 'INVALID_ITEMS',
    send: () => post('snapshot', snapshot('2025-07-01', [subscription('snap-x', { quantity: 'many' })])),
  },
  {
    op: 'snapshot',
    name: 'a snapshot older than the last applied',
    status: 409,
    code: 'SNAPSHOT_OUT_OF_ORDER',
    send: async () => {
      await post('snapshot', july);
      return post('snapshot', snapshot('2025-06-01', july.subscriptions));
    },
  },
  {
    op: 'snapshot',
    name: 'a snapshot cancelling every subscription',
    status: 409,
    code: 'SNAPSHOT_MASS_CANCEL',
    send: async () => {
      await post('snapshot', july);
      return post('snapshot', snapshot('2025-07-02', []));
    },
  },
  ...common('snapshot'),
];

describe('GET /api/openapi.json', () => {
  it('is a structurally valid OpenAPI 3.1 document, the same whether the ingest API is on or off', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(doc.paths as Json).sort()).toEqual([
      '/api/ingest/events',
      '/api/ingest/snapshot',
      '/api/openapi.json',
    ]);
    const components = doc.components as { schemas: Json; securitySchemes: Json };
    expect(components.securitySchemes).toEqual({
      ingestKey: { type: 'http', scheme: 'bearer', description: expect.any(String) },
    });
    const operationIds: string[] = [];
    for (const item of Object.values(doc.paths as Record<string, Json>)) {
      for (const op of Object.values(item) as Json[]) {
        operationIds.push(op.operationId as string);
        for (const requirement of (op.security ?? []) as Json[])
          for (const scheme of Object.keys(requirement))
            expect(components.securitySchemes).toHaveProperty(scheme);
        for (const [status, answer] of Object.entries(op.responses as Record<string, Json>)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(answer.description).toEqual(expect.any(String));
          expect(((answer.content as Json)['application/json'] as Json).schema).toBeDefined();
        }
      }
    }
    expect(new Set(operationIds).size).toBe(3);
    expect(operation('events').security).toEqual([{ ingestKey: [] }]);
    expect(operation('snapshot').security).toEqual([{ ingestKey: [] }]);

    // every $ref points at something that exists
    const refs: string[] = [];
    JSON.stringify(doc, (key, value: unknown) => {
      if (key === '$ref') refs.push(value as string);
      return value;
    });
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z]+$/);
      expect(components.schemas).toHaveProperty(ref.split('/').pop()!);
    }

    const whileOff = await fetch(`${off.url}/api/openapi.json`);
    expect(whileOff.status).toBe(200);
    expect(await whileOff.json()).toEqual(doc);
    expect(doc).toEqual(JSON.parse(JSON.stringify(ingestOpenApiDocument({ bodyLimit: '1mb' }))));
  });

  it('fits its own declared 200 schema and needs no key', async () => {
    const res = await fetch(`${on.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const paths = doc.paths as Record<string, { get: Json }>;
    const schema = (
      ((paths['/api/openapi.json']!.get.responses as Record<string, Json>)['200']!.content as Json)[
        'application/json'
      ] as Json
    ).schema as Json;
    expect(schemaViolations(schema, await res.json(), doc)).toEqual([]);
  });

  it('declares request bodies that the requests the routes accept fit, and the refused ones do not', () => {
    const bodySchema = (op: Operation) =>
      (((operation(op).requestBody as Json).content as Json)['application/json'] as Json).schema as Json;
    expect(schemaViolations(bodySchema('events'), { source: 'c3', events: [event('a')] }, doc)).toEqual([]);
    expect(schemaViolations(bodySchema('events'), [event('b')], doc)).toEqual([]);
    expect(schemaViolations(bodySchema('snapshot'), july, doc)).toEqual([]);
    expect(schemaViolations(bodySchema('events'), { events: [] }, doc)).not.toEqual([]);
    expect(schemaViolations(bodySchema('events'), { events: [event('x', { extra: 1 })] }, doc)).not.toEqual(
      [],
    );
    expect(
      schemaViolations(
        bodySchema('snapshot'),
        snapshot('2025-07-01', [subscription('y', { status: 'gone' })]),
        doc,
      ),
    ).not.toEqual([]);
  });
});

describe('every real answer of the ingest API fits the document', () => {
  it.each(CASES.map((c) => [`${c.op}: ${c.name} → ${c.status}`, c] as const))('%s', async (_name, c) => {
    const { status, body } = await checkAnswer(c.op, await c.send());
    expect(status).toBe(c.status);
    if (c.code) expect(body.code).toBe(c.code);
  });

  it('exercises every status the document declares for each operation, and the document declares no 429', () => {
    for (const op of Object.keys(OPERATIONS) as Operation[]) {
      const declared = Object.keys(operation(op).responses as Json).sort();
      const exercised = [...new Set(CASES.filter((c) => c.op === op).map((c) => String(c.status)))].sort();
      expect(exercised).toEqual(declared);
      expect(declared).not.toContain('429');
    }
  });

  it('would refuse answers that drift from the document: a missing field, a wrong type, an extra field', async () => {
    const { body } = await checkAnswer(
      'events',
      await post('events', { source: 'c3', events: [event('a')] }),
    );
    const schema = (
      ((operation('events').responses as Record<string, Json>)['200']!.content as Json)[
        'application/json'
      ] as Json
    ).schema as Json;
    const { stored: _stored, ...missing } = body;
    expect(schemaViolations(schema, missing, doc)).toEqual(['$: lacks required "stored"']);
    expect(schemaViolations(schema, { ...body, stored: '1' }, doc)).toEqual([
      '$.stored: is string, not integer',
    ]);
    expect(schemaViolations(schema, { ...body, extra: true }, doc)).toEqual([
      '$: has "extra", which is not allowed',
    ]);
    const problem = (
      ((operation('events').responses as Record<string, Json>)['400']!.content as Json)[
        'application/json'
      ] as Json
    ).schema as Json;
    expect(
      schemaViolations(
        problem,
        { error: 'INVALID_ITEMS', code: 'INVALID_ITEMS', message: 'm', hint: 'h' },
        doc,
      ),
    ).not.toEqual([]); // INVALID_ITEMS without its items
  });
});
