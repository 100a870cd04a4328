// Composition root: config → logger → database → (Autotask, services, jobs, chat) → HTTP.
// Everything started here is stopped, in reverse order, by the returned stop().
import { describeConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from './http/httpServer.js';
import { mountIngestRoutes } from './http/ingestRoutes.js';
import { mountArtifactRoutes } from './http/artifactRoutes.js';
import { artifactLinks } from './artifacts/artifactLinks.js';
import { createLogger, type Logger } from './observability/logger.js';
import { PrometheusMetrics } from './observability/prometheusMetrics.js';
import { readinessProbes } from './app/readinessProbes.js';
import { timeRequests } from './http/requestTiming.js';
import { SLACK_EVENTS_PATH } from './chat/slack/slackHttpReceiver.js';
import { TEAMS_MESSAGES_PATH } from './chat/teams/teamsBot.js';
import { connectConfiguredAutotask, type SandboxedAutotaskConnection } from './sandbox/sandboxConnection.js';
import type { SlackBot } from './chat/slack/slackBot.js';
import { startSlackApp } from './chat/slack/startSlackApp.js';
import { composeAppServices, type AppServices } from './app/appServices.js';
import { announceSandbox } from './sandbox/sharedSandbox.js';
import { startTeamsApp, teamsMode } from './chat/teams/startTeamsApp.js';
import {
  DEMO_ACTOR,
  demoEndDate,
  demoPartnerWanted,
  prepareDemo,
  type DemoPreparation,
} from './demo/demoMode.js';
import { connectSources } from './app/sourceConnections.js';
import { pullSource } from './useCases/pullSource.js';
import { sourceEnabled } from './useCases/sourceRegistry.js';
import { pullLine } from './sources/pullSummary.js';
import { SOURCE_PULL_ACTOR } from './audit/systemActors.js';
import { startupBanner } from './demo/startupBanner.js';
import { startPlayground, type StartedPlayground } from './playground/startPlayground.js';
import { combineNotifiers, type ChatNotifier } from './chat/chatNotifier.js';
import type { JobScheduler } from './jobs/jobScheduler.js';
import { createJobs } from './jobs/startJobs.js';

export interface RunningBot {
  config: Config;
  logger: Logger;
  database: Database;
  http: HttpServerHandle;
  /** the Autotask client (and, with AUTOTASK_MODE=sandbox, the in-process sandbox it talks to) */
  autotask: SandboxedAutotaskConnection;
  /** the use cases behind chat and the CLI */
  services: AppServices;
  /** tells every running chat adapter about runs (approval needed, progress, failure) */
  chatNotifier: ChatNotifier;
  /** the Agenda worker: schedules, uploads, approval expiry, notifications */
  jobs: JobScheduler;
  /** the demo partner and people, when demo data is on (src/demo/demoMode.ts) */
  demo: DemoPreparation | undefined;
  playground: StartedPlayground;
  /** the Slack app, when SLACK_BOT_TOKEN is set */
  slack: SlackBot | undefined;
  /** what `serve` prints first: which parts are demo stand-ins and how to switch them */
  banner: string;
  /** this bot's own metrics registry, served at GET /metrics (docs/operations.md) */
  metrics: PrometheusMetrics;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  logger?: Logger;
  /** code only (tests): DATABASE_URL is a throwaway demo database, see teamsMode() */
  teamsDemoDatabase?: boolean;
  /** code only (tests): Bot Framework authentication settings for Teams, e.g. where its OpenID keys are read */
  teamsAuthSettings?: Record<string, string>;
}

export async function startBot(config: Config, options: StartBotOptions = {}): Promise<RunningBot> {
  const logger =
    options.logger ??
    createLogger({ level: config.log.level, format: config.log.format, secrets: config.secrets });
  logger.debug({ config: describeConfig(config) }, 'configuration');
  // one registry per bot: several bots in one process (the tests) each count their own
  const metrics = new PrometheusMetrics();

  const database = await openDatabase(config, logger);
  const stops: (() => Promise<void>)[] = [() => database.close()];
  try {
    const autotask = await connectConfiguredAutotask(config, logger, metrics);
    stops.unshift(() => autotask.stop());
    // the CLI finds this process's sandbox through DATA_DIR/sandbox.json (src/sandbox/sharedSandbox.ts)
    if (autotask.sandbox) {
      const withdraw = await announceSandbox(config.dataDir, {
        url: autotask.sandbox.url,
        zoneUrl: autotask.sandbox.zoneUrl,
      });
      stops.unshift(withdraw);
    }
    // the services queue uploads and schedules on the job worker, which needs their validate
    // use case: made first, they get the worker once it is made (before any request can come)
    const made: { jobs?: JobScheduler } = {};
    const demoWanted = demoPartnerWanted(config);
    // Pax8 and Partner Center where configured; in the demo, a Pax8 stand-in holding the demo partner
    const sources = await connectSources(config, {
      demoEndDate: demoWanted ? await demoEndDate(database.prisma) : undefined,
    });
    stops.unshift(() => sources.close());
    const listening: { url?: string } = {};
    const services = composeAppServices({
      config,
      prisma: database.prisma,
      logger,
      autotask,
      jobs: async () => {
        if (!made.jobs)
          throw new Error('JOBS_NOT_STARTED: the job worker is still starting — try again in a moment');
        return made.jobs;
      },
      limitCommands: true,
      sources,
      // chart links start at PUBLIC_URL, else at the address the bot is listening on (known below)
      artifactLinks: () => artifactLinks(database.prisma, config, listening.url),
    });
    // idempotent: a restart finds the demo partner imported and does nothing
    const demoPull = sources.modes.pax8 === 'stand-in';
    const demo = demoWanted
      ? await prepareDemo(database.prisma, config, {
          bringPartner: demoPull
            ? async () => {
                const pulled = await pullSource(
                  { prisma: database.prisma, connectors: sources.connectors, limits: sources.limits },
                  { source: 'pax8', actor: DEMO_ACTOR },
                );
                return { stored: pulled.outcome === 'ok', detail: pullLine(pulled) };
              }
            : undefined,
        })
      : undefined;

    // jobs stop before Autotask and the database: running uploads reach a safe point first.
    // Notices go to every chat adapter in services.notifiers (Slack, Teams and the playground
    // add themselves below) and to the log; the worker starts once they are all there.
    const worker = await createJobs({
      config,
      database,
      autotask,
      logger,
      notifier: services.jobsNotifier,
      planning: services.planning,
      prepareUpload: (runId) => services.prepareUpload(runId),
      watch: services.watch,
      sources: {
        pull: (source) =>
          pullSource(
            { prisma: database.prisma, connectors: sources.connectors, limits: sources.limits },
            { source, actor: SOURCE_PULL_ACTOR },
          ),
        enabled: (source) => sourceEnabled(database.prisma, source),
      },
      metrics,
    });
    made.jobs = worker;
    stops.unshift(() => worker.stop());
    // the demo's Pax8 stand-in is a source like any other: on, with its daily pull
    if (demo?.imported && demoPull) await services.chat.addSource({ source: 'pax8', actor: DEMO_ACTOR });

    const app = createHttpApp({
      logger,
      health: readinessProbes({ config, database, jobs: worker, autotask: autotask.client }),
      metrics: { exposition: metrics, token: config.metricsToken },
    });
    // before the chat routes: from a request's arrival to its answer (Slack: the ack)
    app.use(
      SLACK_EVENTS_PATH,
      timeRequests((status, s) => metrics.chatRequest('slack', status, s)),
    );
    app.use(
      TEAMS_MESSAGES_PATH,
      timeRequests((status, s) => metrics.chatRequest('teams', status, s)),
    );
    mountIngestRoutes(app, {
      prisma: database.prisma,
      logger,
      apiKey: config.ingestApiKey,
      limits: config.ingestLimits,
      metrics,
    });
    // chart images and CSV downloads behind signed, expiring links (docs/charts.md)
    // (`artifacts` is what publishArtifact needs: the signer, the public base, the default life)
    const artifacts = await artifactLinks(database.prisma, config);
    mountArtifactRoutes(app, { prisma: database.prisma, signer: artifacts.signer });
    // what the chat platforms are started over
    const platformInput = {
      config,
      prisma: database.prisma,
      logger,
      app,
      services: services.chat,
      commandLimiter: services.commandLimiter,
    };
    let slack: SlackBot | undefined;
    if (config.slack.botToken) {
      const started = await startSlackApp(platformInput);
      services.notifiers.push(started.notifier);
      stops.unshift(() => started.stop());
      slack = started;
    }
    // on with MICROSOFT_APP_ID; unauthenticated only in the local demo; otherwise off, saying why
    const teamsModeOptions = { demoDatabase: options.teamsDemoDatabase ?? false };
    const teams = await startTeamsApp({
      ...platformInput,
      ...teamsModeOptions,
      ...(options.teamsAuthSettings ? { authSettings: options.teamsAuthSettings } : {}),
    });
    if (teams) services.notifiers.push(teams.notifier);
    const playground = startPlayground({
      config,
      prisma: database.prisma,
      logger,
      app,
      services,
      sandbox: autotask.sandbox,
    });
    // takes jobs from now on, and resumes uploads a crash interrupted
    await worker.start();
    finishHttpApp(app, logger);
    const http = await listen(app, config.port, config.host);
    listening.url = http.url;
    stops.unshift(() => http.close(5_000));

    logger.info(
      {
        url: http.url,
        database: database.kind === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'DATABASE_URL',
        autotask: config.autotask.mode,
      },
      `autotask-bot listening on ${http.url}`,
    );

    const teamsState = teamsMode(config, teamsModeOptions);
    const banner = startupBanner({
      config,
      url: http.url,
      sandboxUrl: autotask.sandbox?.url,
      demo,
      playground,
      teams: !teamsState.on ? 'off' : teamsState.authenticated ? 'on' : 'unauthenticated',
    });

    let stopping: Promise<void> | undefined;
    return {
      config,
      logger,
      database,
      http,
      autotask,
      services,
      jobs: worker,
      demo,
      slack,
      playground,
      banner,
      metrics,
      chatNotifier: combineNotifiers(services.notifiers),
      stop: () =>
        (stopping ??= (async () => {
          for (const stop of stops) {
            await stop().catch((error: unknown) => logger.error({ err: error }, 'error while stopping'));
          }
          logger.info('autotask-bot stopped');
        })()),
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
}
