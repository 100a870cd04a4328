// POST /api/ingest/events and POST /api/ingest/snapshot: the source side's push API.
// Bearer INGEST_API_KEY (compared in constant time); off — 404 saying how to turn it on — when
// the key is unset. Bodies are parsed here only (Slack needs raw bodies elsewhere), after the
// key is checked, with a size limit. Every answer is short JSON; a refusal is a coded problem
// { error, code, message, hint } (error = code, as first published) and stores nothing.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';
import { noMetrics, type Metrics } from '../observability/metrics.js';
import type { Actor } from '../audit/actor.js';
import { applySnapshot } from '../subscriptions/applySnapshot.js';
import type { ItemProblem } from '../subscriptions/incomingEvent.js';
import {
  DEFAULT_INGEST_LIMITS,
  latestAcceptedDate,
  type IngestLimits,
} from '../subscriptions/ingestLimits.js';
import { JsonEventBatchSchema, parseJsonEvents } from '../subscriptions/jsonEventFormat.js';
import { storeIncomingEvents } from '../subscriptions/storeIncomingEvents.js';
import { OPENAPI_PATH, ingestOpenApiDocument } from './ingestOpenApi.js';

export interface IngestDeps {
  prisma: PrismaClient;
  logger: Logger;
  /** unset = the ingest API is off */
  apiKey: string | undefined;
  /** express/body-parser size, e.g. "1mb" */
  bodyLimit?: string;
  /** INGEST_MAX_FUTURE_DAYS, INGEST_MASS_CANCEL_SHARE (default DEFAULT_INGEST_LIMITS) */
  limits?: IngestLimits;
  /** the clock "today" is read from (tests) */
  now?: () => Date;
  /** where accepted and refused rows are counted (GET /metrics) */
  metrics?: Pick<Metrics, 'importRows'>;
}

const INGEST_ACTOR: Actor = { id: 'system:ingest', name: 'ingest API' };
const digest = (value: string) => createHash('sha256').update(value).digest();

/** Equal-length digests, so neither the key's content nor its length leaks through timing. */
export function keyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** What to do about a snapshot refused whole because it conflicts with those applied before (409). */
const SNAPSHOT_CONFLICT_HINTS = {
  SNAPSHOT_OUT_OF_ORDER:
    'Send snapshots in date order; a snapshot older than the last one applied cannot be applied.',
  SNAPSHOT_MASS_CANCEL:
    'If the source really cancelled them, send the snapshot again with "allowMassCancel": true (recorded in the audit log). If the snapshot is empty or cut short, send the whole one.',
} as const;

function problem(
  res: Response,
  status: number,
  code: string,
  message: string,
  hint: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(status).json({ error: code, code, message, hint, ...extra });
}

const itemList = (problems: ItemProblem[]) =>
  problems.map((p) => ({
    item: p.item,
    ...(p.id !== undefined ? { id: p.id } : {}),
    field: p.column,
    message: p.reason,
  }));

function itemErrors(res: Response, problems: ItemProblem[], what: string): void {
  problem(
    res,
    400,
    'INVALID_ITEMS',
    `${new Set(problems.map((p) => p.item)).size} ${what} refused; nothing was stored. Fix them and send the whole batch again.`,
    'Each entry of "items" names the item (numbered from 1; 0 = the body), its id when it has one, the field and what is wrong.',
    { items: itemList(problems) },
  );
}

function eventIdConflicts(res: Response, conflicts: ItemProblem[]): void {
  const ids = [...new Set(conflicts.map((c) => c.id!))];
  problem(
    res,
    409,
    'EVENT_ID_CONFLICT',
    `${ids.length} event id(s) were sent before with other values: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}. Nothing of this batch was stored.`,
    'An event id names one change for good: give a new change a new id, or send the stored values again. "items" lists what differs.',
    { ids, items: itemList(conflicts) },
  );
}

/** the rows a refusal names (item 0 is the body itself, not a row) */
const refusedRows = (problems: ItemProblem[]) =>
  new Set(problems.filter((p) => p.item > 0).map((p) => p.item)).size;

export function mountIngestRoutes(app: Express, deps: IngestDeps): void {
  const metrics = deps.metrics ?? noMetrics;
  const rows = (
    channel: 'ingest_events' | 'ingest_snapshot',
    accepted: number,
    refused: ItemProblem[] = [],
  ) => {
    metrics.importRows(channel, 'accepted', accepted);
    metrics.importRows(channel, 'refused', refusedRows(refused));
  };
  const limit = deps.bodyLimit ?? '1mb';
  const limits = deps.limits ?? DEFAULT_INGEST_LIMITS;
  const now = deps.now ?? (() => new Date());
  const router = express.Router();
  // public and secret-free, so served while the API is off too: clients can be built first
  const openApi = ingestOpenApiDocument({ bodyLimit: limit });
  app.get(OPENAPI_PATH, (_req, res) => void res.json(openApi));

  if (!deps.apiKey) {
    router.use((_req, res) => {
      problem(
        res,
        404,
        'INGEST_DISABLED',
        'The ingest API is off. Set INGEST_API_KEY (at least 16 characters) and restart the bot to enable it.',
        'See README "Ingest API".',
      );
    });
    app.use('/api/ingest', router);
    return;
  }
  const apiKey = deps.apiKey;

  router.use((req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match || !keyMatches(match[1]!, apiKey)) {
      res.set('WWW-Authenticate', 'Bearer realm="ingest"');
      problem(
        res,
        401,
        'UNAUTHORIZED',
        'Send the ingest API key as "Authorization: Bearer <INGEST_API_KEY>".',
        "The key is the bot's INGEST_API_KEY; ask whoever runs the bot for it.",
      );
      return;
    }
    next();
  });
  // any content type: clients that forget the header still get their JSON read (or a 400)
  router.use(express.json({ limit, type: () => true, strict: false }));

  router.post('/events', async (req, res, next) => {
    try {
      const batch = JsonEventBatchSchema.safeParse(Array.isArray(req.body) ? { events: req.body } : req.body);
      if (!batch.success) {
        itemErrors(
          res,
          batch.error.issues.map((i) => ({
            item: 0,
            column: i.path.join('.') || '(body)',
            reason: i.message,
          })),
          'request body',
        );
        return;
      }
      const parsed = parseJsonEvents(batch.data.events, latestAcceptedDate(limits.maxFutureDays, now()));
      if (parsed.problems.length > 0) {
        rows('ingest_events', 0, parsed.problems);
        return itemErrors(res, parsed.problems, 'event(s)');
      }
      const result = await storeIncomingEvents(
        deps.prisma,
        { items: batch.data.events.length, ...parsed },
        {
          actor: INGEST_ACTOR,
          channel: 'ingest',
          sourceSystem: batch.data.source ?? 'default',
          format: 'json',
        },
      );
      if (result.conflicts.length > 0) {
        rows('ingest_events', 0, result.conflicts);
        return eventIdConflicts(res, result.conflicts);
      }
      if (result.refused.length > 0) {
        rows('ingest_events', 0, result.refused);
        return itemErrors(res, result.refused, 'event(s)');
      }
      rows('ingest_events', result.items);
      res.status(200).json({
        events: result.items,
        stored: result.eventsNew,
        alreadyStored: result.eventsAlreadyStored,
        customersCreated: result.customersCreated,
        subscriptionsCreated: result.subscriptionsCreated,
      });
    } catch (error) {
      next(error);
    }
  });

  router.post('/snapshot', async (req, res, next) => {
    try {
      const outcome = await applySnapshot(deps.prisma, req.body, {
        actor: INGEST_ACTOR,
        channel: 'ingest:snapshot',
        limits,
        now: now(),
      });
      if (!outcome.ok) {
        if (outcome.code === 'SNAPSHOT_INVALID' || outcome.code === 'SNAPSHOT_REFUSED') {
          rows('ingest_snapshot', 0, outcome.problems);
          return itemErrors(res, outcome.problems, 'subscription(s)');
        }
        return problem(
          res,
          409,
          outcome.code,
          outcome.message,
          SNAPSHOT_CONFLICT_HINTS[outcome.code],
          outcome.code === 'SNAPSHOT_MASS_CANCEL'
            ? {
                cancelling: outcome.cancelling,
                live: outcome.live,
                share: outcome.share,
                limit: outcome.limit,
              }
            : {},
        );
      }
      rows('ingest_snapshot', outcome.subscriptions);
      res.status(200).json({
        snapshotId: outcome.snapshotId,
        date: outcome.date,
        subscriptions: outcome.subscriptions,
        stored: outcome.eventsNew,
        alreadyStored: outcome.eventsAlreadyStored,
        customersCreated: outcome.customersCreated,
        subscriptionsCreated: outcome.subscriptionsCreated,
        cancelled: outcome.cancelled,
      });
    } catch (error) {
      next(error);
    }
  });

  router.use((_req, res) => {
    problem(
      res,
      404,
      'NOT_FOUND',
      'The ingest API has POST /api/ingest/events and POST /api/ingest/snapshot.',
      'See README "Ingest API".',
    );
  });

  // Body errors answered here, in the ingest API's own words.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = error as { status?: number; type?: string };
    if (e.status === 413 || e.type === 'entity.too.large') {
      return problem(
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `The body is larger than ${limit}. Split the batch into smaller ones.`,
        'Each batch is stored on its own; send several.',
      );
    }
    if (e.type === 'entity.parse.failed') {
      return problem(
        res,
        400,
        'MALFORMED_JSON',
        'The body is not valid JSON.',
        'Send one JSON document, UTF-8 encoded.',
      );
    }
    if (e.status !== undefined && e.status >= 400 && e.status < 500) {
      return problem(
        res,
        e.status,
        'BAD_REQUEST',
        'The request body could not be read.',
        'Send one JSON document, UTF-8 encoded, with a correct Content-Length.',
      );
    }
    next(error); // finishHttpApp logs it and answers 500 without details
  });

  app.use('/api/ingest', router);
}
