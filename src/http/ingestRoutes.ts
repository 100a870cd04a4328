// POST /api/ingest/events and POST /api/ingest/snapshot: the source side's push API.
// Bearer INGEST_API_KEY (compared in constant time); off — 404 saying how to turn it on — when
// the key is unset. Bodies are parsed here only (Slack needs raw bodies elsewhere), after the
// key is checked, with a size limit. Every answer is short JSON; a refused batch stores nothing.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { PrismaClient } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';
import type { Actor } from '../audit/actor.js';
import { applySnapshot } from '../subscriptions/applySnapshot.js';
import type { ItemProblem } from '../subscriptions/incomingEvent.js';
import { JsonEventBatchSchema, parseJsonEvents } from '../subscriptions/jsonEventFormat.js';
import { storeIncomingEvents } from '../subscriptions/storeIncomingEvents.js';

export interface IngestDeps {
  prisma: PrismaClient;
  logger: Logger;
  /** unset = the ingest API is off */
  apiKey: string | undefined;
  /** express/body-parser size, e.g. "1mb" */
  bodyLimit?: string;
}

const INGEST_ACTOR: Actor = { id: 'system:ingest', name: 'ingest API' };
const digest = (value: string) => createHash('sha256').update(value).digest();

/** Equal-length digests, so neither the key's content nor its length leaks through timing. */
export function keyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function itemErrors(res: Response, problems: ItemProblem[], what: string): void {
  res.status(400).json({
    error: 'INVALID_ITEMS',
    message: `${new Set(problems.map((p) => p.item)).size} ${what} refused; nothing was stored. Fix them and send the whole batch again.`,
    items: problems.map((p) => ({ item: p.item, field: p.column, message: p.reason })),
  });
}

export function mountIngestRoutes(app: Express, deps: IngestDeps): void {
  const limit = deps.bodyLimit ?? '1mb';
  const router = express.Router();

  if (!deps.apiKey) {
    router.use((_req, res) => {
      res.status(404).json({
        error: 'INGEST_DISABLED',
        message:
          'The ingest API is off. Set INGEST_API_KEY (at least 16 characters) and restart the bot to enable it.',
      });
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
      res.status(401).json({
        error: 'UNAUTHORIZED',
        message: 'Send the ingest API key as "Authorization: Bearer <INGEST_API_KEY>".',
      });
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
      const parsed = parseJsonEvents(batch.data.events);
      if (parsed.problems.length > 0) return itemErrors(res, parsed.problems, 'event(s)');
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
      if (result.refused.length > 0) return itemErrors(res, result.refused, 'event(s)');
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
      });
      if (!outcome.ok) {
        if (outcome.code === 'SNAPSHOT_OUT_OF_ORDER') {
          res.status(409).json({ error: outcome.code, message: outcome.message });
          return;
        }
        return itemErrors(res, outcome.problems, 'subscription(s)');
      }
      res.status(200).json({
        snapshotId: outcome.snapshotId,
        date: outcome.date,
        subscriptions: outcome.subscriptions,
        stored: outcome.eventsNew,
        alreadyStored: outcome.eventsAlreadyStored,
        customersCreated: outcome.customersCreated,
        subscriptionsCreated: outcome.subscriptionsCreated,
      });
    } catch (error) {
      next(error);
    }
  });

  router.use((_req, res) => {
    res.status(404).json({
      error: 'NOT_FOUND',
      message: 'The ingest API has POST /api/ingest/events and POST /api/ingest/snapshot.',
    });
  });

  // Body errors answered here, in the ingest API's own words.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = error as { status?: number; type?: string };
    if (e.status === 413 || e.type === 'entity.too.large') {
      res.status(413).json({
        error: 'PAYLOAD_TOO_LARGE',
        message: `The body is larger than ${limit}. Split the batch into smaller ones.`,
      });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'MALFORMED_JSON', message: 'The body is not valid JSON.' });
      return;
    }
    if (e.status !== undefined && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'BAD_REQUEST', message: 'The request body could not be read.' });
      return;
    }
    next(error); // finishHttpApp logs it and answers 500 without details
  });

  app.use('/api/ingest', router);
}
