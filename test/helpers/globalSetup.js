// Starts one embedded PostgreSQL for the whole test run (own port, own temporary data dir) unless
// DATABASE_URL points at a server already; each test file then makes its own database on it.
// Plain JS (Jest loads global setup outside its transform); the TS module comes in through tsx.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import pino from 'pino';
import { ensurePrismaClient } from '../../scripts/ensurePrismaClient.mjs';

export default async function globalSetup() {
  // before any test file loads src/db: the generated client must match the schema
  ensurePrismaClient();
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const { startEmbeddedPostgres } = await tsImport('../../src/db/embeddedPostgres.ts', import.meta.url);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autotask-bot-test-'));
  fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
  const server = await startEmbeddedPostgres({
    dataDir,
    port: 0,
    logger: pino({ level: 'silent' }),
  });
  process.env.TEST_DATABASE_SERVER_URL = server.superuserUrl;
  globalThis.__EMBEDDED_PG__ = { server, dataDir };
}
