// The Teams bot: botbuilder's CloudAdapter on /api/messages of the shared express server. Typed
// text (the @mention removed) and card clicks become commands for the same chat router as Slack;
// replies are Adaptive Cards. Clicked approval cards are rewritten in place (progress, then the
// outcome, buttons gone); approval requests and failure notifications go to the `notify here`
// conversation through stored conversation references. Every send is throttled per conversation.
import {
  ActivityHandler,
  TeamsInfo,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type SearchInvokeResponse,
  type SearchInvokeValue,
} from 'botbuilder';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../db/prismaClient.js';
import type { Logger } from '../../observability/logger.js';
import { approvalCard } from '../approvalCard.js';
import type { Card, ChatReply } from '../cardModel.js';
import type { ChatNotifier } from '../chatNotifier.js';
import type { ChatPlatform } from '../chatPlatform.js';
import type { ChatRequest } from '../chatRouter.js';
import type { ServiceChoice } from '../chatServices.js';
import { findCommand } from '../commandTable.js';
import { tokenizeCommand } from '../commandTokenizer.js';
import { serviceChoiceLabel } from '../serviceChoiceLabel.js';
import { IdentitySchema, teamsIdentity } from '../identity.js';
import { roleCovers } from '../roles.js';
import { TEAMS_CARD_LIMITS } from './adaptiveCardLimits.js';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  commandOfSubmit,
  renderAdaptiveCard,
  SERVICES_DATASET_PREFIX,
  withoutActions,
  type AdaptiveCardJson,
} from './adaptiveCardRenderer.js';
import { clip } from '../textFitting.js';
import type { ConversationThrottle } from './conversationThrottle.js';
import { serviceUrlPolicyOf, serviceUrlRefusal } from './botConnectorHosts.js';
import { channelOf, StoredReferenceSchema, TeamsConversationStore } from './teamsConversationStore.js';
import {
  cardMessage,
  cardsMessage,
  TEAMS_CHANNEL_PREFIX,
  type AuthenticateRequestResult,
  type TeamsPoster,
} from './teamsPoster.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';
export { TEAMS_CHANNEL_PREFIX };
const BODY_LIMIT = '1mb';
/** a double click lands within this window; the same click later is a new request */
const CLICK_WINDOW_SECONDS = 30;

/**
 * A click that decides a run (approve or reject, as the command table reads it): the clicked
 * card is that run's approval card and is rewritten in place.
 */
function decisionOf(command: string): { verb: 'approve' | 'reject'; runId: string } | undefined {
  const tokens = tokenizeCommand(command);
  if (!tokens.ok) return undefined;
  const [verb = '', ...args] = tokens.tokens;
  const parsed = findCommand(verb)?.parse(args);
  if (!parsed || 'problem' in parsed) return undefined;
  return parsed.name === 'approve' || parsed.name === 'reject'
    ? { verb: parsed.name, runId: parsed.runId }
    : undefined;
}

export interface TeamsBotOptions extends ChatPlatform {
  teams: Config['teams'];
  prisma: PrismaClient;
  /** the card publisher over botbuilder's adapter, with the adapter and the send throttle */
  poster: TeamsPoster;
  logger: Logger;
  nowMs?: () => number;
}

export interface TeamsBot {
  httpRouter: Router;
  notifier: ChatNotifier;
  throttle: ConversationThrottle;
}

/** The least an activity must carry for the bot to read it; the rest is botbuilder's business. */
const IncomingActivitySchema = z
  .object({
    type: z.string().min(1),
    serviceUrl: z.string().url(),
    channelId: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
    from: z.object({ id: z.string() }).passthrough().optional(),
    recipient: z.object({ id: z.string() }).passthrough().optional(),
  })
  .passthrough();

/** what a search invoke carries that the bot reads */
const SearchValueSchema = z
  .object({
    queryText: z.string().optional(),
    dataset: z.string().optional(),
    queryOptions: z
      .object({ skip: z.number().optional(), top: z.number().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** what a card action invoke carries that the bot reads: the clicked button's data */
const ActionValueSchema = z
  .object({ action: z.object({ data: z.unknown() }).passthrough().optional() })
  .passthrough();

/** an invoke answered with a line of text (Teams shows it by the button) */
const textAnswer = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text as unknown as Record<string, unknown>,
});

interface TurnOutcome {
  refused?: string;
}

/** the body as JSON, or undefined: an unreadable body fails the token check like a wrong one */
function jsonOf(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** the two fields the token's claims are compared with; anything else in the body waits */
function claimedBy(body: unknown): { channelId: string; serviceUrl: string } {
  const field = (name: string) => {
    const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : '';
  };
  return { channelId: field('channelId'), serviceUrl: field('serviceUrl') };
}

const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

/**
 * Whether checking the token failed because the Bot Framework's OpenID metadata or keys could not
 * be fetched (botbuilder: "Failed to load …" with status 500, or the fetch itself) — the caller
 * is not at fault, so 503; every other failure of the check is the token's, so 401.
 */
export function isKeyFetchFailure(error: unknown): boolean {
  const e = error as { name?: string; message?: string; statusCode?: number; code?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'FetchError') return true;
  if (e.code && NETWORK_ERROR_CODES.has(e.code)) return true;
  return e.statusCode === 500 && /^Failed to load/.test(e.message ?? '');
}

const tenantOf = (activity: Activity): string | undefined =>
  activity.conversation?.tenantId ??
  (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
  undefined;

export function createTeamsBot(options: TeamsBotOptions): TeamsBot {
  const { teams, prisma, router: chatRouter, poster, logger, services } = options;
  const log = logger.child({ component: 'teams' });
  const { adapter, guarded } = poster;
  const authenticated = !!teams.appId;
  const serviceUrls = serviceUrlPolicyOf(teams);
  const conversations = new TeamsConversationStore(prisma);
  const now = () => new Date(options.nowMs ? options.nowMs() : Date.now());
  const message = cardsMessage;

  const remember = async (activity: Activity, tenantId: string) => {
    const reference = StoredReferenceSchema.safeParse(TurnContext.getConversationReference(activity));
    if (!reference.success) return;
    try {
      await conversations.remember(reference.data, tenantId);
    } catch (error) {
      log.error({ err: error }, 'could not store the Teams conversation reference');
    }
  };

  const requestFor = (context: TurnContext, tenantId: string, text: string, via: ChatRequest['via']) => {
    const activity = context.activity;
    const personal = activity.conversation.conversationType === 'personal';
    const channelName = (activity.channelData as { channel?: { name?: string } } | undefined)?.channel?.name;
    const identity = IdentitySchema.safeParse(teamsIdentity(tenantId, activity.from.aadObjectId ?? ''));
    if (!identity.success) return undefined;
    const request: ChatRequest = {
      actor: { id: identity.data, name: activity.from.name ?? undefined },
      text,
      via,
      channel: {
        platform: 'teams',
        id: channelOf(activity.conversation.id),
        workspace: tenantId,
        label: channelName ?? (personal ? 'personal chat' : (activity.conversation.name ?? 'group chat')),
      },
      prefix: personal ? '' : TEAMS_CHANNEL_PREFIX,
    };
    return request;
  };

  const cantTell = 'I cannot tell who you are (no Microsoft Entra user on this message), so I do nothing.';

  const onTyped = async (context: TurnContext, tenantId: string) => {
    const activity = context.activity;
    let raw = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    // another person @mentioned (`grant @Dana approver`) becomes their identity
    const mentions = (
      (activity.entities ?? []) as {
        type: string;
        text?: string;
        mentioned?: { id?: string; name?: string };
      }[]
    )
      .filter((e) => e.type === 'mention' && e.mentioned?.id && e.mentioned.id !== activity.recipient?.id)
      .map((e) => ({ text: e.text, mentioned: { id: e.mentioned!.id!, name: e.mentioned!.name } }));
    for (const mention of mentions.slice(0, 5)) {
      if (!mention.text) continue;
      const member = await TeamsInfo.getMember(context, mention.mentioned.id).catch(() => undefined);
      const replacement = member?.aadObjectId
        ? teamsIdentity(tenantId, member.aadObjectId)
        : (mention.mentioned.name ?? '');
      raw = raw.replace(mention.text, ` ${replacement} `);
    }
    const text = raw
      .replace(/<at>[^<]*<\/at>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .trim();
    const request = requestFor(context, tenantId, text, 'typed');
    if (!request) {
      await guarded('reply', activity.conversation.id, () => context.sendActivity(cantTell));
      return;
    }
    const reply = await chatRouter.handle(request);
    await guarded('reply', activity.conversation.id, () =>
      context.sendActivity(message(reply.cards, request.prefix)),
    );
    await deliverSideEffects(reply, activity.conversation.id, undefined);
  };

  const deliverSideEffects = (
    reply: ChatReply,
    conversationId: string,
    clickedMessageId: string | undefined,
  ) => poster.publish(reply, channelOf(conversationId), clickedMessageId);

  /** the clicked approval card as it stands, for progress and for putting it back after a refusal */
  const currentApprovalCard = async (runId: string) => {
    const run = services.getRun ? await services.getRun({ runId }).catch(() => null) : null;
    return run ? approvalCard(run, now()) : undefined;
  };

  /** a click answers an invoke with the response; a submitted message gets replies instead */
  const onClick = async (
    context: TurnContext,
    tenantId: string,
    data: unknown,
    isInvoke: boolean,
  ): Promise<AdaptiveCardInvokeResponse | undefined> => {
    const activity = context.activity;
    const conversationId = activity.conversation.id;
    const answer = async (text: string) => {
      if (isInvoke) return textAnswer(text);
      await guarded('reply', conversationId, () => context.sendActivity(text));
      return undefined;
    };
    const command = commandOfSubmit(data);
    if (!command) {
      const isSelect = !!data && typeof data === 'object' && 'prefix' in data;
      return answer(
        isSelect ? 'Pick a value in the list first, then press Set.' : 'That button is not one of mine.',
      );
    }
    const request = requestFor(context, tenantId, command, 'click');
    if (!request) return answer(cantTell);
    const clickedId = activity.replyToId;
    const window = Math.floor((options.nowMs ? options.nowMs() : Date.now()) / 1000 / CLICK_WINDOW_SECONDS);
    const clickKey = `teams-click:${tenantId}:${request.actor.id}:${clickedId ?? ''}:${window}:${command}`;
    if (!(await options.ledger.claim(clickKey))) {
      log.info({ command: command.split(' ')[0] }, 'double click ignored');
      return answer('Already on it.');
    }
    const decision = decisionOf(command);
    const updateClicked = (card: Card, note?: string) =>
      clickedId
        ? guarded('update clicked card', conversationId, () => {
            let rendered = renderAdaptiveCard(card, request.prefix);
            if (note)
              rendered = {
                ...withoutActions(rendered),
                body: [
                  ...withoutActions(rendered).body,
                  { type: 'TextBlock', text: note, wrap: true, isSubtle: true },
                ],
              };
            return context.updateActivity(cardMessage(rendered, card.summary, clickedId));
          })
        : Promise.resolve(undefined);

    // progress first: the buttons go away at once so nobody clicks twice while the router works
    if (decision && clickedId) {
      const current = await currentApprovalCard(decision.runId);
      if (current)
        await updateClicked(current, `⏳ ${decision.verb} by ${activity.from.name ?? 'you'} — working…`);
    }
    const reply = await chatRouter.handle(request);
    let clickerCard: AdaptiveCardJson | undefined;
    if (reply.updatePosted && decision) {
      await updateClicked(reply.updatePosted.card);
      clickerCard = renderAdaptiveCard(reply.updatePosted.card, request.prefix);
    } else if (decision && clickedId) {
      // refused or already decided: the card goes back to how the run stands now
      const current = await currentApprovalCard(decision.runId);
      if (current) {
        await updateClicked(current);
        clickerCard = renderAdaptiveCard(current, request.prefix);
      }
    }
    // the clicked card was rewritten above only when it is the approval card (a decision)
    await deliverSideEffects(reply, conversationId, decision ? clickedId : undefined);

    const summary = reply.cards.map((c) => c.summary).join(' ');
    if (reply.updatePosted && clickerCard) {
      // the clicker's view is the rewritten card; the short outcome goes with it as the summary
      return isInvoke
        ? { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: { ...clickerCard } }
        : undefined;
    }
    // anything else answers below the card (a select on the mapping card keeps the card)
    await guarded('reply', conversationId, () => context.sendActivity(message(reply.cards, request.prefix)));
    return isInvoke ? textAnswer(clip(summary || 'Done.', 200)) : undefined;
  };

  const onSearch = async (context: TurnContext, tenantId: string): Promise<SearchInvokeResponse> => {
    const value = SearchValueSchema.safeParse(context.activity.value ?? {});
    const results = async (): Promise<{ title: string; value: string }[]> => {
      if (!value.success || !value.data.dataset?.startsWith(SERVICES_DATASET_PREFIX)) return [];
      const customerId = value.data.dataset.slice(SERVICES_DATASET_PREFIX.length);
      const identity = IdentitySchema.safeParse(
        teamsIdentity(tenantId, context.activity.from.aadObjectId ?? ''),
      );
      if (!identity.success || !roleCovers(await options.roles.roleOf(identity.data), 'operator')) return [];
      const query = (value.data.queryText ?? '').trim().toLowerCase();
      const limit = TEAMS_CARD_LIMITS.searchResults;
      let choices: ServiceChoice[] = [];
      try {
        if (services.searchServices) choices = await services.searchServices({ customerId, query, limit });
        else if (services.mappingOf)
          choices = (await services.mappingOf({ customerId })).services.filter((s) =>
            s.name.toLowerCase().includes(query),
          );
      } catch (error) {
        log.error({ err: error }, 'service search failed');
      }
      return choices.slice(0, limit).map((s) => ({
        title: serviceChoiceLabel(s, TEAMS_CARD_LIMITS.choiceTitle),
        value: String(s.serviceId),
      }));
    };
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results: await results() },
    };
  };

  /** botbuilder's dispatch of an activity by its type (and an invoke by its name) */
  class TeamsActivities extends ActivityHandler {
    constructor() {
      super();
      this.onMessage(async (context, next) => {
        const tenantId = tenantOf(context.activity) ?? '';
        await remember(context.activity, tenantId);
        const { value, text } = context.activity;
        if (value && typeof value === 'object' && !text) await onClick(context, tenantId, value, false);
        else await onTyped(context, tenantId);
        await next();
      });
      this.onMembersAdded(async (context, next) => {
        const { membersAdded, recipient } = context.activity;
        if ((membersAdded ?? []).some((m) => m.id === recipient?.id))
          await remember(context.activity, tenantOf(context.activity) ?? '');
        await next();
      });
      this.onInstallationUpdate(async (context, next) => {
        await remember(context.activity, tenantOf(context.activity) ?? '');
        await next();
      });
    }

    /**
     * botbuilder's own reading of an invoke's value is stricter than what Teams sends (a search
     * as the list opens has no query text) and throws on a card action without `action`; the
     * values are read here, leniently, and invokes the bot does not handle get an empty 200.
     */
    protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
      const answered = (response: AdaptiveCardInvokeResponse) => ({
        status: response.statusCode,
        body: response,
      });
      // botbuilder types the value as any; the handlers below parse what they read
      const value = context.activity.value;
      switch (context.activity.name) {
        case 'adaptiveCard/action':
          return answered(await this.onAdaptiveCardInvoke(context, value));
        case 'application/search':
          return answered(await this.onSearchInvoke(context, value));
        default:
          return { status: 200, body: {} };
      }
    }

    protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue) {
      return (
        (await onClick(
          context,
          tenantOf(context.activity) ?? '',
          ActionValueSchema.safeParse(value).data?.action?.data,
          true,
        )) ?? textAnswer('Done.')
      );
    }

    protected override onSearchInvoke(context: TurnContext, _value: SearchInvokeValue) {
      return onSearch(context, tenantOf(context.activity) ?? '');
    }
  }
  const activities = new TeamsActivities();

  const onTurn = async (context: TurnContext, outcome: TurnOutcome) => {
    const activity = context.activity;
    const tenantId = tenantOf(activity);
    if (teams.tenantId && tenantId !== teams.tenantId) {
      outcome.refused = `tenant ${tenantId ?? '(none)'} is not MICROSOFT_APP_TENANT_ID`;
      log.warn({ tenantId }, 'teams activity from another tenant refused');
      return;
    }
    if (!tenantId) {
      outcome.refused = 'the activity names no tenant';
      return;
    }
    await activities.run(context);
  };

  const problem = (res: Response, status: number, error: string, message: string, hint: string) =>
    res.status(status).json({ error, message, hint });
  const unauthorized = (res: Response, reason: string) => {
    log.warn({ reason }, 'teams request refused: no valid Bot Framework token');
    problem(
      res,
      401,
      'UNAUTHORIZED',
      'A valid Bot Framework token is required.',
      'Requests to /api/messages come from Microsoft Teams through the Azure Bot Service, signed for this MICROSOFT_APP_ID.',
    );
  };

  const handle = async (req: Request, res: Response) => {
    // 1. who is asking, before anything of the body is read: only the two fields botbuilder's
    // token check compares with the token's claims are taken, and nothing is echoed
    const authHeader = authenticated ? (req.header('authorization') ?? '') : '';
    if (authenticated && !/^Bearer\s+\S+$/i.test(authHeader)) return unauthorized(res, 'no bearer token');
    const body = jsonOf(req.body);
    let verified: AuthenticateRequestResult;
    try {
      verified = await adapter.authenticate(authHeader, claimedBy(body));
    } catch (error) {
      if (isKeyFetchFailure(error)) {
        log.error(
          { reason: (error as Error)?.message },
          'teams request not checked: signing keys unavailable',
        );
        res.setHeader('retry-after', '30');
        problem(
          res,
          503,
          'TEAMS_KEYS_UNAVAILABLE',
          "The Bot Framework's signing keys cannot be fetched right now, so the token cannot be checked.",
          'Try again shortly; the bot needs to reach login.botframework.com.',
        );
        return;
      }
      return unauthorized(res, (error as Error)?.message ?? String(error));
    }

    // 2. an authenticated (or demo) caller: now the activity is read, and errors may say why
    const parsed = IncomingActivitySchema.safeParse(body);
    if (!parsed.success) {
      problem(
        res,
        400,
        'BAD_ACTIVITY',
        `Not a Bot Framework activity: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'body'} ${i.message}`)
          .join('; ')}`,
        'Send a JSON activity with type, serviceUrl, channelId and conversation.id.',
      );
      return;
    }
    // 3. replies go to the activity's serviceUrl: only Microsoft's hosts (demo: loopback)
    const refusal = serviceUrlRefusal(parsed.data.serviceUrl, serviceUrls);
    if (refusal) {
      log.warn({ refusal }, 'teams activity refused: service URL not allowed');
      problem(
        res,
        403,
        'SERVICE_URL_REFUSED',
        `Refused: ${refusal}; the bot sends nothing there.`,
        authenticated
          ? "Teams' Bot Connector hosts are listed in docs/security/teams-and-playground.md."
          : 'Without MICROSOFT_APP_ID the bot answers only service URLs on this machine (the demo).',
      );
      return;
    }
    const outcome: TurnOutcome = {};
    try {
      const response = await adapter.run(verified, parsed.data as unknown as Activity, (context) =>
        onTurn(context, outcome),
      );
      if (outcome.refused) {
        res.status(403).json({ error: 'TENANT_REFUSED', message: `Refused: ${outcome.refused}.` });
        return;
      }
      res.status(response?.status ?? 200);
      if (response?.body !== undefined) res.json(response.body);
      else res.end();
    } catch (error) {
      log.error({ err: error }, 'teams activity failed');
      if (!res.headersSent)
        res.status(500).json({ error: 'INTERNAL', message: 'Something went wrong; it has been logged.' });
    }
  };

  const router = express.Router();
  // the body as text: it is parsed after the token is checked, never by a body parser before it
  router.post(TEAMS_MESSAGES_PATH, express.text({ type: () => true, limit: BODY_LIMIT }), (req, res) => {
    void handle(req, res);
  });

  return { httpRouter: router, notifier: poster.notifier, throttle: poster.throttle };
}
