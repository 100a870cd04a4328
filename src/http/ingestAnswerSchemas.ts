// What /api/ingest/* answers, as zod schemas: the OpenAPI document (ingestOpenApi.ts) is generated
// from them, and test/integration/http/ingestOpenApi.test.ts holds real answers against it. The
// routes build these objects in ingestRoutes.ts; a change there belongs here too.
import { z } from 'zod';

const count = z.number().int().min(0);

export const EventsStoredSchema = z.strictObject({
  events: count.describe('events in the batch'),
  stored: count.describe('events stored by this request'),
  alreadyStored: count.describe('events stored before (sent again): not stored twice'),
  customersCreated: count,
  subscriptionsCreated: count,
});

export const SnapshotAppliedSchema = z.strictObject({
  snapshotId: z.string().min(1),
  date: z.string().describe('the snapshot date, YYYY-MM-DD'),
  subscriptions: count.describe('subscriptions in the snapshot'),
  stored: count.describe('events derived and stored by this request'),
  alreadyStored: count,
  customersCreated: count,
  subscriptionsCreated: count,
  cancelled: count.describe('live subscriptions this snapshot cancelled'),
});

/** A coded problem; `error` repeats `code`, as first published. */
function problem<const C extends readonly [string, ...string[]]>(codes: C, extra: z.ZodRawShape = {}) {
  return z.strictObject({
    error: z.enum(codes),
    code: z.enum(codes),
    message: z.string().min(1),
    hint: z.string().min(1),
    // the HTTP server adds the request's id to every error answer
    requestId: z.string().min(1).optional().describe('the X-Request-Id of this request, as logged'),
    ...extra,
  });
}

const ItemProblemSchema = z.strictObject({
  item: count.describe('the item, numbered from 1; 0 = the body'),
  id: z.string().optional().describe('its event or subscription id, when it has a readable one'),
  field: z.string(),
  message: z.string(),
});

export const InvalidItemsSchema = problem(['INVALID_ITEMS'], { items: z.array(ItemProblemSchema).min(1) });
export const BodyUnreadableSchema = problem(['MALFORMED_JSON', 'BAD_REQUEST']);
export const UnauthorizedSchema = problem(['UNAUTHORIZED']);
export const IngestDisabledSchema = problem(['INGEST_DISABLED']);
export const EventIdConflictSchema = problem(['EVENT_ID_CONFLICT'], {
  ids: z.array(z.string()).min(1),
  items: z.array(ItemProblemSchema).min(1),
});
export const SnapshotOutOfOrderSchema = problem(['SNAPSHOT_OUT_OF_ORDER']);
export const SnapshotMassCancelSchema = problem(['SNAPSHOT_MASS_CANCEL'], {
  cancelling: count.describe('live subscriptions the snapshot would cancel'),
  live: count.describe('live subscriptions now'),
  share: z.number().min(0).max(1),
  limit: z.number().min(0).max(1).describe('INGEST_MASS_CANCEL_SHARE'),
});
export const PayloadTooLargeSchema = problem(['PAYLOAD_TOO_LARGE']);
/** body-parser's 415 (a charset other than UTF-8, an unknown Content-Encoding), coded BAD_REQUEST */
export const UnsupportedBodySchema = problem(['BAD_REQUEST']);
export const InternalSchema = problem(['INTERNAL']);
