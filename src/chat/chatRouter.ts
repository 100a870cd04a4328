// The one router behind Slack, Teams and the CLI: text (typed or behind a button) in, a reply of
// cards out. It reads the command, re-authorises the person on every command and click, resolves
// customers forgivingly, calls the use case through the ChatServices port and builds the card.
// It never throws: every mistake becomes a usage answer, every failure a short message.
import { explainCard, explainCommand } from './explainCard.js';
import { reconciliationCard } from './reconciliationCard.js';
import type { Actor } from '../audit/actor.js';
import type { Logger } from '../observability/logger.js';
import { approvalCard } from './approvalCard.js';
import { auditCard } from './auditCard.js';
import { formatRunState } from './cardFormat.js';
import type { Card, ChatReply } from './cardModel.js';
import type { ParsedCommand } from './chatCommand.js';
import type { ChatServices, CustomerRef, CustomerTarget, TenantVerificationResult } from './chatServices.js';
import type { CommandRateLimiter } from './commandRateLimiter.js';
import { findCommand, nearestVerb, type CommandDefinition } from './commandTable.js';
import { quoteArgument, tokenizeCommand } from './commandTokenizer.js';
import { connectivityCard } from './connectivityCard.js';
import { customersCard, unmappedCard } from './customersCards.js';
import type { DeliveryLedger } from './deliveryLedger.js';
import { commandHelpCard, helpCard } from './helpCard.js';
import { IdentitySchema, resolveUserArgument, type Identity } from './identity.js';
import { mappingCard, mappingChangeCard } from './mappingCard.js';
import {
  ambiguousCustomerCard,
  deniedCard,
  failedCard,
  fourEyesCard,
  infoCard,
  noCustomerCard,
  quoteProblemCard,
  unknownCommandCard,
  usageCard,
} from './messageCards.js';
import { rateLimitedCard } from './rateLimitedCard.js';
import { roleCovers, type Role } from './roles.js';
import type { RoleStore } from './roleStore.js';
import { rolesCard } from './rolesCard.js';
import { runDetailCard, runsCard } from './runCards.js';
import { scheduledCard, schedulesCard } from './scheduleCards.js';
import { statusCard } from './statusCard.js';
import { pullCard, sourcesCard, sourceTestCard } from './sourceCards.js';
import { SOURCE_LABEL, type PullSummary } from '../sources/pullSummary.js';
import { tenantVerificationCard, writeProbeConfirmationCard } from './tenantVerificationCard.js';
import { validationCard } from './validationCard.js';
import { formatProblem, type Problem } from '../core/problem.js';
import { processSecrets } from '../observability/secretScrubber.js';

/** Where a command was said: needed by `notify here` and for posting approval cards. */
export interface ChatChannel {
  platform: 'slack' | 'teams';
  id: string;
  /** Slack team id or Teams tenant id */
  workspace: string;
  label?: string;
}

export interface ChatRequest {
  actor: Actor & { id: Identity };
  text: string;
  via: 'typed' | 'click';
  channel: ChatChannel | null;
  /** how commands are written on this platform: `/autotask `, `autotask-bot `, `@Autotask ` */
  prefix: string;
}

export interface ChatRouterDependencies {
  services: ChatServices;
  /**
   * the process's budget of expensive commands per person, shared by every adapter over these
   * services (none = unlimited, as for the CLI, where each command is its own process)
   */
  commandLimiter?: CommandRateLimiter;
  roles: RoleStore;
  ledger: DeliveryLedger;
  logger: Pick<Logger, 'error' | 'warn'>;
  now?: () => Date;
}

const MAX_TEXT = 4_000;
const AUDIT_ROWS = 20;
const reply = (card: Card, extra: Partial<ChatReply> = {}): ChatReply => ({
  cards: [card],
  private: true,
  ...extra,
});

export class ChatRouter {
  private readonly now: () => Date;

  constructor(private readonly deps: ChatRouterDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The reply to one request; nothing in it (an error message, a setting) carries a secret. */
  async handle(request: ChatRequest): Promise<ChatReply> {
    return processSecrets.scrubValue(await this.answer(request));
  }

  private async answer(request: ChatRequest): Promise<ChatReply> {
    const prefix = request.prefix;
    // control characters (a NUL byte PostgreSQL refuses in text) become spaces
    const text = [...request.text.slice(0, MAX_TEXT)]
      .map((ch) => ((ch < ' ' && !'\t\n\r'.includes(ch)) || ch === '\u007f' ? ' ' : ch))
      .join('');
    request = { ...request, text };
    const tokens = tokenizeCommand(text);
    if (!tokens.ok) return reply(quoteProblemCard(tokens.problem, prefix));
    const args = [...tokens.tokens];
    // people paste the prefix too: "/autotask validate acme", "autotask validate acme"
    if (args[0] && /^\/?autotask(-bot)?$/i.test(args[0])) args.shift();
    if (args.length === 0) return reply(helpCard(prefix));
    const verb = args.shift()!;
    const definition = findCommand(verb);
    if (!definition) return reply(unknownCommandCard(verb, nearestVerb(verb), prefix));
    const parsed = definition.parse(args);
    if ('problem' in parsed) return reply(usageCard(definition, parsed.problem, prefix));

    try {
      const needed = definition.roleFor?.(parsed) ?? definition.role;
      const held = needed ? await this.deps.roles.roleOf(request.actor.id) : undefined;
      if (needed && !roleCovers(held, needed)) {
        await this.audited(request, definition.verb, 'role', { needed, held: held ?? null });
        return reply(deniedCard(definition.verb, needed, held), { denied: true });
      }
      if (definition.expensive) {
        const refusal = await this.overBudget(request, definition.verb, held);
        if (refusal) return refusal;
      }
      return await this.execute(parsed, definition, request);
    } catch (error) {
      this.deps.logger.error(
        { err: error, command: definition.verb, actor: request.actor.id },
        'chat command failed',
      );
      return reply(failedCard(definition.verb), { failed: true });
    }
  }

  private async audited(
    request: ChatRequest,
    verb: string,
    reason: 'role' | 'four-eyes' | 'not-the-asker',
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.services.recordAudit({
      actor: request.actor,
      action: 'chat.denied',
      outcome: 'denied',
      runId: typeof details.runId === 'string' ? details.runId : undefined,
      details: { command: verb, reason, via: request.via, text: request.text.slice(0, 200), ...details },
    });
  }

  /** RATE_LIMITED when the person's budget of expensive commands is spent (first refusal logged, audited). */
  private async overBudget(
    request: ChatRequest,
    verb: string,
    held: Role | undefined,
  ): Promise<ChatReply | null> {
    const admission = this.deps.commandLimiter?.admit(request.actor.id, held);
    if (!admission || admission.ok) return null;
    if (admission.first) {
      this.deps.logger.warn(
        { actor: request.actor.id, command: verb, limit: admission.limit },
        'chat command rate-limited',
      );
      await this.deps.services.recordAudit({
        actor: request.actor,
        action: 'chat.rate_limited',
        outcome: 'denied',
        details: {
          command: verb,
          via: request.via,
          limitPerMinute: admission.limit,
          retryAfterSeconds: admission.retryAfterSeconds,
        },
      });
    }
    return reply(rateLimitedCard(verb, admission, request.prefix), { denied: true });
  }

  /** Resolves a customer argument, or answers with the candidates / "no such customer". */
  private async withCustomer(
    query: string,
    request: ChatRequest,
    retry: (c: CustomerRef) => string,
    then: (customer: CustomerRef) => Promise<ChatReply>,
  ): Promise<ChatReply> {
    const resolution = await this.deps.services.resolveCustomer({ query });
    if (resolution.kind === 'found') return then(resolution.customer);
    if (resolution.kind === 'ambiguous')
      return reply(
        ambiguousCustomerCard(query, resolution.candidates, (c) => `${request.prefix}${retry(c)}`),
      );
    return reply(noCustomerCard(query, request.prefix));
  }

  private async target(
    customer: string | 'all',
    request: ChatRequest,
    retry: (c: CustomerRef) => string,
    then: (target: CustomerTarget, label: string) => Promise<ChatReply>,
  ): Promise<ChatReply> {
    if (customer === 'all') return then({ all: true }, 'all customers');
    return this.withCustomer(customer, request, retry, (c) => then({ all: false, customerId: c.id }, c.name));
  }

  private async execute(
    command: ParsedCommand,
    definition: CommandDefinition,
    request: ChatRequest,
  ): Promise<ChatReply> {
    const { services } = this.deps;
    const prefix = request.prefix;
    const actor = request.actor;
    const q = quoteArgument;

    switch (command.name) {
      case 'help': {
        if (!command.topic) return reply(helpCard(prefix));
        const topic = findCommand(command.topic);
        return reply(topic ? commandHelpCard(topic, prefix) : helpCard(prefix));
      }
      case 'test':
        return reply(connectivityCard(await services.testConnection()));
      case 'verify tenant':
        return this.verifyTenant(command, request);
      case 'status': {
        const [mappingMode, notificationTarget, schedules, recentRuns, apiBudget, tenantFacts, sources] =
          await Promise.all([
            services.mappingMode(),
            services.notificationTarget(),
            services.listSchedules(),
            services.listRuns({ customerId: null, limit: 5 }),
            services.apiBudget(),
            services.tenantFacts(),
            services.listSources(),
          ]);
        return reply(
          statusCard({
            mappingMode,
            notificationTarget,
            schedules,
            recentRuns,
            apiBudget,
            tenantFacts,
            sources,
          }),
        );
      }
      case 'customers':
        return reply(customersCard(await services.listCustomers({ filter: command.filter }), prefix));
      case 'map':
        return this.withCustomer(
          command.customer,
          request,
          (c) => `map ${q(c.name)}`,
          async (c) =>
            reply(mappingCard(await services.mappingOf({ customerId: c.id }), prefix, command.page)),
        );
      case 'map company':
        return this.withCustomer(
          command.customer,
          request,
          (c) => `map ${q(c.name)} company ${q(command.company)}`,
          async (c) =>
            reply(
              mappingChangeCard(
                await services.mapCompany({ customerId: c.id, company: command.company, actor }),
                `Company of ${c.name}`,
              ),
            ),
        );
      case 'map contract':
        return this.withCustomer(
          command.customer,
          request,
          (c) =>
            `map ${q(c.name)} contract ${command.billingCycle} ${q(command.contract)}${command.isDefault ? ' default' : ''}`,
          async (c) =>
            reply(
              mappingChangeCard(
                await services.mapContract({
                  customerId: c.id,
                  billingCycle: command.billingCycle,
                  contract: command.contract,
                  isDefault: command.isDefault,
                  actor,
                }),
                `${command.billingCycle} contract of ${c.name}`,
              ),
            ),
        );
      case 'map product':
        return this.withCustomer(
          command.customer,
          request,
          (c) =>
            `map ${q(c.name)} product ${q(command.product)}${command.billingCycle ? ` ${command.billingCycle}` : ''} service ${q(command.service)}`,
          async (c) =>
            reply(
              mappingChangeCard(
                await services.mapProduct({
                  customerId: c.id,
                  product: command.product,
                  ...(command.billingCycle ? { billingCycle: command.billingCycle } : {}),
                  service: command.service,
                  actor,
                }),
                `${command.product}${command.billingCycle ? ` (${command.billingCycle})` : ''} of ${c.name}`,
              ),
            ),
        );
      case 'confirm':
        return reply(
          mappingChangeCard(
            await services.confirmSuggestion({ suggestionId: command.suggestionId, actor }),
            `Suggestion ${command.suggestionId}`,
          ),
        );
      case 'confirm all':
        return this.withCustomer(
          command.customer,
          request,
          (c) => `confirm ${q(c.name)} all`,
          async (c) =>
            reply(
              mappingChangeCard(
                await services.confirmAll({ customerId: c.id, actor }),
                `Suggestions for ${c.name}`,
              ),
            ),
        );
      case 'unmapped': {
        if (command.customer === null)
          return reply(unmappedCard(await services.listUnmapped({ customerId: null }), null, prefix));
        return this.withCustomer(
          command.customer,
          request,
          (c) => `unmapped ${q(c.name)}`,
          async (c) => reply(unmappedCard(await services.listUnmapped({ customerId: c.id }), c.name, prefix)),
        );
      }
      case 'mode':
        await services.setMappingMode({ mode: command.mode, actor });
        return reply(
          infoCard(
            'mode',
            command.mode === 'automatic'
              ? 'Mapping mode is now *automatic*: exact matches are applied automatically, suggestions wait for a person.'
              : 'Mapping mode is now *manual*: nothing is mapped until a person confirms it.',
          ),
        );
      case 'validate':
        return this.target(
          command.customer,
          request,
          (c) => `validate ${q(c.name)}`,
          async (target) => reply(validationCard(await services.validate({ target, actor }))),
        );
      case 'correct':
        return this.target(
          command.customer,
          request,
          (c) => `correct ${q(c.name)}`,
          async (target) => reply(validationCard(await services.validate({ target, actor, correct: true }))),
        );
      case 'upload':
        return this.upload(command.target, request);
      case 'approve':
      case 'reject':
        return this.decide(command, request);
      case 'retry': {
        const result = await services.retry({ runId: command.runId, actor });
        if (!result.ok) return reply(infoCard('retry', errorLine(result.error)));
        return reply(infoCard('retry', `🔁 Retrying what failed in run \`${command.runId}\`.`), {
          updatePosted: {
            kind: 'approval',
            runId: command.runId,
            card: approvalCard(result.run, this.now()),
          },
        });
      }
      case 'explain':
        return this.withCustomer(
          command.customer,
          request,
          (c) => explainCommand(c.name, command.product, command.billingCycle ?? ''),
          async (c) => {
            const answer = await services.explain({
              customerId: c.id,
              product: command.product,
              billingCycle: command.billingCycle,
            });
            return {
              ...reply(explainCard(answer)),
              ...(answer.ok && answer.chart
                ? { files: [{ name: 'explain.png', contentType: 'image/png', bytes: answer.chart.png }] }
                : {}),
              ...(answer.ok ? {} : { problemsFound: true }),
            };
          },
        );
      case 'reconcile':
        return this.target(
          command.customer,
          request,
          (c) => `reconcile ${q(c.name)}${command.month ? ` ${command.month}` : ''}`,
          async (target, label) => {
            const answer = await services.reconcile({ target, scopeLabel: label, month: command.month });
            return {
              ...reply(reconciliationCard(answer)),
              ...(answer.ok
                ? { files: [{ name: answer.csv.fileName, contentType: 'text/csv', bytes: answer.csv.bytes }] }
                : { problemsFound: true }),
            };
          },
        );
      case 'runs': {
        if (command.customer === null)
          return reply(runsCard(await services.listRuns({ customerId: null, limit: 20 }), null));
        return this.withCustomer(
          command.customer,
          request,
          (c) => `runs ${q(c.name)}`,
          async (c) => reply(runsCard(await services.listRuns({ customerId: c.id, limit: 20 }), c.name)),
        );
      }
      case 'run': {
        const detail = await services.runDetail({ runId: command.runId });
        return reply(
          detail
            ? runDetailCard(detail, command.page)
            : infoCard('run', `No run \`${command.runId}\`. \`${prefix}runs\` lists them.`),
        );
      }
      case 'schedule':
        return this.target(
          command.customer,
          request,
          (c) => `schedule ${q(c.name)} ${q(command.cadence)}`,
          async (target) => {
            const result = await services.schedule({ target, cadence: command.cadence, actor });
            if (!result.ok) return reply(infoCard('schedule', errorLine(result.error)));
            return reply(scheduledCard(result.schedule));
          },
        );
      case 'schedules':
        return reply(schedulesCard(await services.listSchedules(), prefix));
      case 'unschedule': {
        const removed = await services.unschedule({ id: command.id, actor });
        return reply(
          infoCard(
            'schedule',
            removed
              ? `Schedule \`${command.id}\` removed.`
              : `No schedule \`${command.id}\`. \`${prefix}schedules\` lists them.`,
          ),
        );
      }
      case 'audit': {
        const since = command.since ? new Date(`${command.since}T00:00:00Z`) : null;
        const list = async (customer: CustomerRef | null) => {
          const records = await services.listAudit({
            customerId: customer?.id ?? null,
            since,
            limit: AUDIT_ROWS + 1,
          });
          const scope = [customer?.name, command.since ? `since ${command.since}` : '']
            .filter(Boolean)
            .join(' ');
          return reply(auditCard(records.slice(0, AUDIT_ROWS), scope, records.length > AUDIT_ROWS));
        };
        if (command.customer === null) return list(null);
        return this.withCustomer(
          command.customer,
          request,
          (c) => `audit ${q(c.name)}${command.since ? ` since ${command.since}` : ''}`,
          list,
        );
      }
      case 'notify here': {
        if (!request.channel)
          return reply(
            infoCard(
              'notify',
              '`notify here` works in a Slack or Teams channel: type it in the channel that should get approval requests and failures.',
            ),
          );
        const target = {
          platform: request.channel.platform,
          channel: request.channel.id,
          workspace: request.channel.workspace,
          ...(request.channel.label ? { label: request.channel.label } : {}),
        };
        await services.setNotificationTarget({ target, actor });
        return reply(
          infoCard('notify', '🔔 This channel now receives approval requests and failure notifications.'),
          { private: false },
        );
      }
      case 'roles':
        return reply(rolesCard(await this.deps.roles.list(), prefix));
      case 'grant':
      case 'revoke':
        return this.changeRole(command, request);
      case 'sources':
        return reply(sourcesCard(await services.listSources(), prefix));
      case 'source test': {
        const tested = await services.testSource({ source: command.source, actor });
        const failing = !tested.ok || tested.report.checks.some((c) => c.outcome === 'failed');
        return reply(sourceTestCard(command.source, tested), { problemsFound: failing });
      }
      case 'source add': {
        const added = await services.addSource({ source: command.source, actor });
        if (!added.ok) return reply(sourceTestCard(command.source, added), { problemsFound: true });
        return reply(sourcesCard([added.source], prefix));
      }
      case 'source remove': {
        const removed = await services.removeSource({ source: command.source, actor });
        return reply(
          infoCard(
            'sources',
            removed.ok
              ? `${SOURCE_LABEL[command.source]} is off: no more daily pulls. What it brought stays.`
              : formatProblem(removed.error!),
          ),
          { problemsFound: !removed.ok },
        );
      }
      case 'source sync': {
        const { source, customer } = command;
        const pulled = (summary: PullSummary, scopeName: string) =>
          reply(pullCard(summary, scopeName, prefix), { problemsFound: summary.outcome !== 'ok' });
        if (customer === null)
          return pulled(await services.syncSource({ source, customerId: null, actor }), 'all customers');
        return this.withCustomer(
          customer,
          request,
          (c) => `source sync ${source} ${q(c.name)}`,
          async (c) => pulled(await services.syncSource({ source, customerId: c.id, actor }), c.name),
        );
      }
    }
  }

  /**
   * `verify tenant`: read-only at once. The write probe first answers with what it would write and
   * a button carrying the asker's identity; only that admin's click (or `--yes` from the CLI, which
   * sends the same confirmation) runs it.
   */
  private async verifyTenant(
    command: Extract<ParsedCommand, { name: 'verify tenant' }>,
    request: ChatRequest,
  ): Promise<ChatReply> {
    const { services } = this.deps;
    const actor = request.actor;
    const verified = (result: TenantVerificationResult) =>
      reply(tenantVerificationCard(result), {
        problemsFound: result.probeProblem !== null || result.lines.some((l) => l.status === 'differs'),
      });
    if (!command.writeProbe) return verified(await services.verifyTenant({ actor, writeProbe: null }));
    if (command.confirmedFor === null) {
      const checked = await services.checkWriteProbe(command.writeProbe);
      if (!checked.ok) return reply(infoCard('verify', errorLine(checked.error)));
      const { contractId, serviceId } = checked.target;
      return reply(
        writeProbeConfirmationCard(
          checked.target,
          `verify tenant write-probe ${contractId} service ${serviceId} confirm ${actor.id}`,
        ),
      );
    }
    if (command.confirmedFor !== actor.id) {
      await this.audited(request, 'verify', 'not-the-asker', { confirmedFor: command.confirmedFor });
      return reply(
        infoCard(
          'verify',
          `Only ${command.confirmedFor}, who asked for this write probe, may confirm it; ask for your own with \`${request.prefix}verify tenant write-probe ${command.writeProbe.contractId}\`.`,
        ),
        { denied: true },
      );
    }
    return verified(await services.verifyTenant({ actor, writeProbe: command.writeProbe }));
  }

  private async upload(targetText: string, request: ChatRequest): Promise<ChatReply> {
    const { services } = this.deps;
    const actor = request.actor;
    const existing = /^[A-Za-z0-9_.:-]+$/.test(targetText)
      ? await services.getRun({ runId: targetText })
      : null;
    const answer = async (input: { customerId: string } | { runId: string }) => {
      const result = await services.requestUpload({ ...input, actor });
      if (!result.ok) return reply(infoCard('upload', errorLine(result.error)));
      const card = approvalCard(result.run, this.now());
      return reply(
        infoCard(
          'upload',
          `📨 Upload of run \`${result.run.runId}\` requested; an approver decides on the approval card.`,
        ),
        {
          broadcast: { kind: 'approval', runId: result.run.runId, card },
        },
      );
    };
    if (existing) return answer({ runId: existing.runId });
    return this.withCustomer(
      targetText,
      request,
      (c) => `upload ${quoteArgument(c.name)}`,
      (c) => answer({ customerId: c.id }),
    );
  }

  private async decide(
    command: Extract<ParsedCommand, { name: 'approve' | 'reject' }>,
    request: ChatRequest,
  ): Promise<ChatReply> {
    const { services, ledger } = this.deps;
    const run = await services.getRun({ runId: command.runId });
    if (!run)
      return reply(
        infoCard(command.name, `No run \`${command.runId}\`. \`${request.prefix}runs\` lists them.`),
      );
    // one decision per run, whoever clicks and however often
    const key = `decision:${run.runId}`;
    if (!(await ledger.claim(key))) {
      const current = (await services.getRun({ runId: run.runId })) ?? run;
      return reply(
        infoCard(
          command.name,
          `Run \`${run.runId}\` has already been decided (${formatRunState(current.state)}${current.decidedBy ? ` by ${current.decidedBy}` : ''}).`,
        ),
      );
    }
    let result;
    try {
      result =
        command.name === 'approve'
          ? await services.approve({ runId: run.runId, actor: request.actor })
          : await services.reject({ runId: run.runId, actor: request.actor, reason: command.reason });
    } catch (error) {
      await ledger.release(key);
      throw error;
    }
    if (!result.ok) {
      await ledger.release(key);
      // four eyes is the use case's decision (it follows `sync.four_eyes`); chat only words it
      if (result.error.code === 'FOUR_EYES') {
        await this.audited(request, 'approve', 'four-eyes', { runId: run.runId });
        return reply(fourEyesCard(run.runId), { denied: true });
      }
      return reply(infoCard(command.name, errorLine(result.error)));
    }
    const text =
      command.name === 'approve'
        ? `✅ You approved run \`${run.runId}\`; the upload starts.`
        : `🚫 You rejected run \`${run.runId}\`.`;
    return reply(infoCard(command.name, text), {
      updatePosted: { kind: 'approval', runId: run.runId, card: approvalCard(result.run, this.now()) },
    });
  }

  private async changeRole(
    command: Extract<ParsedCommand, { name: 'grant' | 'revoke' }>,
    request: ChatRequest,
  ): Promise<ChatReply> {
    const identity = resolveUserArgument(command.user, request.actor.id);
    const definition = findCommand(command.name)!;
    if (!identity || !IdentitySchema.safeParse(identity).success)
      return reply(
        usageCard(
          definition,
          `"${command.user.slice(0, 60)}" is not a user I can read (mention them, or give slack:<team>:<user>)`,
          request.prefix,
        ),
      );
    const role: Role = command.role;
    if (command.name === 'grant') {
      const changed = await this.deps.roles.grant(identity, role, request.actor);
      return reply(
        infoCard('roles', changed ? `✅ ${identity} is now ${role}.` : `${identity} already holds ${role}.`),
      );
    }
    if (role === 'admin' && this.deps.roles.isBootstrapAdmin(identity))
      return reply(infoCard('roles', `${identity} is an admin through ADMIN_USERS; remove them there.`));
    const changed = await this.deps.roles.revoke(identity, role, request.actor);
    return reply(
      infoCard(
        'roles',
        changed ? `✅ ${identity} no longer holds ${role}.` : `${identity} did not hold ${role}.`,
      ),
    );
  }
}

/** An actionable error as one chat line: `❌ CODE: what happened — what to do`. */
function errorLine(error: Problem): string {
  return `❌ ${formatProblem(error)}`;
}
