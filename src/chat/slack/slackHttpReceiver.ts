// A Bolt receiver that lives on the shared express server at /slack/events (Bolt's own receivers
// want their own server or body parsing). It reads the raw body, has Bolt's verifySlackRequest
// check the signature against an injectable clock, answers Slack's URL checks, and hands each
// request to Bolt with an `ack` that writes the HTTP response — so listeners ack first and work
// after.
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../observability/logger.js';
import type { InFlightWork } from '../../concurrency/inFlightWork.js';
import { KeyedSemaphore } from '../../concurrency/keyedSemaphore.js';

export const SLACK_EVENTS_PATH = '/slack/events';
const BODY_LIMIT = '1mb';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** milliseconds since the epoch; tests pin it to check a documented signature */
  nowMs?: () => number;
  /** deliveries worked on at once after their ack (default SLACK_WORK_CONCURRENCY) */
  workConcurrency?: number;
  /** counts each request from its arrival until its work is done */
  inFlight?: InFlightWork;
}

/**
 * Deliveries worked on at once after their ack. Each costs milliseconds of CPU (the delivery
 * claim, query compilation, rendering); unbounded, a burst of them delays the acks of the next
 * requests behind all that work. Bounded, acks stay fast and the rest waits its turn
 * (response_url stays valid for 30 minutes).
 */
export const SLACK_WORK_CONCURRENCY = 2;

/** Bolt refuses a timestamp too far in the past; one as far ahead is no fresher, so it goes too */
const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

/** why a request is not Slack's, or undefined when its signature holds */
function signatureRefusal(request: {
  signingSecret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): string | undefined {
  const { timestamp, signature, nowMs } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed X-Slack-Request-Timestamp';
  if (!signature) return 'missing X-Slack-Signature';
  if (Number(timestamp) - nowMs / 1000 > MAX_SIGNATURE_AGE_SECONDS) return 'timestamp is in the future';
  try {
    verifySlackRequest({
      signingSecret: request.signingSecret,
      body: request.body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: nowMs,
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** a JSON object (an events body, or a form's `payload`), else undefined */
const ObjectBodySchema = z.record(z.string(), z.unknown());

function parseBody(text: string, contentType: string | undefined): Record<string, unknown> | undefined {
  const json = (value: string) => {
    try {
      const parsed = ObjectBodySchema.safeParse(JSON.parse(value));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  if ((contentType ?? '').includes('application/json')) return json(text);
  const params = Object.fromEntries(new URLSearchParams(text));
  return typeof params.payload === 'string' ? json(params.payload) : params;
}

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  readonly router: Router;
  private readonly nowMs: () => number;
  private readonly work: KeyedSemaphore;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    // the global clock read at each request, so a test that pins Date pins signature ages too
    this.nowMs = options.nowMs ?? (() => Date.now());
    this.work = new KeyedSemaphore(options.workConcurrency ?? SLACK_WORK_CONCURRENCY);
    this.router = express.Router();
    this.router.post(SLACK_EVENTS_PATH, express.raw({ type: () => true, limit: BODY_LIMIT }), (req, res) => {
      const handle = () => this.handle(req, res);
      void (options.inFlight ? options.inFlight.track(handle) : handle());
    });
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  private async handle(req: Request, res: Response): Promise<void> {
    const { logger } = this.options;
    const text = (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)).toString('utf8');
    const refusal = signatureRefusal({
      signingSecret: this.options.signingSecret,
      body: text,
      timestamp: req.header('x-slack-request-timestamp'),
      signature: req.header('x-slack-signature'),
      nowMs: this.nowMs(),
    });
    if (refusal) {
      logger.warn({ reason: refusal }, 'slack request refused');
      res
        .status(401)
        .json({ error: 'SLACK_SIGNATURE_INVALID', message: 'The request is not signed by Slack.' });
      return;
    }
    const body = parseBody(text, req.header('content-type'));
    if (!body) {
      res.status(400).json({ error: 'BAD_REQUEST', message: 'The body could not be read.' });
      return;
    }
    if (body.ssl_check) {
      res.status(200).end();
      return;
    }
    if (body.type === 'url_verification') {
      res.status(200).json({ challenge: String(body.challenge ?? '') });
      return;
    }
    const retryNum = Number(req.header('x-slack-retry-num') ?? '') || undefined;
    let acked = false;
    // Commands and clicks are acknowledged before anything touches the database, so a busy
    // database never makes Slack wait; options lookups answer with their options instead.
    const answersWithContent = body.type === 'block_suggestion' || body.type === 'view_submission';
    if (!answersWithContent) {
      acked = true;
      res.status(200).end();
    }
    // the rest waits its turn: a burst of commands must not delay the acks of the next ones
    const release = answersWithContent ? () => undefined : await this.work.acquire('events');
    try {
      // redeliveries are recognised after authorize, by slackDeliveryGuard (Bolt middleware)
      const event: ReceiverEvent = {
        body,
        retryNum,
        retryReason: req.header('x-slack-retry-reason'),
        customProperties: {},
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          if (response === undefined || response === '') res.status(200).end();
          else if (typeof response === 'string') res.status(200).type('text/plain').send(response);
          else res.status(200).json(response);
        },
      };
      try {
        await this.app!.processEvent(event);
      } catch (error) {
        logger.error({ err: error }, 'slack request failed');
        if (!acked) {
          acked = true;
          res
            .status(200)
            .json({ response_type: 'ephemeral', text: 'Sorry — this request could not be handled here.' });
        }
        return;
      }
      if (!acked) {
        acked = true;
        res.status(200).end();
      }
    } finally {
      release();
    }
  }
}
