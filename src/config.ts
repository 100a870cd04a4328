// Every environment variable the bot reads, parsed once with zod. The names are part of the
// product's interface (README "Configuration"); add new ones here and to the README table, then
// run `npm run env:example` (.env.example is generated from both).
import path from 'node:path';
import { z } from 'zod';
import { processSecrets } from './observability/secretScrubber.js';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (what: string) =>
  optionalText.refine((v) => v === undefined || URL.canParse(v), { message: `must be a URL (${what})` });

const port = (fallback: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 65535, {
      message: 'must be a port number from 0 to 65535',
    })
    .transform(Number);

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) > 0, { message: 'must be a whole number above 0' })
    .transform(Number);

const wholeNumber = (fallback: number, max: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) <= max, {
      message: `must be a whole number from 0 to ${max}`,
    })
    .transform(Number);

const onOff = (fallback: 'on' | 'off' | 'auto') =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(fallback)
    .refine((v) => ['on', 'off', 'auto', 'true', 'false', '1', '0'].includes(v), {
      message: 'must be on or off',
    })
    .transform((v) => (v === 'auto' ? 'auto' : ['on', 'true', '1'].includes(v) ? 'on' : 'off'));

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** how people reach the bot (its DNS name, or a proxy in front): the playground answers only it */
  PUBLIC_URL: url('https://autotask-bot.example.com').refine(
    (v) => v === undefined || /^https?:\/\/[^/]/i.test(v),
    { message: 'must start with http:// or https://' },
  ),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: url('postgresql://user:password@host:5432/db').refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    { message: 'must start with postgresql://' },
  ),
  /** the owner role that runs migrations; default DATABASE_URL (README "Database") */
  DATABASE_MIGRATION_URL: url('postgresql://owner:password@host:5432/db').refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    { message: 'must start with postgresql://' },
  ),
  /** lets the bot run as a superuser or as the owner of audit_log in production */
  ALLOW_SUPERUSER_DATABASE: z
    .string()
    .trim()
    .toLowerCase()
    .default('false')
    .refine((v) => ['true', 'false', '1', '0', 'on', 'off'].includes(v), { message: 'must be true or false' })
    .transform((v) => ['true', '1', 'on'].includes(v)),
  EMBEDDED_PG_PORT: port(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),

  AUTOTASK_USERNAME: optionalText,
  AUTOTASK_SECRET: optionalText,
  AUTOTASK_INTEGRATION_CODE: optionalText,
  AUTOTASK_IMPERSONATION_RESOURCE_ID: optionalText.refine((v) => v === undefined || /^\d+$/.test(v), {
    message: 'must be a numeric resource id',
  }),
  AUTOTASK_BASE_URL: url('https://webservices5.autotask.net/ATServicesRest/'),
  AUTOTASK_ZONE_URL: z
    .string()
    .trim()
    .default('https://webservices.autotask.net/atservicesrest/v1.0/')
    .refine((v) => URL.canParse(v), { message: 'must be a URL' }),
  AUTOTASK_MODE: z.enum(['live', 'sandbox']).optional(),
  AUTOTASK_MAX_IN_FLIGHT: positiveInt(2),
  AUTOTASK_BUDGET_SHARE: z
    .string()
    .trim()
    .default('0.5')
    .refine((v) => /^(0(\.\d+)?|1(\.0+)?)$/.test(v) && Number(v) > 0, {
      message: 'must be a share between 0 and 1, e.g. 0.5',
    })
    .transform(Number),
  /** how long listings reuse one read of Companies, Services and contracts; 0 = no cache */
  AUTOTASK_DIRECTORY_TTL_SECONDS: wholeNumber(300, 3600),
  SANDBOX_SEED: optionalText,
  SANDBOX_PORT: port(0),

  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z
    .string()
    .trim()
    .default('https://slack.com/api/')
    .refine((v) => URL.canParse(v), { message: 'must be a URL' }),

  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),

  JOBS_DATABASE_URL: url('postgresql://… or mongodb://…').refine(
    (v) => v === undefined || /^(postgres(ql)?|mongodb(\+srv)?):\/\//.test(v),
    { message: 'must start with postgresql:// or mongodb://' },
  ),
  PAX8_CLIENT_ID: optionalText,
  PAX8_CLIENT_SECRET: optionalText,
  PAX8_BASE_URL: url('https://api.pax8.com/v1').default('https://api.pax8.com/v1'),
  PAX8_TOKEN_URL: url('https://api.pax8.com/v1/token').default('https://api.pax8.com/v1/token'),
  PARTNER_CENTER_APP_ID: optionalText,
  PARTNER_CENTER_APP_SECRET: optionalText,
  PARTNER_CENTER_TENANT_ID: optionalText,
  PARTNER_CENTER_REFRESH_TOKEN: optionalText,
  PARTNER_CENTER_BASE_URL: url('https://api.partnercenter.microsoft.com/v1').default(
    'https://api.partnercenter.microsoft.com/v1',
  ),
  PARTNER_CENTER_LOGIN_URL: url('https://login.microsoftonline.com').default(
    'https://login.microsoftonline.com',
  ),
  SOURCE_PULL_CRON: z
    .string()
    .trim()
    .default('0 1 * * *')
    .refine((v) => v.split(/\s+/).length === 5, { message: 'must be a five-field cron expression (UTC)' }),
  // the monthly reconciliation: the 3rd at 06:00 UTC, once the month's periods are posted
  RECONCILE_CRON: z
    .string()
    .trim()
    .default('0 6 3 * *')
    .refine((v) => v.split(/\s+/).length === 5, { message: 'must be a five-field cron expression (UTC)' }),
  // the drift watch: daily at 02:30 UTC, after the 01:00 source pull
  DRIFT_WATCH_CRON: z
    .string()
    .trim()
    .default('30 2 * * *')
    .refine((v) => v.split(/\s+/).length === 5, { message: 'must be a five-field cron expression (UTC)' }),
  INGEST_API_KEY: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters (it guards the ingest API)',
  }),
  /** bearer token GET /metrics asks for; unset = /metrics answers anyone who reaches the port */
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters (it guards /metrics)',
  }),
  INGEST_MAX_FUTURE_DAYS: z
    .string()
    .trim()
    .default('3')
    .refine((v) => /^\d{1,3}$/.test(v) && Number(v) <= 366, {
      message: 'must be a whole number of days from 0 to 366, e.g. 3',
    })
    .transform(Number),
  INGEST_MASS_CANCEL_SHARE: z
    .string()
    .trim()
    .default('0.2')
    .refine((v) => /^(0(\.\d+)?|1(\.0+)?)$/.test(v), {
      message: 'must be a share from 0 to 1, e.g. 0.2 (1 = no limit)',
    })
    .transform(Number),
  ADMIN_USERS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((id) => /^(slack|teams|cli):.+/.test(id)), {
      message:
        'must be a comma-separated list of ids like slack:T0123:U0456, teams:<tenant>:<user>, cli:alice',
    }),
  /** expensive chat commands (they read Autotask) per person per minute; 0 = unlimited */
  CHAT_RATE_LIMIT_PER_MINUTE: wholeNumber(10, 1000),
  CHAT_RATE_LIMIT_OPERATOR_PER_MINUTE: wholeNumber(30, 1000),
  PLAYGROUND: onOff('auto'),
  /** the generated demo partner imported at start; auto = when no database and no Autotask are configured */
  DEMO_PARTNER: onOff('auto'),
  /** HMAC key for artifact URLs (charts, CSV exports); unset = one made once and kept in the database */
  ARTIFACT_SIGNING_KEY: optionalText.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  /** how long an artifact URL works, in hours (default 7 days, at most 90 days) */
  ARTIFACT_TTL_HOURS: positiveInt(168).refine((v) => v <= 2160, {
    message: 'must be at most 2160 (90 days)',
  }),
});

type Env = z.infer<typeof EnvSchema>;

/** The secrets: redacted wherever configuration is printed or logged. */
export const SECRET_VARIABLES = [
  'AUTOTASK_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MICROSOFT_APP_PASSWORD',
  'INGEST_API_KEY',
  'METRICS_TOKEN',
  'PAX8_CLIENT_SECRET',
  'PARTNER_CENTER_APP_SECRET',
  'PARTNER_CENTER_REFRESH_TOKEN',
  'ARTIFACT_SIGNING_KEY',
] as const;

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Raised when the environment is wrong; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      'CONFIG_INVALID: the configuration has problems:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n') +
        '\nSee the "Configuration" table in README.md.',
    );
    this.name = 'ConfigError';
  }
}

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /** PUBLIC_URL's origin (scheme://host[:port]), undefined when unset */
  publicUrl: string | undefined;
  dataDir: string;
  /** undefined = start (or attach to) the embedded PostgreSQL under dataDir */
  databaseUrl: string | undefined;
  /** the owner's URL for migrations; undefined = databaseUrl (external) or the file in DATA_DIR (embedded) */
  databaseMigrationUrl: string | undefined;
  /** run as a superuser / owner of audit_log even in production (logged as a warning) */
  allowSuperuserDatabase: boolean;
  embeddedPgPort: number;
  log: { level: Env['LOG_LEVEL']; format: Env['LOG_FORMAT'] };
  autotask: {
    mode: 'live' | 'sandbox';
    username: string | undefined;
    secret: string | undefined;
    integrationCode: string | undefined;
    impersonationResourceId: number | undefined;
    baseUrl: string | undefined;
    zoneUrl: string;
    maxInFlightPerEndpoint: number;
    budgetShare: number;
    /** listings reuse one directory read this long (src/app/autotaskDirectoryCache.ts) */
    directoryTtlSeconds: number;
    sandboxSeed: string | undefined;
    sandboxPort: number;
  };
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
  };
  teams: {
    appId: string | undefined;
    appPassword: string | undefined;
    tenantId: string | undefined;
    appType: Env['MICROSOFT_APP_TYPE'];
  };
  jobsDatabaseUrl: string | undefined;
  ingestApiKey: string | undefined;
  /** GET /metrics asks for it as a bearer token when set (docs/operations.md) */
  metricsToken: string | undefined;
  /** the subscription sources (docs/sources.md); credentials unset = not configured (the demo's stand-in) */
  sources: {
    pax8: {
      clientId: string | undefined;
      clientSecret: string | undefined;
      baseUrl: string;
      tokenUrl: string;
    };
    partnerCenter: {
      appId: string | undefined;
      appSecret: string | undefined;
      tenantId: string | undefined;
      refreshToken: string | undefined;
      baseUrl: string;
      loginUrl: string;
    };
    /** when the daily pull runs (UTC), before the scheduled validations */
    pullCron: string;
  };
  /** after the upload (docs/reconciliation.md, docs/drift-watch.md): when each watch runs, UTC */
  watch: { reconcileCron: string; driftCron: string };
  /** what ingestion refuses: changes dated too far ahead, snapshots cancelling too much */
  ingestLimits: { maxFutureDays: number; massCancelShare: number };
  adminUsers: string[];
  /** expensive chat commands per person per minute (src/chat/commandRateLimiter.ts); admins exempt */
  chatRateLimits: { viewerPerMinute: number; operatorPerMinute: number };
  playground: 'on' | 'off' | 'auto';
  /** import the generated demo partner at start (src/demo/demoMode.ts) */
  demoPartner: 'on' | 'off';
  /** files served at signed, expiring URLs (docs/charts.md) */
  artifacts: { signingKey: string | undefined; ttlHours: number };
  /** every secret value in force, for the log redactor */
  secrets: string[];
}

type RawEnv = Partial<Record<keyof Env, string>>;

/** Settings that only work together: each missing one named, with those that are set. */
function halfGiven(env: RawEnv, names: (keyof Env)[], what: string): ConfigProblem[] {
  const given = names.filter((n) => env[n] !== undefined);
  if (given.length === 0 || given.length === names.length) return [];
  return names
    .filter((n) => env[n] === undefined)
    .map((variable) => ({
      variable,
      message: `is missing: ${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} set, and ${what} needs ${names.join(', ')}`,
    }));
}

/** Rules between variables, checked on the raw text so they are reported alongside field errors. */
function crossFieldProblems(env: RawEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const autotask = {
    AUTOTASK_USERNAME: env.AUTOTASK_USERNAME,
    AUTOTASK_SECRET: env.AUTOTASK_SECRET,
    AUTOTASK_INTEGRATION_CODE: env.AUTOTASK_INTEGRATION_CODE,
  };
  const given = Object.entries(autotask).filter(([, v]) => v !== undefined);
  if (given.length > 0 && given.length < 3) {
    for (const [name, value] of Object.entries(autotask)) {
      if (value === undefined) {
        problems.push({
          variable: name,
          message: `is missing: ${given.map(([n]) => n).join(' and ')} ${given.length === 1 ? 'is' : 'are'} set, and the Autotask API needs all three of AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE`,
        });
      }
    }
  }
  if (env.AUTOTASK_MODE === 'live' && given.length === 0) {
    problems.push({
      variable: 'AUTOTASK_MODE',
      message:
        'is live but no Autotask credentials are set: set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE, or use AUTOTASK_MODE=sandbox',
    });
  }
  problems.push(...halfGiven(env, ['PAX8_CLIENT_ID', 'PAX8_CLIENT_SECRET'], 'Pax8'));
  problems.push(
    ...halfGiven(
      env,
      ['PARTNER_CENTER_APP_ID', 'PARTNER_CENTER_APP_SECRET', 'PARTNER_CENTER_TENANT_ID'],
      'Partner Center',
    ),
  );
  if (env.PARTNER_CENTER_REFRESH_TOKEN && !env.PARTNER_CENTER_APP_ID)
    problems.push({
      variable: 'PARTNER_CENTER_APP_ID',
      message:
        'is missing: PARTNER_CENTER_REFRESH_TOKEN is set, and it is redeemed with the app id and secret',
    });
  if (env.DATABASE_MIGRATION_URL && !env.DATABASE_URL) {
    problems.push({
      variable: 'DATABASE_MIGRATION_URL',
      message:
        'is set without DATABASE_URL: the embedded PostgreSQL keeps its own logins in DATA_DIR; set DATABASE_URL too, or unset DATABASE_MIGRATION_URL',
    });
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
    problems.push({
      variable: 'SLACK_BOT_TOKEN',
      message: 'is missing: SLACK_APP_TOKEN (Socket Mode) also needs the bot token (xoxb-…)',
    });
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      message:
        'is missing: SLACK_BOT_TOKEN is set, and HTTP events from Slack must be verified with the signing secret',
    });
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push({ variable: 'SLACK_APP_TOKEN', message: 'must be an app-level token starting with xapp-' });
  }
  if (env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push({
      variable: 'MICROSOFT_APP_PASSWORD',
      message: 'is missing: MICROSOFT_APP_ID is set and needs its client secret',
    });
  }
  if (!env.MICROSOFT_APP_ID && env.MICROSOFT_APP_PASSWORD) {
    problems.push({
      variable: 'MICROSOFT_APP_ID',
      message: 'is missing: MICROSOFT_APP_PASSWORD is set without the app id it belongs to',
    });
  }
  if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && !env.MICROSOFT_APP_TENANT_ID) {
    problems.push({
      variable: 'MICROSOFT_APP_TENANT_ID',
      message: 'is missing: a SingleTenant app needs its tenant id',
    });
  }
  return problems;
}

/** any variable naming a database: DATABASE_URL, JOBS_DATABASE_URL, DATABASE_MIGRATION_URL, … */
const DATABASE_URL_VARIABLE = /DATABASE.*_URL$/;

/**
 * The secret values an environment holds, read from the raw text so they are known even when the
 * configuration is refused: the secret variables, and the password of every database URL (as
 * written and decoded).
 */
export function secretsOfEnvironment(source: NodeJS.ProcessEnv): string[] {
  const secrets: string[] = SECRET_VARIABLES.map((name) => source[name]?.trim()).filter(
    (v): v is string => !!v,
  );
  for (const [name, value] of Object.entries(source)) {
    if (!DATABASE_URL_VARIABLE.test(name) || !value || !URL.canParse(value.trim())) continue;
    const password = new URL(value.trim()).password;
    if (!password) continue;
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // not valid percent-encoding: the password is used as written
    }
  }
  return [...new Set(secrets)];
}

/** Parses the environment. Throws ConfigError naming every wrong variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // known before anything can fail, so even a refused configuration's message is scrubbed
  const secrets = secretsOfEnvironment(source);
  processSecrets.add(...secrets);
  const raw: RawEnv = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .map((key) => [key, source[key]?.trim()])
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(source);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({
          variable: String(issue.path[0] ?? '(environment)'),
          message: issue.message,
        }))),
    ...crossFieldProblems(raw),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;

  const hasAutotaskCredentials = env.AUTOTASK_USERNAME !== undefined;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL === undefined ? undefined : new URL(env.PUBLIC_URL).origin,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    databaseMigrationUrl: env.DATABASE_MIGRATION_URL,
    allowSuperuserDatabase: env.ALLOW_SUPERUSER_DATABASE,
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    autotask: {
      mode: env.AUTOTASK_MODE ?? (hasAutotaskCredentials ? 'live' : 'sandbox'),
      username: env.AUTOTASK_USERNAME,
      secret: env.AUTOTASK_SECRET,
      integrationCode: env.AUTOTASK_INTEGRATION_CODE,
      impersonationResourceId:
        env.AUTOTASK_IMPERSONATION_RESOURCE_ID === undefined
          ? undefined
          : Number(env.AUTOTASK_IMPERSONATION_RESOURCE_ID),
      baseUrl: env.AUTOTASK_BASE_URL,
      zoneUrl: env.AUTOTASK_ZONE_URL,
      maxInFlightPerEndpoint: env.AUTOTASK_MAX_IN_FLIGHT,
      budgetShare: env.AUTOTASK_BUDGET_SHARE,
      directoryTtlSeconds: env.AUTOTASK_DIRECTORY_TTL_SECONDS,
      sandboxSeed: env.SANDBOX_SEED,
      sandboxPort: env.SANDBOX_PORT,
    },
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
    },
    teams: {
      appId: env.MICROSOFT_APP_ID,
      appPassword: env.MICROSOFT_APP_PASSWORD,
      tenantId: env.MICROSOFT_APP_TENANT_ID,
      appType: env.MICROSOFT_APP_TYPE,
    },
    jobsDatabaseUrl: env.JOBS_DATABASE_URL,
    ingestApiKey: env.INGEST_API_KEY,
    metricsToken: env.METRICS_TOKEN,
    sources: {
      pax8: {
        clientId: env.PAX8_CLIENT_ID,
        clientSecret: env.PAX8_CLIENT_SECRET,
        baseUrl: env.PAX8_BASE_URL!,
        tokenUrl: env.PAX8_TOKEN_URL!,
      },
      partnerCenter: {
        appId: env.PARTNER_CENTER_APP_ID,
        appSecret: env.PARTNER_CENTER_APP_SECRET,
        tenantId: env.PARTNER_CENTER_TENANT_ID,
        refreshToken: env.PARTNER_CENTER_REFRESH_TOKEN,
        baseUrl: env.PARTNER_CENTER_BASE_URL!,
        loginUrl: env.PARTNER_CENTER_LOGIN_URL!,
      },
      pullCron: env.SOURCE_PULL_CRON,
    },
    watch: { reconcileCron: env.RECONCILE_CRON, driftCron: env.DRIFT_WATCH_CRON },
    ingestLimits: {
      maxFutureDays: env.INGEST_MAX_FUTURE_DAYS,
      massCancelShare: env.INGEST_MASS_CANCEL_SHARE,
    },
    adminUsers: env.ADMIN_USERS,
    chatRateLimits: {
      viewerPerMinute: env.CHAT_RATE_LIMIT_PER_MINUTE,
      operatorPerMinute: env.CHAT_RATE_LIMIT_OPERATOR_PER_MINUTE,
    },
    playground: env.PLAYGROUND,
    // "nothing configured": no database, no AUTOTASK_MODE, credentials or seed — the sandbox's demo tenant
    demoPartner:
      env.DEMO_PARTNER !== 'auto'
        ? env.DEMO_PARTNER
        : !env.DATABASE_URL && env.AUTOTASK_MODE === undefined && !hasAutotaskCredentials && !env.SANDBOX_SEED
          ? 'on'
          : 'off',
    artifacts: { signingKey: env.ARTIFACT_SIGNING_KEY, ttlHours: env.ARTIFACT_TTL_HOURS },
    secrets,
  };
}

/** Hides a secret but keeps enough to tell two apart ("xoxb…(42 chars)"). */
function redact(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return `•••• (${value.length} chars)`;
}

function redactUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const u = new URL(value);
  if (u.password) u.password = '****';
  return u.toString();
}

/** The configuration as it may be printed or logged: every secret replaced. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: redactUrl(config.databaseUrl) ?? `(embedded PostgreSQL in ${config.dataDir})`,
    databaseMigrationUrl:
      redactUrl(config.databaseMigrationUrl) ??
      (config.databaseUrl ? '(same as databaseUrl)' : `(owner login kept in ${config.dataDir})`),
    jobsDatabaseUrl: redactUrl(config.jobsDatabaseUrl) ?? '(same database)',
    autotask: { ...config.autotask, secret: redact(config.autotask.secret) },
    slack: {
      ...config.slack,
      botToken: redact(config.slack.botToken),
      signingSecret: redact(config.slack.signingSecret),
      appToken: redact(config.slack.appToken),
    },
    teams: { ...config.teams, appPassword: redact(config.teams.appPassword) },
    ingestApiKey: redact(config.ingestApiKey),
    metricsToken: redact(config.metricsToken),
    sources: {
      ...config.sources,
      pax8: { ...config.sources.pax8, clientSecret: redact(config.sources.pax8.clientSecret) },
      partnerCenter: {
        ...config.sources.partnerCenter,
        appSecret: redact(config.sources.partnerCenter.appSecret),
        refreshToken: redact(config.sources.partnerCenter.refreshToken),
      },
    },
    artifacts: { ...config.artifacts, signingKey: redact(config.artifacts.signingKey) },
    secrets: undefined,
  };
}
