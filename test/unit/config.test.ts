import { ConfigError, describeConfig, loadConfig } from '../../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has documented defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.autotask.mode).toBe('sandbox');
    expect(config.autotask.zoneUrl).toBe('https://webservices.autotask.net/atservicesrest/v1.0/');
    expect(config.autotask.maxInFlightPerEndpoint).toBe(2);
    expect(config.autotask.budgetShare).toBe(0.5);
    expect(config.adminUsers).toEqual([]);
  });

  it('defaults AUTOTASK_MODE to live when credentials are set', () => {
    const config = loadConfig({
      AUTOTASK_USERNAME: 'api@x.com',
      AUTOTASK_SECRET: 's3cr3t!!',
      AUTOTASK_INTEGRATION_CODE: 'ABC',
    });
    expect(config.autotask.mode).toBe('live');
    expect(
      loadConfig({
        AUTOTASK_USERNAME: 'a',
        AUTOTASK_SECRET: 'b',
        AUTOTASK_INTEGRATION_CODE: 'c',
        AUTOTASK_MODE: 'sandbox',
      }).autotask.mode,
    ).toBe('sandbox');
  });

  it('names PORT=abc', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT']);
  });

  it('names each missing Autotask variable when only the user name is given, together with other errors', () => {
    expect(problemsOf({ PORT: 'abc', AUTOTASK_USERNAME: 'api@x.com' }).sort()).toEqual(
      ['AUTOTASK_INTEGRATION_CODE', 'AUTOTASK_SECRET', 'PORT'].sort(),
    );
  });

  it('refuses live mode without credentials, bad URLs, bad admin ids and half-given Slack/Teams settings', () => {
    expect(problemsOf({ AUTOTASK_MODE: 'live' })).toEqual(['AUTOTASK_MODE']);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL']);
    expect(problemsOf({ JOBS_DATABASE_URL: 'redis://x' })).toEqual(['JOBS_DATABASE_URL']);
    expect(problemsOf({ ADMIN_USERS: 'alice' })).toEqual(['ADMIN_USERS']);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(['SLACK_SIGNING_SECRET']);
    expect(problemsOf({ MICROSOFT_APP_ID: 'id' })).toEqual(['MICROSOFT_APP_PASSWORD']);
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual(['LOG_LEVEL']);
    expect(problemsOf({ AUTOTASK_BUDGET_SHARE: '1.5' })).toEqual(['AUTOTASK_BUDGET_SHARE']);
  });

  it('accepts a full configuration', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://bot:pw@db:5432/bot',
      ADMIN_USERS: 'slack:T1:U1, cli:alice',
      SLACK_BOT_TOKEN: 'xoxb-123',
      SLACK_SIGNING_SECRET: 'abc',
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'pw',
    });
    expect(config.port).toBe(8080);
    expect(config.adminUsers).toEqual(['slack:T1:U1', 'cli:alice']);
  });
});

describe('describeConfig', () => {
  it('never contains a configured secret, including a database password', () => {
    const secrets = {
      AUTOTASK_SECRET: 'autotask-secret-value-1',
      SLACK_BOT_TOKEN: 'xoxb-slack-token-value-2',
      SLACK_SIGNING_SECRET: 'slack-signing-value-3',
      MICROSOFT_APP_PASSWORD: 'teams-password-value-4',
      INGEST_API_KEY: 'ingest-key-value-5-long-enough',
    };
    const config = loadConfig({
      ...secrets,
      AUTOTASK_USERNAME: 'api@x.com',
      AUTOTASK_INTEGRATION_CODE: 'CODE',
      MICROSOFT_APP_ID: 'app-id',
      DATABASE_URL: 'postgresql://bot:db-password-6@db:5432/bot',
    });
    const printed = JSON.stringify(describeConfig(config));
    for (const value of [...Object.values(secrets), 'db-password-6']) expect(printed).not.toContain(value);
    expect(printed).toContain('api@x.com');
    expect(config.secrets).toEqual(expect.arrayContaining([...Object.values(secrets), 'db-password-6']));
  });
});

describe('loadConfig: ingest limits', () => {
  it('defaults to 3 days ahead and a 20 % mass-cancel share, and reads both', () => {
    expect(loadConfig({}).ingestLimits).toEqual({ maxFutureDays: 3, massCancelShare: 0.2 });
    expect(loadConfig({ INGEST_MAX_FUTURE_DAYS: '0', INGEST_MASS_CANCEL_SHARE: '1' }).ingestLimits).toEqual({
      maxFutureDays: 0,
      massCancelShare: 1,
    });
  });

  it('names wrong values', () => {
    for (const value of ['-1', '1.5', 'soon', '400'])
      expect(problemsOf({ INGEST_MAX_FUTURE_DAYS: value })).toEqual(['INGEST_MAX_FUTURE_DAYS']);
    for (const value of ['20', '1.2', '-0.1', '20%'])
      expect(problemsOf({ INGEST_MASS_CANCEL_SHARE: value })).toEqual(['INGEST_MASS_CANCEL_SHARE']);
  });
});

describe('database roles', () => {
  it('takes a separate migration URL, keeps its password secret, and needs DATABASE_URL for it', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://bot:bot-pass-1@db:5432/autotask',
      DATABASE_MIGRATION_URL: 'postgresql://owner:owner%40pass@db:5432/autotask',
    });
    expect(config.databaseMigrationUrl).toBe('postgresql://owner:owner%40pass@db:5432/autotask');
    expect(config.secrets).toEqual(expect.arrayContaining(['bot-pass-1', 'owner@pass']));
    expect(JSON.stringify(describeConfig(config))).not.toContain('owner%40pass');
    expect(problemsOf({ DATABASE_MIGRATION_URL: 'postgresql://owner:x@db:5432/autotask' })).toEqual([
      'DATABASE_MIGRATION_URL',
    ]);
    expect(problemsOf({ DATABASE_URL: 'postgresql://a@db/x', DATABASE_MIGRATION_URL: 'mysql://x' })).toEqual([
      'DATABASE_MIGRATION_URL',
    ]);
  });

  it('reads ALLOW_SUPERUSER_DATABASE as a boolean, off by default', () => {
    expect(loadConfig({}).allowSuperuserDatabase).toBe(false);
    expect(loadConfig({ ALLOW_SUPERUSER_DATABASE: 'true' }).allowSuperuserDatabase).toBe(true);
    expect(problemsOf({ ALLOW_SUPERUSER_DATABASE: 'maybe' })).toEqual(['ALLOW_SUPERUSER_DATABASE']);
  });
});
