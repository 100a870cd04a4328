// The jobs backend is chosen from the configuration: the bot's PostgreSQL by default, MongoDB for
// a mongodb:// JOBS_DATABASE_URL. Building a backend connects nothing, so both are built here.
import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { loadConfig } from '../../../src/config.js';
import { chooseJobsBackend, createJobsBackend, describeJobsBackend } from '../../../src/jobs/jobsBackend.js';

const BOT_DB = 'postgresql://bot:pw@db.internal:5432/autotask_bot';

describe('chooseJobsBackend', () => {
  it('uses the bot database with LISTEN/NOTIFY, and the table the migrations made, when JOBS_DATABASE_URL is unset', () => {
    const config = loadConfig({ DATABASE_URL: BOT_DB });
    expect(chooseJobsBackend({ jobsDatabaseUrl: config.jobsDatabaseUrl, databaseUrl: BOT_DB })).toEqual({
      kind: 'postgres',
      connectionString: BOT_DB,
      tableName: 'agenda_jobs',
      notifications: 'listen/notify',
      ensureSchema: false,
    });
  });

  it('chooses MongoDB for a mongodb:// JOBS_DATABASE_URL', () => {
    const config = loadConfig({
      DATABASE_URL: BOT_DB,
      JOBS_DATABASE_URL: 'mongodb://jobs:secret@mongo:27017/agenda',
    });
    const choice = chooseJobsBackend({ jobsDatabaseUrl: config.jobsDatabaseUrl, databaseUrl: BOT_DB });
    expect(choice).toEqual({
      kind: 'mongo',
      address: 'mongodb://jobs:secret@mongo:27017/agenda',
      collection: 'agendaJobs',
      notifications: 'polling',
    });
    expect(describeJobsBackend(choice)).toBe('MongoDB mongo:27017/agenda (collection agendaJobs, polling)');
    expect(config.secrets).toContain('secret');
  });

  it('accepts mongodb+srv:// and another PostgreSQL for the jobs', () => {
    expect(
      chooseJobsBackend({ jobsDatabaseUrl: 'mongodb+srv://cluster0.example.net/agenda', databaseUrl: BOT_DB })
        .kind,
    ).toBe('mongo');
    expect(
      chooseJobsBackend({ jobsDatabaseUrl: 'postgresql://jobs@other:5432/jobs', databaseUrl: BOT_DB }),
    ).toMatchObject({
      kind: 'postgres',
      connectionString: 'postgresql://jobs@other:5432/jobs',
      ensureSchema: true,
    });
  });

  it('refuses anything else with a code a person can act on', () => {
    expect(() => chooseJobsBackend({ jobsDatabaseUrl: 'redis://cache:6379', databaseUrl: BOT_DB })).toThrow(
      /JOBS_DATABASE_URL_INVALID/,
    );
    expect(() => loadConfig({ JOBS_DATABASE_URL: 'redis://cache:6379' })).toThrow(/JOBS_DATABASE_URL/);
  });
});

describe('createJobsBackend', () => {
  it('builds a MongoBackend for the mongo choice and a PostgresBackend otherwise, without connecting', async () => {
    const mongo = await createJobsBackend(
      chooseJobsBackend({ jobsDatabaseUrl: 'mongodb://nowhere.invalid:1/agenda', databaseUrl: BOT_DB }),
    );
    expect(mongo.backend).toBeInstanceOf(MongoBackend);
    await mongo.close();
    const postgres = await createJobsBackend(
      chooseJobsBackend({ jobsDatabaseUrl: undefined, databaseUrl: BOT_DB }),
    );
    expect(postgres.backend).toBeInstanceOf(PostgresBackend);
    expect(postgres.backend.notificationChannel).toBeDefined();
    await postgres.close();
  });
});
