// Prisma CLI configuration: JS engine + the pg driver adapter, so no native engine binary is
// ever downloaded (the engine host is unreachable on our machines, and installs should not
// depend on a download anyway).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve('prisma/no-native-engine.txt');
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= path.resolve('prisma/no-native-engine.txt');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () =>
    new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://localhost/none' }),
});
