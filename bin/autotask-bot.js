#!/usr/bin/env node
// Entry point for `npx autotask-bot` and `npm start`. An installed package (and the image) runs
// the compiled dist/; a source checkout runs src/ through tsx, so no build step is needed there.
// docs/cli.md ("Start-up time") says why commands load lazily and what the compile cache buys.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 keeps compiled bytecode between runs (in the OS temp folder): a CLI call is faster.
module.enableCompileCache?.();

const root = new URL('../', import.meta.url);
const source = new URL('src/cli/main.ts', root);
const fromSource = existsSync(source) && process.env.AUTOTASK_BOT_RUN_DIST !== '1';
let runCli;
if (fromSource) {
  // a checkout generates its Prisma client here (when missing or stale), not in an install script
  const { ensurePrismaClient } = await import(new URL('scripts/ensurePrismaClient.mjs', root).href);
  ensurePrismaClient({ quiet: false });
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(source.href));
} else {
  ({ runCli } = await import(new URL('dist/cli/main.js', root).href));
}
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  // tables fit a terminal; written to a file or a pipe nothing is cut
  ...(process.stdout.isTTY ? { columns: process.stdout.columns } : {}),
  // progress bars where stderr is a terminal; to a file or a pipe, plain lines
  ...(process.stderr.isTTY ? { errTerminal: process.stderr } : {}),
});
process.exit(code);
