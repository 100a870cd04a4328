// The CLI registry loads each command lazily: `help` must not pull a database client, a chat SDK
// or zod into the process (docs/cli.md, "Start-up time"), and each entry's help text must be
// the text of the command it loads.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { CLI_COMMANDS, cliFallback } from '../../../src/cli/commandRegistry.js';

const SRC = path.resolve('src');

/** Modules a file imports for their values (type-only imports vanish when compiled). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    if (!statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause &&
        !clause.name &&
        named &&
        ts.isNamedImports(named) &&
        named.elements.every((e) => e.isTypeOnly);
      if (onlyTypes) continue;
    } else if (statement.isTypeOnly) continue;
    found.push(statement.moduleSpecifier.text);
  }
  return found;
}

/** Every module loaded before any command runs: the static value-import closure of the CLI's entry. */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith('.'))
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('CLI command registry', () => {
  it('loads, for every entry, the command whose name, usage and summary help prints', async () => {
    expect(CLI_COMMANDS.length).toBeGreaterThan(10);
    for (const entry of CLI_COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, usage: command.usage, summary: command.summary }).toEqual({
        name: entry.name,
        usage: entry.usage,
        summary: entry.summary,
      });
      expect(typeof command.run).toBe('function');
    }
  });

  it('names each command once', () => {
    const names = CLI_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('sends a chat verb to the chat router and an unknown word nowhere', async () => {
    expect((await cliFallback('validate'))?.name).toBe('validate');
    expect(await cliFallback('no-such-verb')).toBeUndefined();
  });

  it('starts `help` without loading a database client, a chat SDK, the sandbox or zod', () => {
    const { files, packages } = staticClosure(path.join(SRC, 'cli/main.ts'));
    const loaded = [...files].map((f) => path.relative(SRC, f));
    // the closure really is walked: main.ts reaches the registry and the help text
    expect(loaded).toEqual(
      expect.arrayContaining(['cli/main.ts', 'cli/commandRegistry.ts', 'cli/commandInfo.ts']),
    );
    for (const heavy of [
      '@prisma/client',
      'pg',
      '@slack/bolt',
      'botbuilder',
      'express',
      'axios',
      'zod',
      'pino',
    ]) {
      expect([...packages]).not.toContain(heavy);
    }
    expect(loaded.filter((f) => /^(db|sandbox|chat|sync|app)\//.test(f))).toEqual([]);
    expect(loaded).not.toContain('config.ts');
  });
});
