#!/usr/bin/env node
// Entry point for `npx autotask-bot` and `npm start`. From a source checkout it runs the
// TypeScript through tsx (no build step); the production image ships only dist/.
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const source = new URL('src/cli/main.ts', root);
let runCli;
if (existsSync(source)) {
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
});
process.exit(code);
