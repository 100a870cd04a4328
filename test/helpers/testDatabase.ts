// A fresh, migrated database per test file on the run's PostgreSQL server (embedded, or the one
// DATABASE_URL names), dropped afterwards. Tests never share rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../src/db/migrate.js';
import { grantServiceRole } from '../../src/db/serviceRole.js';
import { createPrismaClient, type PrismaClient } from '../../src/db/prismaClient.js';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_SERVER_URL;
  if (!url)
    throw new Error('TEST_DATABASE_SERVER_URL is not set: run tests through `npm test` (jest globalSetup)');
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl(), 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database with the migrations applied. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(serverUrl(), name);
  await applyMigrations(url);
  const prisma = createPrismaClient(url, { poolSize: 5 });
  return {
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An empty database without migrations (for tests of the migrator itself). */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(serverUrl(), name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

function withLogin(url: string, role: string, password: string, database: string): string {
  const u = new URL(withDatabase(url, database));
  u.username = role;
  u.password = password;
  return u.toString();
}

export interface RoleSeparatedDatabase {
  /** the bot's service role: what the bot serves as */
  serviceUrl: string;
  /** the owner: what migrations run as */
  ownerUrl: string;
  /** the server's superuser, on this database */
  superuserUrl: string;
  roles: { owner: string; service: string };
  drop(): Promise<void>;
}

/**
 * A database laid out as production should be: owned (and migrated) by an owner role, used by a
 * service role with the bot's grants. Role names are cluster-wide and the server is shared by
 * parallel test files, so both carry the database's own random name.
 */
export async function createRoleSeparatedDatabase(): Promise<RoleSeparatedDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const roles = { owner: `${name}_owner`, service: `${name}_service` };
  const password = randomBytes(18).toString('base64url');
  await admin(async (c) => {
    for (const role of Object.values(roles))
      await c.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER PASSWORD '${password}'`);
    await c.query(`CREATE DATABASE ${name} OWNER ${roles.owner}`);
  });
  const ownerUrl = withLogin(serverUrl(), roles.owner, password, name);
  const serviceUrl = withLogin(serverUrl(), roles.service, password, name);
  await applyMigrations(ownerUrl);
  await grantServiceRole(ownerUrl, roles.service);
  return {
    serviceUrl,
    ownerUrl,
    superuserUrl: withDatabase(serverUrl(), name),
    roles,
    drop: () =>
      admin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        for (const role of Object.values(roles)) await c.query(`DROP ROLE IF EXISTS ${role}`);
      }),
  };
}
