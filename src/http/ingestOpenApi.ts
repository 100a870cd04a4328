// The OpenAPI 3.1 document of the ingest API, served at GET /api/openapi.json (README "Ingest
// API"). Request bodies come from the zod schemas the routes parse with, answers from
// ingestAnswerSchemas.ts, both through z.toJSONSchema (draft 2020-12, OpenAPI 3.1's dialect).
// Input-side schemas: what a sender may write (amounts as string or number, before trimming).
import { z } from 'zod';
import { JsonEventBatchSchema, JsonEventSchema } from '../subscriptions/jsonEventFormat.js';
import { SnapshotSchema, SnapshotSubscriptionSchema } from '../subscriptions/snapshotFormat.js';
import * as answers from './ingestAnswerSchemas.js';

export const OPENAPI_PATH = '/api/openapi.json';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', description?: string): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  return description ? { description, ...rest } : rest;
}

/** The batch and snapshot schemas take their items as unknown (each is parsed on its own, so a
 * problem names its item); the document says what an item is. */
function withItems(outer: JsonSchema, property: string, ref: string): JsonSchema {
  const properties = outer.properties as Record<string, JsonSchema>;
  return {
    ...outer,
    properties: { ...properties, [property]: { ...properties[property], items: { $ref: ref } } },
  };
}

const ref = (name: string) => `#/components/schemas/${name}`;
const json = (name: string) => ({ 'application/json': { schema: { $ref: ref(name) } } });
const oneOf = (...names: string[]) => ({
  'application/json': { schema: { oneOf: names.map((n) => ({ $ref: ref(n) })) } },
});

export interface IngestOpenApiOptions {
  /** the body limit the routes enforce (IngestDeps.bodyLimit) */
  bodyLimit: string;
}

export function ingestOpenApiDocument(options: IngestOpenApiOptions): Record<string, unknown> {
  const batch = jsonSchema(JsonEventBatchSchema, 'input', 'A batch of events, stored whole or not at all.');
  const batchEvents = (batch.properties as Record<string, JsonSchema>).events!;
  const schemas: Record<string, JsonSchema> = {
    JsonEvent: jsonSchema(
      JsonEventSchema,
      'input',
      'One change of one subscription. Each kind carries its own before/after values and no others; ' +
        'date is a calendar date YYYY-MM-DD, at most INGEST_MAX_FUTURE_DAYS after today (README "JSON import format").',
    ),
    EventBatch: withItems(batch, 'events', ref('JsonEvent')),
    EventList: {
      ...batchEvents,
      items: { $ref: ref('JsonEvent') },
      description: 'The events alone, source "default".',
    },
    SnapshotSubscription: jsonSchema(SnapshotSubscriptionSchema, 'input'),
    Snapshot: withItems(
      jsonSchema(
        SnapshotSchema,
        'input',
        'Every subscription of the partner as of date (README "Snapshot format"); one absent is cancelled.',
      ),
      'subscriptions',
      ref('SnapshotSubscription'),
    ),
    EventsStored: jsonSchema(answers.EventsStoredSchema, 'output'),
    SnapshotApplied: jsonSchema(answers.SnapshotAppliedSchema, 'output'),
    InvalidItems: jsonSchema(answers.InvalidItemsSchema, 'output', 'Items refused; nothing was stored.'),
    BodyUnreadable: jsonSchema(answers.BodyUnreadableSchema, 'output', 'The body is not JSON, or cut short.'),
    Unauthorized: jsonSchema(answers.UnauthorizedSchema, 'output'),
    IngestDisabled: jsonSchema(answers.IngestDisabledSchema, 'output', 'INGEST_API_KEY is not set.'),
    EventIdConflict: jsonSchema(answers.EventIdConflictSchema, 'output'),
    SnapshotOutOfOrder: jsonSchema(answers.SnapshotOutOfOrderSchema, 'output'),
    SnapshotMassCancel: jsonSchema(answers.SnapshotMassCancelSchema, 'output'),
    PayloadTooLarge: jsonSchema(answers.PayloadTooLargeSchema, 'output'),
    UnsupportedBody: jsonSchema(answers.UnsupportedBodySchema, 'output'),
    Internal: jsonSchema(answers.InternalSchema, 'output'),
  };

  const refusals = {
    '400': {
      description: 'The body is not JSON, or an item (or the body) is invalid; nothing stored.',
      content: oneOf('InvalidItems', 'BodyUnreadable'),
    },
    '401': {
      description: 'Missing or wrong key.',
      headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Bearer realm="ingest"' } } },
      content: json('Unauthorized'),
    },
    '404': {
      description: 'The ingest API is off: INGEST_API_KEY is not set.',
      content: json('IngestDisabled'),
    },
    '413': {
      description: `The body is larger than ${options.bodyLimit}: split the batch.`,
      content: json('PayloadTooLarge'),
    },
    '415': {
      description: 'The body is in a charset other than UTF-8, or in a Content-Encoding the bot cannot read.',
      content: json('UnsupportedBody'),
    },
    '500': {
      description: 'The bot failed (its database, most likely); logged, no details.',
      content: json('Internal'),
    },
  };
  const security = [{ ingestKey: [] }];

  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'autotask-bot ingest API',
      version: '1.0.0',
      description:
        'The source side pushes subscription history: events, or snapshots the bot diffs. ' +
        'Off (404) until INGEST_API_KEY is set; this document is served either way. ' +
        'Every refusal is a coded problem { error, code, message, hint }; error repeats code. ' +
        'No rate limit applies (no 429). README "Ingest API".',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: {
      '/api/ingest/events': {
        post: {
          operationId: 'ingestEvents',
          summary: 'Store a batch of subscription events',
          security,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [{ $ref: ref('EventBatch') }, { $ref: ref('EventList') }] },
              },
            },
          },
          responses: {
            '200': { description: 'Stored (or nothing new to store).', content: json('EventsStored') },
            ...refusals,
            '409': {
              description:
                'An event id was stored, or appears earlier in the batch, with other values; nothing stored.',
              content: json('EventIdConflict'),
            },
          },
        },
      },
      '/api/ingest/snapshot': {
        post: {
          operationId: 'ingestSnapshot',
          summary: 'Apply a snapshot of every subscription',
          security,
          requestBody: { required: true, content: json('Snapshot') },
          responses: {
            '200': {
              description: 'Applied (or the same snapshot again: nothing new).',
              content: json('SnapshotApplied'),
            },
            ...refusals,
            '409': {
              description:
                'Older than the last snapshot applied, or it would cancel more than INGEST_MASS_CANCEL_SHARE of the live subscriptions (resend with "allowMassCancel": true if that is right).',
              content: oneOf('SnapshotOutOfOrder', 'SnapshotMassCancel'),
            },
          },
        },
      },
      [OPENAPI_PATH]: {
        get: {
          operationId: 'ingestOpenApi',
          summary: 'This document',
          security: [],
          responses: {
            '200': {
              description: 'The OpenAPI 3.1 document of the ingest API.',
              content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } },
            },
          },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        ingestKey: { type: 'http', scheme: 'bearer', description: "The bot's INGEST_API_KEY." },
      },
    },
  };
}
