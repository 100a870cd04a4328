// The playground adapter: a chat platform whose "client" is a web page. Typed text and clicks go
// to the same ChatRouter as Slack and Teams (roles, four-eyes, audit); every answer comes back as
// the card model and as what the real Slack and Teams renderers make of it, so the page shows
// exactly what those platforms would get. Clicks are read the way the adapters read them: a
// Block Kit action through commandOfAction, an Adaptive Card submit through commandOfSubmit.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Card, ChatReply } from '../chat/cardModel.js';
import type { ChatNotifier } from '../chat/chatNotifier.js';
import type { ChatRouter } from '../chat/chatRouter.js';
import type { ChatServices, RunSummary } from '../chat/chatServices.js';
import { serviceChoiceLabel } from '../chat/serviceChoiceLabel.js';
import { tokenizeCommand } from '../chat/commandTokenizer.js';
import { IdentitySchema, type Identity } from '../chat/identity.js';
import { roleCovers } from '../chat/roles.js';
import type { RoleStore } from '../chat/roleStore.js';
import { ActionRefStore } from '../chat/slack/actionRefStore.js';
import { commandOfAction, renderCardsAsBlocks, selectCommandPrefix } from '../chat/slack/blockKitRenderer.js';
import { commandOfSubmit, renderAdaptiveCard } from '../chat/teams/adaptiveCardRenderer.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { DEMO_PEOPLE } from '../demo/demoMode.js';
import type { Logger } from '../observability/logger.js';
import { identityOfToken, isLoopbackAddress, type PlaygroundAccess } from './playgroundAccess.js';
import type { PlaygroundFeed } from './playgroundFeed.js';
import { sameOriginOnly } from './playgroundOrigin.js';
import { CALENDAR_DATE_PATTERN, utcDateOf } from '../core/calendarDate.js';

export const PLAYGROUND_PATH = '/playground';
/** how the page writes commands (the router strips it when pasted) */
const PREFIX = '/autotask ';
const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const STATIC_FILES: Record<string, string> = {
  'playground.js': 'text/javascript; charset=utf-8',
  'blockKitHtml.js': 'text/javascript; charset=utf-8',
  'playground.css': 'text/css; charset=utf-8',
};

/**
 * Autotask refuses every write with a 429 asking to wait an hour — longer than the client waits,
 * so the upload gives up at once and the failure notification follows within seconds.
 */
export const FAILING_WRITES = {
  rate: 1,
  kinds: ['429' as const],
  retryAfterSeconds: 3600,
  endpoints: ['POST Contracts/Services', 'POST Contracts/ServiceAdjustments'],
};

/** The dials of the built-in Autotask sandbox the playground turns (handed over by the composition root). */
export interface PlaygroundSandbox {
  controls: {
    setFaults(settings: typeof FAILING_WRITES): void;
    clearFaults(): void;
    postPeriodsThrough(date: string): void;
    setLatency(ms: number): void;
  };
}

export interface PlaygroundDependencies {
  access: Extract<PlaygroundAccess, { on: true }>;
  /** PUBLIC_URL's origin: with loopback names, the only Host and Origin answered */
  publicUrl: string | undefined;
  prisma: PrismaClient;
  router: ChatRouter;
  roles: RoleStore;
  services: ChatServices;
  feed: PlaygroundFeed;
  logger: Logger;
  /** the in-process Autotask sandbox, for its fault controls (demo only) */
  sandbox?: PlaygroundSandbox;
  /** Slack and Teams, when running: they post approval requests made here to their channels */
  otherChats?: ChatNotifier;
  runSummary: (runId: string) => Promise<RunSummary | null>;
}

const AsSchema = z.object({ as: z.string().max(120).optional() });
const CommandBodySchema = AsSchema.extend({ text: z.string().max(4_000) });
const ActionBodySchema = AsSchema.extend({
  slack: z
    .object({
      type: z.string().max(40),
      value: z.string().max(2_000).optional(),
      block_id: z.string().max(300).optional(),
      selected_option: z
        .object({ value: z.string().max(2_000) })
        .nullable()
        .optional(),
    })
    .optional(),
  teams: z.record(z.string(), z.unknown()).optional(),
});
const OptionsBodySchema = AsSchema.extend({
  block_id: z.string().max(300),
  value: z.string().max(200).default(''),
});
const FaultsBodySchema = z.object({ failing: z.boolean() });
const PostPeriodsBodySchema = z.object({
  through: z.string().regex(CALENDAR_DATE_PATTERN).optional(),
});
const LatencyBodySchema = z.object({ ms: z.number().int().min(0).max(5_000) });

type Person =
  { ok: true; identity: Identity } | { ok: false; status: number; error: string; message: string };

export interface RenderedCards {
  model: Card[];
  slack: ReturnType<typeof renderCardsAsBlocks>;
  teams: ReturnType<typeof renderAdaptiveCard>[];
}

export function mountPlayground(app: Express, deps: PlaygroundDependencies): void {
  const { prisma, router, roles, services, feed, logger } = deps;
  const refs = new ActionRefStore(prisma);
  const log = logger.child({ component: 'playground' });

  const render = async (cards: Card[]): Promise<RenderedCards> => {
    // the page is served by the bot, so it loads chart images from the bot's own (http) address
    const slack = renderCardsAsBlocks(cards, PREFIX, { httpImages: true });
    // selects whose command does not fit a block_id point at a stored ref, as in Slack
    await refs.save(slack.refs);
    return {
      model: cards,
      slack,
      teams: cards.map((c) => renderAdaptiveCard(c, PREFIX, { httpImages: true })),
    };
  };

  /** Picking who you are: the demo, and only from this machine (playgroundAccess.ts). */
  const picksIdentity = (req: Request): boolean =>
    !deps.access.authenticated && isLoopbackAddress(req.socket.remoteAddress);

  /** The token's person, holding a chat role. */
  const tokenPerson = async (req: Request): Promise<Person> => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const identity = token ? await identityOfToken(prisma, token) : undefined;
    const parsed = IdentitySchema.safeParse(identity);
    if (!parsed.success)
      return deps.access.authenticated
        ? {
            ok: false,
            status: 401,
            error: 'PLAYGROUND_TOKEN_REQUIRED',
            message:
              'Send "Authorization: Bearer <token>"; mint one in a terminal: npx autotask-bot playground-token <your user>',
          }
        : {
            ok: false,
            status: 403,
            error: 'PLAYGROUND_LOOPBACK_ONLY',
            message: `Picking who you are works only from the bot's own machine (you connect from ${req.socket.remoteAddress ?? 'an unknown address'}). From elsewhere use a token: on the bot's machine run npx autotask-bot playground-token <your user>, then paste it into the page or send "Authorization: Bearer <token>"`,
          };
    if (!roleCovers(await roles.roleOf(parsed.data), 'viewer'))
      return {
        ok: false,
        status: 403,
        error: 'PLAYGROUND_NO_ROLE',
        message: `${parsed.data} holds no chat role; an admin grants one with: grant ${parsed.data} viewer`,
      };
    return { ok: true, identity: parsed.data };
  };

  /** The demo on this machine: any `cli:<name>` picked on the page. Otherwise: the token's person. */
  const personOf = async (req: Request, as: string | undefined): Promise<Person> => {
    if (!picksIdentity(req)) return tokenPerson(req);
    const parsed = IdentitySchema.safeParse(as);
    if (!parsed.success || !parsed.data.startsWith('cli:'))
      return {
        ok: false,
        status: 400,
        error: 'BAD_IDENTITY',
        message: 'Say who you are: "as": "cli:<name>" (letters, digits, . _ @ -), e.g. cli:alice',
      };
    return { ok: true, identity: parsed.data };
  };

  const refuse = (res: Response, p: Extract<Person, { ok: false }>) =>
    res.status(p.status).json({ error: p.error, message: p.message });
  const badBody = (res: Response, usage: string) =>
    res.status(400).json({ error: 'BAD_REQUEST', message: usage });

  const answer = async (identity: Identity, text: string, via: 'typed' | 'click') => {
    const reply: ChatReply = await router.handle({
      actor: { id: identity },
      text,
      via,
      channel: null,
      prefix: PREFIX,
    });
    // what Slack and Teams post to the notification channel goes to every running chat (the
    // playground's feed among them), so an upload asked for here reaches approvers in Slack or Teams
    await feed.publish(reply);
    const moved = reply.broadcast ?? reply.updatePosted;
    if (moved && deps.otherChats) {
      const run = await deps.runSummary(moved.runId);
      if (run)
        await (
          reply.broadcast ? deps.otherChats.approvalRequested(run) : deps.otherChats.runChanged(run)
        ).catch((error: unknown) =>
          log.error({ err: error, runId: run.runId }, 'telling the other chats failed'),
        );
    }
    return {
      command: text,
      private: reply.private,
      denied: reply.denied ?? false,
      cards: await render(reply.cards),
    };
  };

  const page = express.Router();
  page.get('/', (_req, res) => {
    res.type('html').send(fs.readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8'));
  });
  page.get('/static/:file', (req, res) => {
    const file = String(req.params.file);
    const type = STATIC_FILES[file];
    if (!type) return void res.status(404).json({ error: 'NOT_FOUND', message: 'No such file.' });
    res.type(type).send(fs.readFileSync(path.join(PUBLIC_DIR, file), 'utf8'));
  });
  // Microsoft's own renderer, the browser bundle of the package the Teams tests validate with
  page.get('/vendor/adaptivecards.js', (_req, res) => {
    try {
      const file = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
      res.type('text/javascript; charset=utf-8').send(fs.readFileSync(file, 'utf8'));
    } catch {
      res.status(404).type('text/javascript').send('/* adaptivecards is not installed */');
    }
  });

  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));

  api.get('/session', async (req, res) => {
    if (!picksIdentity(req)) {
      const person = await tokenPerson(req);
      if (!person.ok) return void refuse(res, person);
      return void res.json({
        authenticated: true,
        people: [{ identity: person.identity, role: (await roles.roleOf(person.identity)) ?? null }],
        faultControls: false,
      });
    }
    const people = await Promise.all(
      DEMO_PEOPLE.map(async (p) => ({
        identity: p.identity,
        note: p.note,
        role: (await roles.roleOf(p.identity)) ?? null,
      })),
    );
    res.json({ authenticated: false, people, faultControls: !!deps.sandbox });
  });

  api.post('/command', async (req, res) => {
    const body = CommandBodySchema.safeParse(req.body ?? {});
    if (!body.success) return void badBody(res, 'send {"as": "cli:alice", "text": "validate acme"}');
    const person = await personOf(req, body.data.as);
    if (!person.ok) return void refuse(res, person);
    res.json(await answer(person.identity, body.data.text, 'typed'));
  });

  api.post('/action', async (req, res) => {
    const body = ActionBodySchema.safeParse(req.body ?? {});
    if (!body.success || (!body.data.slack && !body.data.teams))
      return void badBody(
        res,
        'send {"as": …, "slack": <a Block Kit action>} or {"as": …, "teams": <an Adaptive Card submit data>}',
      );
    const person = await personOf(req, body.data.as);
    if (!person.ok) return void refuse(res, person);
    const command = body.data.slack
      ? await commandOfAction(body.data.slack, (key) => refs.find(key))
      : commandOfSubmit(body.data.teams);
    if (!command)
      return void res.status(400).json({
        error: 'UNKNOWN_ACTION',
        message: 'That click does not stand for a command (empty select?).',
      });
    res.json(await answer(person.identity, command, 'click'));
  });

  // the searchable service select (Slack's external_select asks its options endpoint)
  api.post('/options', async (req, res) => {
    const body = OptionsBodySchema.safeParse(req.body ?? {});
    if (!body.success) return void badBody(res, 'send {"as": …, "block_id": …, "value": "<typed text>"}');
    const person = await personOf(req, body.data.as);
    if (!person.ok) return void refuse(res, person);
    const prefix = await selectCommandPrefix(body.data.block_id, (key) => refs.find(key));
    const tokens = tokenizeCommand(prefix ?? '');
    const customerId = tokens.ok && tokens.tokens[0] === 'map' ? tokens.tokens[1] : undefined;
    if (!customerId || !roleCovers(await roles.roleOf(person.identity), 'operator'))
      return void res.json({ options: [] });
    const query = body.data.value.trim().toLowerCase();
    try {
      const choices = services.searchServices
        ? await services.searchServices({ customerId, query, limit: 100 })
        : [];
      res.json({
        options: choices.map((s) => ({ label: serviceChoiceLabel(s), value: String(s.serviceId) })),
      });
    } catch (error) {
      log.error({ err: error }, 'service search failed');
      res.json({ options: [] });
    }
  });

  api.get('/feed', async (req, res) => {
    const person = await personOf(req, typeof req.query.as === 'string' ? req.query.as : undefined);
    if (!person.ok) return void refuse(res, person);
    const after = Number(req.query.after ?? 0);
    const { seq, posts } = await feed.since(Number.isSafeInteger(after) && after >= 0 ? after : 0);
    res.json({
      seq,
      posts: await Promise.all(
        posts.map(async (p) => ({ ...p, card: undefined, cards: await render([p.card]) })),
      ),
    });
  });

  /** The demo sandbox, to people on this machine; else answers why not and gives undefined. */
  const sandboxOf = (req: Request, res: Response): PlaygroundSandbox | undefined => {
    if (!deps.sandbox || deps.access.authenticated) {
      res.status(404).json({
        error: 'NO_SANDBOX',
        message: 'Fault controls exist only with the built-in Autotask sandbox.',
      });
      return undefined;
    }
    if (!picksIdentity(req)) {
      res.status(403).json({
        error: 'PLAYGROUND_LOOPBACK_ONLY',
        message: "The sandbox controls work only from the bot's own machine (127.0.0.1 or ::1).",
      });
      return undefined;
    }
    return deps.sandbox;
  };

  // the sandbox's fault controls, so a failure notification can be made to happen on purpose
  api.post('/sandbox/faults', async (req, res) => {
    const sandbox = sandboxOf(req, res);
    if (!sandbox) return;
    const body = FaultsBodySchema.safeParse(req.body ?? {});
    if (!body.success) return void badBody(res, 'send {"failing": true} or {"failing": false}');
    if (body.data.failing) sandbox.controls.setFaults(FAILING_WRITES);
    else sandbox.controls.clearFaults();
    log.info({ failing: body.data.failing }, 'sandbox fault controls changed from the playground');
    res.json({ failing: body.data.failing });
  });

  // a business refusal at once: Autotask refuses adjustments dated in a posted billing period
  api.post('/sandbox/post-periods', async (req, res) => {
    const sandbox = sandboxOf(req, res);
    if (!sandbox) return;
    const body = PostPeriodsBodySchema.safeParse(req.body ?? {});
    if (!body.success) return void badBody(res, 'send {"through": "2026-11-30"} (or {} for today)');
    const through = body.data.through ?? utcDateOf(new Date());
    sandbox.controls.postPeriodsThrough(through);
    log.info({ through }, 'sandbox billing periods posted from the playground');
    res.json({ postedThrough: through });
  });

  // slower Autotask calls, to watch an upload's progress move
  api.post('/sandbox/latency', async (req, res) => {
    const sandbox = sandboxOf(req, res);
    if (!sandbox) return;
    const body = LatencyBodySchema.safeParse(req.body ?? {});
    if (!body.success) return void badBody(res, 'send {"ms": 0..5000}');
    sandbox.controls.setLatency(body.data.ms);
    res.json({ ms: body.data.ms });
  });

  api.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'No such playground API route.' });
  });

  // before anything else: a request addressed to another name is not the operator's (DNS rebinding)
  app.use(PLAYGROUND_PATH, sameOriginOnly(deps.publicUrl));
  app.use(`${PLAYGROUND_PATH}/api`, api);
  app.use(PLAYGROUND_PATH, page);
}
