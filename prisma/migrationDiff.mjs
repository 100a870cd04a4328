#!/usr/bin/env node
// `prisma migrate diff --from-schema A --to-schema B --script` without the native schema engine.
// Prisma 7's CLI runs every migrate command through the native schema-engine binary, which it
// downloads on first use from a host our machines cannot reach; Prisma 6.19 could run the wasm
// schema engine over a driver adapter instead, and Prisma 7 dropped that. This does what 6.19 did:
// the wasm schema engine (@prisma/schema-engine-wasm) over the pg driver adapter. The engine wants
// a reachable PostgreSQL (DATABASE_URL) to know the server; it only reads, nothing is written.
//
//   DATABASE_URL=postgresql://… node prisma/migrationDiff.mjs <from.prisma> <to.prisma>
//
// prints the SQL that takes a database from the first schema to the second (README: "Writing a
// migration"). Dev tooling only: the bot applies prisma/migrations with src/db/migrate.ts.
import fs from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

const [from, to] = process.argv.slice(2);
if (!from || !to || !process.env.DATABASE_URL) {
  process.stderr.write(
    'usage: DATABASE_URL=postgresql://… node prisma/migrationDiff.mjs <from.prisma> <to.prisma>\n',
  );
  process.exit(64);
}

// The package's own entry imports the .wasm as an ES module, which Node does not do by default;
// instantiate it by hand, as the Prisma 6 CLI did.
const wasmPath = new URL(
  'schema_engine_bg.wasm',
  import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'),
);
const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), {
  './schema_engine_bg.js': glue,
});
glue.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start();

const adapter = bindMigrationAwareSqlAdapterFactory(
  new PrismaPg({ connectionString: process.env.DATABASE_URL }),
);
const schema = (file) => ({
  tag: 'schemaDatamodel',
  files: [{ path: file, content: fs.readFileSync(file, 'utf8') }],
});
try {
  const engine = await glue.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  const result = await engine.diff({
    from: schema(from),
    to: schema(to),
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  process.stdout.write(result.stdout, () => process.exit(result.exitCode));
} catch (error) {
  process.stderr.write(`migration diff failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
