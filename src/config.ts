// Every environment variable the bot reads, parsed once with zod. The names are part of the
// product's interface (README "Configuration"); add new ones here and to the README table.
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

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: url('postgresql://user:password@host:5432/db').refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    { message: 'must start with postgresql://' },
  ),
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
  INGEST_API_KEY: optionalText.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters (it guards the ingest API)',
  }),
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
  PLAYGROUND: onOff('auto'),
  /** the generated demo partner imported at start; auto = when no database and no Autotask are configured */
  DEMO_PARTNER: onOff('auto'),
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
  dataDir: string;
  /** undefined = start (or attach to) the embedded PostgreSQL under dataDir */
  databaseUrl: string | undefined;
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
  adminUsers: string[];
  playground: 'on' | 'off' | 'auto';
  /** import the generated demo partner at start (src/demo/demoMode.ts) */
  demoPartner: 'on' | 'off';
  /** every secret value in force, for the log redactor */
  secrets: string[];
}

type RawEnv = Partial<Record<keyof Env, string>>;

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
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
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
    adminUsers: env.ADMIN_USERS,
    playground: env.PLAYGROUND,
    // "nothing configured": no database, no AUTOTASK_MODE, credentials or seed — the sandbox's demo tenant
    demoPartner:
      env.DEMO_PARTNER !== 'auto'
        ? env.DEMO_PARTNER
        : !env.DATABASE_URL && env.AUTOTASK_MODE === undefined && !hasAutotaskCredentials && !env.SANDBOX_SEED
          ? 'on'
          : 'off',
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
    secrets: undefined,
  };
}
