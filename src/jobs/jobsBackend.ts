// Where Agenda keeps its jobs. By default the bot's own PostgreSQL (the postgres backend adds an
// `agenda_jobs` table and wakes workers with LISTEN/NOTIFY); JOBS_DATABASE_URL=mongodb://… selects
// MongoDB for partners who already run it (storage only: workers poll every JOBS_POLL interval).
// In the bot's own database the table is made by a migration (the bot's role may not run DDL), so
// the backend skips its schema step there; in a separate JOBS_DATABASE_URL it makes its own.
import type { AgendaBackend } from 'agenda';
import pg from 'pg';

export const AGENDA_TABLE = 'agenda_jobs';
export const AGENDA_MONGO_COLLECTION = 'agendaJobs';

export type JobsBackendChoice =
  | {
      kind: 'postgres';
      connectionString: string;
      tableName: string;
      notifications: 'listen/notify';
      /** false in the bot's database, where prisma/migrations made the table */
      ensureSchema: boolean;
    }
  | { kind: 'mongo'; address: string; collection: string; notifications: 'polling' };

/**
 * PURE: picks the backend from the configuration. `jobsDatabaseUrl` wins when given; a
 * postgresql:// one puts the jobs in another PostgreSQL, a mongodb:// one in MongoDB.
 */
export function chooseJobsBackend(input: {
  jobsDatabaseUrl: string | undefined;
  databaseUrl: string;
}): JobsBackendChoice {
  const url = input.jobsDatabaseUrl ?? input.databaseUrl;
  if (/^mongodb(\+srv)?:\/\//.test(url))
    return { kind: 'mongo', address: url, collection: AGENDA_MONGO_COLLECTION, notifications: 'polling' };
  if (/^postgres(ql)?:\/\//.test(url))
    return {
      kind: 'postgres',
      connectionString: url,
      tableName: AGENDA_TABLE,
      notifications: 'listen/notify',
      ensureSchema: input.jobsDatabaseUrl !== undefined && input.jobsDatabaseUrl !== input.databaseUrl,
    };
  throw new Error(
    'JOBS_DATABASE_URL_INVALID: the jobs database must be a postgresql:// or mongodb:// URL — fix JOBS_DATABASE_URL or unset it to use the bot database',
  );
}

export interface JobsBackend {
  backend: AgendaBackend;
  /** closes what Agenda does not close itself (after agenda.stop()) */
  close(): Promise<void>;
}

/** Builds the backend; nothing connects until Agenda starts. The mongo packages load only when chosen. */
export async function createJobsBackend(
  choice: JobsBackendChoice,
  onConnectionError: (error: Error) => void = () => undefined,
): Promise<JobsBackend> {
  if (choice.kind === 'mongo') {
    const { MongoBackend } = await import('@agendajs/mongo-backend');
    const backend = new MongoBackend({
      address: choice.address,
      collection: choice.collection,
      options: { serverSelectionTimeoutMS: 5_000 },
    });
    return { backend, close: async () => undefined };
  }
  const { PostgresBackend } = await import('@agendajs/postgres-backend');
  // A small pool of our own (Agenda's polling and locking stay off the bot's Prisma pool) with an
  // error listener: a connection dropped while PostgreSQL stops must not crash the process.
  const pool = new pg.Pool({ connectionString: choice.connectionString, max: 4 });
  pool.on('error', onConnectionError);
  const backend = new PostgresBackend({
    pool,
    tableName: choice.tableName,
    ensureSchema: choice.ensureSchema,
  });
  // Every connect runs Agenda's schema DDL; two processes connecting at once (workers starting
  // together, the CLI beside the bot) fail with "tuple concurrently updated". They take turns.
  const connect = backend.connect.bind(backend);
  backend.connect = () => withSchemaLock(pool, connect);
  // The LISTEN connection reports a lost connection as an 'error' event (it reconnects by
  // itself); unheard, that event would end the process.
  const channel = backend.notificationChannel as unknown as
    { on?: (event: 'error', listener: (error: Error) => void) => void } | undefined;
  channel?.on?.('error', onConnectionError);
  let closed = false;
  return {
    backend,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** the advisory lock id under which Agenda's schema is made (any fixed 64-bit number) */
const SCHEMA_LOCK_ID = '7283640015532017001';

async function withSchemaLock<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [SCHEMA_LOCK_ID]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [SCHEMA_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

/** For logs and `status`: the choice without credentials. */
export function describeJobsBackend(choice: JobsBackendChoice): string {
  const url = new URL(choice.kind === 'mongo' ? choice.address : choice.connectionString);
  if (url.password) url.password = '****';
  return choice.kind === 'mongo'
    ? `MongoDB ${url.host}${url.pathname} (collection ${choice.collection}, polling)`
    : `PostgreSQL ${url.host}${url.pathname} (table ${choice.tableName}, LISTEN/NOTIFY)`;
}
