// Prisma CLI configuration (Prisma 7). The bot never runs the CLI (src/db/migrate.ts applies
// prisma/migrations on start); developers run `prisma generate`, which needs no database and no
// native engine: the client is TypeScript plus the wasm query compiler from @prisma/client.
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Every CLI command first makes sure the native schema engine is on disk and downloads it if not;
// pointing the variable at a placeholder skips that download (its host is unreachable here).
// Only the commands that run the schema engine (migrate, db, introspection) then fail.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve('prisma/no-native-engine.txt');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Read only by the commands that talk to a database; `prisma generate` does not.
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/none' },
});
