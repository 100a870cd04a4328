// `npx autotask-bot <any chat command> [--as <user>] [--json]`: the CLI's way into the same router,
// roles and cards as Slack and Teams. `--json` prints the card model instead of text.
import { writeReplyFiles } from './replyFiles.js';
import type { CliCommand, CliContext } from './cliCommand.js';
import { withCliDatabase } from './cliDatabase.js';
import { ChatRouter } from '../chat/chatRouter.js';
import { findCommand } from '../chat/commandTable.js';
import { quoteArgument } from '../chat/commandTokenizer.js';
import { DeliveryLedger } from '../chat/deliveryLedger.js';
import { cliIdentity, IdentitySchema, type Identity } from '../chat/identity.js';
import type { ChatServices } from '../chat/chatServices.js';
import { RoleStore } from '../chat/roleStore.js';
import { createSlackPoster } from '../chat/slack/slackPoster.js';
import { composeAppServices } from '../app/appServices.js';
import { commandJobs, type CommandJobs } from '../app/commandJobs.js';
import { connectAutotaskForCli, sharedSandboxKey } from '../sandbox/sharedSandbox.js';
import { renderCardAsText } from '../chat/console/textRenderer.js';
import { connectSources, type SourceConnections } from '../app/sourceConnections.js';
import { demoEndDate, demoPartnerWanted } from '../demo/demoMode.js';
import { pullProgressLines } from './pullProgress.js';
import { terminalProgress } from './terminalProgress.js';

const PREFIX = 'autotask-bot ';

/** `--as alice` is `cli:alice`; a full identity (`slack:T1:U1`) is taken as given. */
export function cliActor(as: string | undefined): Identity | undefined {
  if (!as) return undefined;
  const full = IdentitySchema.safeParse(as);
  if (full.success) return full.data;
  const local = IdentitySchema.safeParse(cliIdentity(as));
  return local.success ? local.data : undefined;
}

export async function runChatCommandFromCli(
  context: CliContext,
  args: string[],
  overrides: {
    services?: ChatServices;
    /** code only (tests): DATABASE_URL is a throwaway demo database, see teamsMode() */
    teamsDemoDatabase?: boolean;
  } = {},
): Promise<number> {
  const identity = cliActor(context.flags.as);
  if (!identity) {
    context.io.err(
      `"${context.flags.as}" is not a user name: use letters, digits, . _ @ -  (e.g. --as alice)`,
    );
    return 2;
  }
  return withCliDatabase(context, async (database, { config, logger }) => {
    // the bot's sandbox when one runs (DATA_DIR/sandbox.json), else as configured
    let autotask: Awaited<ReturnType<typeof connectAutotaskForCli>> | undefined;
    let jobs: CommandJobs | undefined;
    let sources: SourceConnections | undefined;
    // on stderr, as `validate` goes and while `approve` waits for its upload (not with --json)
    const validation = terminalProgress(context, { what: 'validate', unit: 'customers' });
    try {
      let services = overrides.services;
      if (!services) {
        const connection = await connectAutotaskForCli(config, logger);
        autotask = connection;
        // the job queue, connected only if the command needs it; no bot need be running: an
        // approval from here runs the upload job in this process and waits for it
        const databaseKey = await sharedSandboxKey(config, connection);
        const commandQueue = commandJobs({
          config,
          database,
          autotask: connection,
          logger,
          services: () => app,
          autotaskDatabaseKey: databaseKey,
        });
        jobs = commandQueue;
        // `source sync` from here reads the source itself (the demo: a Pax8 stand-in of its own,
        // seeded as the bot's, so what it stores is the same)
        sources = await connectSources(config, {
          demoEndDate: demoPartnerWanted(config) ? await demoEndDate(database.prisma) : undefined,
        });
        // a pull shows where it is on a terminal (stderr: stdout stays the card)
        if (context.io.columns !== undefined) sources.onProgress = pullProgressLines(context.io.err);
        const app = composeAppServices({
          config,
          prisma: database.prisma,
          logger,
          autotask: connection,
          jobs: commandQueue.queue,
          waitForUpload: async (runId) => {
            const upload = terminalProgress(context, {
              what: 'upload',
              unit: 'operations',
              failed: 'failed',
            });
            await commandQueue.waitForUpload(runId, upload.update).finally(() => upload.finish());
          },
          onValidationProgress: validation.update,
          autotaskDatabaseKey: databaseKey,
          sources,
        });
        services = app.chat;
      }
      // no command budget: each CLI command is its own process, run by someone with a shell
      const router = new ChatRouter({
        services,
        roles: new RoleStore(database.prisma, config.adminUsers),
        ledger: new DeliveryLedger(database.prisma),
        logger,
      });
      const answer = await router.handle({
        actor: { id: identity },
        // the shell already split the words; quote them again so "Visio Plan 2" stays one argument
        text: args.map(quoteArgument).join(' '),
        via: 'typed',
        channel: null,
        prefix: PREFIX,
      });
      await validation.finish();
      // an upload requested or decided here still shows on the approval card in Slack
      if ((answer.broadcast || answer.updatePosted) && config.slack.botToken)
        await createSlackPoster({ slack: config.slack, prisma: database.prisma, logger }).publish(
          answer,
          undefined,
        );
      // …and in Teams (loaded only then: botbuilder is heavy for a CLI start)
      if (answer.broadcast || answer.updatePosted) {
        const { publishToTeams } = await import('../chat/teams/publishToTeams.js');
        await publishToTeams(answer, {
          config,
          prisma: database.prisma,
          logger,
          demoDatabase: overrides.teamsDemoDatabase ?? false,
        });
      }
      const cards = [...answer.cards, ...(answer.broadcast ? [answer.broadcast.card] : [])];
      // the bytes of a chart or export go to --png/--csv, not into the JSON
      if (context.flags.json) context.io.out(JSON.stringify({ ...answer, files: undefined }, null, 2));
      else {
        const layout = { width: context.flags.wide ? null : (context.io.columns ?? null) };
        context.io.out(cards.map((c) => renderCardAsText(c, PREFIX, layout)).join('\n\n'));
      }
      const written = await writeReplyFiles(answer, { png: context.flags.png, csv: context.flags.csv });
      for (const line of written.lines) context.io.err(line);
      // refused, failed, or ran and found a problem (a check that differs, a pull that failed)
      if (answer.denied || answer.failed || answer.problemsFound || !written.ok) return 1;
      return answer.cards.some((c) => c.kind === 'usage') ? 2 : 0;
    } finally {
      await validation.finish();
      await jobs?.close();
      await sources?.close();
      await autotask?.stop();
    }
  });
}

/** `autotask-bot chat <command>`: always the chat command, even where a local one has its name. */
export const chatCliCommand: CliCommand = {
  name: 'chat',
  usage: 'autotask-bot [chat] <chat command> [--as <user>]',
  summary:
    'any chat command (validate, map, approve, roles, …) through the chat router; `chat help` lists them',
  run: (context, args) => runChatCommandFromCli(context, args),
};

/** Unknown local command names that are chat verbs fall through to the router. */
export function chatFallbackFor(name: string): CliCommand | undefined {
  if (!findCommand(name)) return undefined;
  return { ...chatCliCommand, name, run: (context, args) => runChatCommandFromCli(context, [name, ...args]) };
}
